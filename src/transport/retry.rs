//! The retry loop: which failures are tried again, how long to wait, and the operation timeout around it all.

use std::time::Duration;

use tokio::time::Instant;

use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tracing::{Instrument, field};

use super::{RawResponse, Request, Transport};
use crate::error::{AuthingError, Result, TimeoutKind};
use crate::settings::RetryConfig;

/// What the tracing span of an operation says about it.
pub(crate) struct OpInfo<'a> {
    pub(crate) name: &'a str,
    pub(crate) transport: &'static str,
    /// Whether sending it twice is harmless (a GraphQL query, a REST GET).
    pub(crate) idempotent: bool,
}

impl Transport {
    /// Sends `request` until it succeeds, fails for good, or the operation timeout expires; `decode` turns each
    /// response into the result (an Authing refusal is an `Err` there, and may itself be retryable: 429, 503 ...).
    pub(super) async fn execute<T>(
        &self,
        info: OpInfo<'_>,
        request: Request<'_>,
        decode: impl Fn(&RawResponse) -> Result<T>,
    ) -> Result<T> {
        let span = tracing::info_span!(
            "authing.operation",
            op = info.name,
            transport = info.transport,
            http_status = field::Empty,
            authing_code = field::Empty,
            attempts = field::Empty,
        );
        let deadline = Instant::now() + self.timeouts.operation();
        let run = self.retry_loop(info.idempotent, &request, &decode, deadline, &span);
        let result = self.within_operation(run).instrument(span.clone()).await;
        if let Err(e) = &result {
            if let Some(code) = e.code() {
                span.record("authing_code", code);
            }
            tracing::debug!(parent: &span, error = %e, "operation failed");
        }
        result
    }

    /// Runs `operation` within the operation timeout; a management call runs its token fetches, the call and its
    /// one renewal all within one.
    pub(crate) async fn within_operation<T>(&self, operation: impl Future<Output = Result<T>>) -> Result<T> {
        let limit = self.timeouts.operation();
        match tokio::time::timeout(limit, operation).await {
            Ok(result) => result,
            Err(elapsed) => Err(AuthingError::Timeout {
                kind: TimeoutKind::Operation,
                after: limit,
                source: Some(Box::new(elapsed)),
            }),
        }
    }

    async fn retry_loop<T>(
        &self,
        idempotent: bool,
        request: &Request<'_>,
        decode: &impl Fn(&RawResponse) -> Result<T>,
        deadline: Instant,
        span: &tracing::Span,
    ) -> Result<T> {
        let mut attempt = 1;
        loop {
            let attempt_span = tracing::debug_span!("authing.attempt", attempt, http_status = field::Empty);
            let outcome = async {
                let raw = self.attempt(request).await.map_err(|e| (e, None))?;
                attempt_span.record("http_status", raw.status.as_u16());
                span.record("http_status", raw.status.as_u16());
                let retry_after = raw.retry_after;
                decode(&raw).map_err(|e| (e, retry_after))
            }
            .instrument(attempt_span.clone())
            .await;
            span.record("attempts", attempt);
            let (error, retry_after) = match outcome {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let retry = if idempotent { error.is_retryable() } else { error.never_reached_server() };
            if !retry || attempt >= self.retry.max_attempts() {
                return Err(error);
            }
            let wait = delay(&self.retry, attempt, retry_after);
            if Instant::now() + wait >= deadline {
                // The wait would outlast the operation's budget: the server's answer is more use than a timeout.
                return Err(error);
            }
            tracing::debug!(parent: span, attempt, ?wait, error = %error, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

impl AuthingError {
    /// True when the request certainly did not reach the server, so even a mutation may be sent again.
    pub(crate) fn never_reached_server(&self) -> bool {
        match self {
            AuthingError::Transport(e) => e.is_connect(),
            AuthingError::Timeout { kind, .. } => *kind == TimeoutKind::Connect,
            _ => false,
        }
    }
}

/// The wait before attempt `failed_attempt + 1`: `Retry-After` when the server gave one (capped), otherwise an
/// exponential back-off with full jitter.
fn delay(config: &RetryConfig, failed_attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(config.max_retry_after());
    }
    let exponent = failed_attempt.saturating_sub(1).min(16);
    let ceiling = config.initial_backoff().saturating_mul(1 << exponent).min(config.max_backoff());
    let ceiling_ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::thread_rng().gen_range(0..=ceiling_ms))
}

/// `Retry-After` in seconds (the HTTP-date form is not used by Authing and is ignored).
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_under_its_ceiling() {
        let config = RetryConfig::standard();
        for attempt in 1..10 {
            let ceiling = (config.initial_backoff() * (1 << (attempt - 1))).min(config.max_backoff());
            for _ in 0..50 {
                assert!(delay(&config, attempt, None) <= ceiling);
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let config = RetryConfig::standard().with_max_retry_after(Duration::from_secs(3));
        assert_eq!(delay(&config, 1, Some(Duration::from_secs(2))), Duration::from_secs(2));
        assert_eq!(delay(&config, 1, Some(Duration::from_secs(600))), Duration::from_secs(3));
    }

    #[test]
    fn parses_retry_after_seconds_only() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
