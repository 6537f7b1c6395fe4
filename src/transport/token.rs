//! The management access token cache: shared by clones of a client, refreshed single-flight a margin before it
//! expires, and dropped when the server refuses it.

use std::fmt;
use std::future::Future;
use std::sync::RwLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::Result;
use crate::secret::AccessToken;

/// Refresh this long before `exp`, or at half the token's lifetime when that is shorter.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A management token as the server issued it.
#[derive(Clone)]
#[non_exhaustive]
pub struct ManagementToken {
    /// The bearer token.
    pub access_token: AccessToken,
    /// When it expires, in Unix seconds.
    pub exp: i64,
    /// When it was issued, in Unix seconds.
    pub iat: i64,
}

impl fmt::Debug for ManagementToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementToken")
            .field("access_token", &self.access_token)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .finish()
    }
}

impl ManagementToken {
    /// The Unix second after which the cache fetches a new token instead.
    fn refresh_at(&self) -> i64 {
        let lifetime = (self.exp - self.iat).max(0);
        let margin = i64::try_from(REFRESH_MARGIN.as_secs()).unwrap_or(i64::MAX).min(lifetime / 2);
        self.exp - margin
    }
}

#[derive(Default)]
pub(crate) struct TokenCache {
    current: RwLock<Option<ManagementToken>>,
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.current.read().map(|c| c.is_some()).unwrap_or(false);
        f.debug_struct("TokenCache").field("cached", &cached).finish()
    }
}

impl TokenCache {
    /// The cached token while it is fresh; otherwise one caller fetches a new one while the others wait for it.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<ManagementToken>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<ManagementToken>>,
    {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _single_flight = self.refresh.lock().await;
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let token = fetch().await?;
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(token.clone());
        Ok(token)
    }

    /// Forgets `refused` if it is still the cached token (another caller may already have replaced it).
    pub(crate) fn invalidate(&self, refused: &AccessToken) {
        let mut current = self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.as_ref().is_some_and(|t| t.access_token.expose() == refused.expose()) {
            *current = None;
        }
    }

    fn fresh(&self) -> Option<ManagementToken> {
        let current = self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        current.as_ref().filter(|t| now() < t.refresh_at()).cloned()
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn token(value: &str, lifetime: i64) -> ManagementToken {
        let iat = now();
        ManagementToken { access_token: AccessToken::new(value), exp: iat + lifetime, iat }
    }

    #[tokio::test]
    async fn concurrent_first_calls_fetch_once() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicU32::new(0));
        let calls = (0..200).map(|_| {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tokio::spawn(async move {
                cache
                    .get(|| async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(token("t", 3600))
                    })
                    .await
            })
        });
        for call in calls.collect::<Vec<_>>() {
            assert_eq!(call.await.unwrap().unwrap().access_token.expose(), "t");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn near_expiry_and_invalidated_tokens_are_replaced() {
        let cache = TokenCache::default();
        let first = cache.get(|| async { Ok(token("short", 10)) }).await.unwrap();
        // A 10 s token is refreshed after 5 s; this one is fresh.
        assert_eq!(cache.get(|| async { Ok(token("unused", 10)) }).await.unwrap().access_token.expose(), "short");
        cache.invalidate(&AccessToken::new("someone else's"));
        assert_eq!(cache.get(|| async { Ok(token("unused", 10)) }).await.unwrap().access_token.expose(), "short");
        cache.invalidate(&first.access_token);
        assert_eq!(cache.get(|| async { Ok(token("second", 10)) }).await.unwrap().access_token.expose(), "second");
        let expired = ManagementToken { access_token: AccessToken::new("old"), exp: now() - 1, iat: now() - 100 };
        *cache.current.write().unwrap() = Some(expired);
        assert_eq!(cache.get(|| async { Ok(token("third", 10)) }).await.unwrap().access_token.expose(), "third");
    }
}
