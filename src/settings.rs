//! The settings the transport runs with: language, timeouts, retries. `Options` carries them; they live below it so
//! that the transport depends on them and not on the options.

use std::time::Duration;

use url::Url;

use crate::error::{AuthingError, Result};

/// The language Authing answers in (`x-authing-lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lang {
    /// Simplified Chinese, the server's default.
    ZhCn,
    /// English.
    EnUs,
}

impl Lang {
    /// The header value: `zh-CN` or `en-US`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::EnUs => "en-US",
        }
    }
}

/// Timeouts of every request.
///
/// Defaults: connect 5 s, one attempt 10 s, the whole operation including retries 30 s.
///
/// ```
/// use std::time::Duration;
/// let timeouts = authing::Timeouts::default().with_operation(Duration::from_secs(60));
/// assert_eq!(timeouts.operation(), Duration::from_secs(60));
/// assert_eq!(timeouts.connect(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    connect: Duration,
    attempt: Duration,
    operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { connect: Duration::from_secs(5), attempt: Duration::from_secs(10), operation: Duration::from_secs(30) }
    }
}

impl Timeouts {
    /// Sets the time allowed to open a connection.
    pub fn with_connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// Sets the time allowed for one attempt: sending the request and reading the whole response.
    pub fn with_attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout;
        self
    }

    /// Sets the time allowed for a whole operation, retries and their back-off included.
    pub fn with_operation(mut self, timeout: Duration) -> Self {
        self.operation = timeout;
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Duration {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Duration {
        self.attempt
    }

    /// The whole-operation timeout.
    pub fn operation(&self) -> Duration {
        self.operation
    }

    pub(crate) fn validate(&self) -> Result<()> {
        for (field, value) in [
            ("timeouts.connect", self.connect),
            ("timeouts.attempt", self.attempt),
            ("timeouts.operation", self.operation),
        ] {
            if value.is_zero() {
                return Err(AuthingError::config(field, "must be greater than zero"));
            }
        }
        Ok(())
    }
}

/// When a failed request is tried again.
///
/// Only requests that cannot change anything are retried (GraphQL queries and REST `GET`s), on connection errors,
/// timeouts and the statuses 429, 502, 503 and 504, honouring `Retry-After`. A mutation, a login or a registration
/// is tried again only when it failed to connect, so it never reached the server.
///
/// ```
/// use std::time::Duration;
/// let standard = authing::RetryConfig::standard();
/// assert_eq!(standard.max_attempts(), 3);
/// let patient = standard.with_max_attempts(5).with_initial_backoff(Duration::from_millis(50));
/// assert_eq!(authing::RetryConfig::disabled().max_attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// 3 attempts, exponential back-off from 100 ms up to 5 s with full jitter, `Retry-After` honoured up to 20 s.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(20),
        }
    }

    /// One attempt, never retried.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::standard() }
    }

    /// Sets the number of attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the back-off before the second attempt; it doubles for each following one.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest back-off between two attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the longest wait a `Retry-After` header may impose.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The back-off before the second attempt.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest back-off between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest wait a `Retry-After` header may impose.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }
}

/// What the transport is built from.
pub(crate) struct TransportSettings {
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) lang: Option<Lang>,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) public_key: Option<rsa::RsaPublicKey>,
    pub(crate) key_host: Url,
    pub(crate) max_response_bytes: usize,
}
