//! `Page<T>`: one page of a list, and the stream that follows the pages after it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;

use crate::error::Result;

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;

/// Fetches page `n` of the same list, with the same filters.
pub(crate) type PageSource<T> = Arc<dyn Fn(u32) -> PageFuture<T> + Send + Sync>;

/// A page as Authing sends it: `{totalCount, list}`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: serde::Deserialize<'de>"))]
pub(crate) struct WirePage<T> {
    #[serde(default)]
    pub(crate) total_count: u64,
    #[serde(default = "Vec::new")]
    pub(crate) list: Vec<T>,
}

impl<T> WirePage<T> {
    pub(crate) fn empty() -> Self {
        Self { total_count: 0, list: Vec::new() }
    }
}

/// One page of a list.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use futures::TryStreamExt;
///
/// let first = management.users().list().limit(50).send().await?;
/// println!("{} users in all, {} on this page", first.total_count, first.items.len());
///
/// // Every user, page after page, fetched as the stream is read.
/// let everyone: Vec<_> = first.into_stream().try_collect().await?;
/// # assert!(everyone.is_empty());
/// # Ok(())
/// # }
/// ```
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total_count: u64,
    /// This page's number, from 1.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    source: Option<PageSource<T>>,
}

impl<T: fmt::Debug> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field("total_count", &self.total_count)
            .field("page", &self.page)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl<T> Page<T> {
    pub(crate) fn new(items: Vec<T>, total_count: u64, page: u32, limit: u32) -> Self {
        Self { items, total_count, page, limit, source: None }
    }

    pub(crate) fn with_source(mut self, source: PageSource<T>) -> Self {
        self.source = Some(source);
        self
    }

    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        !self.items.is_empty() && u64::from(self.page) * u64::from(self.limit) < self.total_count
    }

    /// Fetches the page after this one, with the same filters; `None` after the last page.
    ///
    /// # Errors
    /// As the call that produced this page.
    pub async fn next_page(&self) -> Result<Option<Page<T>>> {
        if self.items.is_empty() {
            return Ok(None);
        }
        fetch_after(self.source.as_ref(), self.page, self.limit, self.total_count).await
    }

    /// Every item of this page and of the pages after it, fetched lazily with the same filters. The stream ends
    /// after the last page (an empty page, or `page * limit >= total_count`) and after the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: Send + 'static,
    {
        let cursor = Cursor {
            items: self.items.into_iter(),
            page: self.page,
            limit: self.limit,
            total_count: self.total_count,
            source: self.source,
        };
        futures_util::stream::unfold(Some(cursor), |state| async move {
            let mut cursor = state?;
            loop {
                if let Some(item) = cursor.items.next() {
                    return Some((Ok(item), Some(cursor)));
                }
                match fetch_after(cursor.source.as_ref(), cursor.page, cursor.limit, cursor.total_count).await {
                    Ok(Some(next)) if !next.items.is_empty() => {
                        cursor = Cursor {
                            items: next.items.into_iter(),
                            page: next.page,
                            limit: next.limit,
                            total_count: next.total_count,
                            source: next.source,
                        };
                    }
                    Ok(_) => return None,
                    Err(error) => return Some((Err(error), None)),
                }
            }
        })
    }
}

/// Where a stream over pages stands: the items left of the current page, and how to get the next one.
struct Cursor<T> {
    items: std::vec::IntoIter<T>,
    page: u32,
    limit: u32,
    total_count: u64,
    source: Option<PageSource<T>>,
}

async fn fetch_after<T>(
    source: Option<&PageSource<T>>,
    page: u32,
    limit: u32,
    total_count: u64,
) -> Result<Option<Page<T>>> {
    match source {
        Some(source) if u64::from(page) * u64::from(limit) < total_count => {
            let next = source(page + 1).await?;
            Ok(Some(next.with_source(source.clone())))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AuthingError;
    use futures_util::StreamExt;

    #[test]
    fn wire_pages_of_any_length_decode_in_order() {
        for length in [0usize, 1, 16, 17, 100] {
            let list: Vec<usize> = (0..length).collect();
            let body = serde_json::json!({ "totalCount": 500, "list": list }).to_string();
            let page: WirePage<usize> = serde_json::from_str(&body).unwrap();
            assert_eq!((page.total_count, page.list), (500, list));
        }
        let missing: WirePage<usize> = serde_json::from_str(r#"{"totalCount": 0}"#).unwrap();
        assert!(missing.list.is_empty());
        assert!(serde_json::from_str::<WirePage<usize>>(r#"{"totalCount": 0, "list": {}}"#).is_err());
    }

    /// A list of `total` numbers served `limit` at a time, whose page `fail_at` fails.
    fn numbers(total: u32, limit: u32, fail_at: Option<u32>) -> PageSource<u32> {
        Arc::new(move |page| {
            Box::pin(async move {
                if Some(page) == fail_at {
                    return Err(AuthingError::config("page", "failed on purpose"));
                }
                let items = ((page - 1) * limit..(page * limit).min(total)).collect();
                Ok(Page::new(items, u64::from(total), page, limit))
            })
        })
    }

    async fn first(source: PageSource<u32>) -> Page<u32> {
        source(1).await.unwrap().with_source(source)
    }

    #[tokio::test]
    async fn streams_every_item_once_in_order() {
        let items: Vec<u32> = first(numbers(25, 10, None)).await.into_stream().map(|r| r.unwrap()).collect().await;
        assert_eq!(items, (0..25).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn stops_after_the_first_error() {
        let results: Vec<_> = first(numbers(25, 10, Some(2))).await.into_stream().collect().await;
        assert_eq!(results.len(), 11);
        assert!(results[..10].iter().all(Result::is_ok));
        assert!(results[10].is_err());
    }

    #[tokio::test]
    async fn stops_at_an_empty_page_even_if_the_total_says_more() {
        let lying: PageSource<u32> = Arc::new(|page| {
            Box::pin(async move {
                let items = if page == 1 { vec![1, 2] } else { Vec::new() };
                Ok(Page::new(items, 1_000, page, 2))
            })
        });
        let items: Vec<_> = first(lying).await.into_stream().collect().await;
        assert_eq!(items.len(), 2);
    }

    #[tokio::test]
    async fn next_pages_keep_following() {
        let page = first(numbers(25, 10, None)).await;
        let second = page.next_page().await.unwrap().unwrap();
        let third = second.next_page().await.unwrap().unwrap();
        assert_eq!(third.items, (20..25).collect::<Vec<_>>());
        assert!(!third.has_next());
        assert!(third.next_page().await.unwrap().is_none());
    }
}
