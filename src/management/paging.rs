//! Paged lists of the management API: one code path for the first page and the ones a stream fetches after it.

use std::pin::Pin;
use std::sync::Arc;

use super::ManagementClient;
use crate::error::Result;
use crate::page::{Page, PageSource};

pub(super) use crate::page::WirePage;

/// The variables of a paged list, whose page number can be changed.
pub(super) trait PagedVars: Clone + Send + Sync + 'static {
    fn page(&self) -> u32;
    fn limit(&self) -> u32;
    fn set_page(&mut self, page: u32);
}

pub(super) type WireFuture<T> = Pin<Box<dyn Future<Output = Result<WirePage<T>>> + Send>>;

/// Fetches the first page, attached to a source that fetches the next ones with the same variables.
pub(super) async fn first_page<V: PagedVars, T: Send + 'static>(
    client: &ManagementClient,
    vars: V,
    fetch: fn(ManagementClient, V) -> WireFuture<T>,
) -> Result<Page<T>> {
    let first = vars.page();
    let client = client.clone();
    let source: PageSource<T> = Arc::new(move |page| {
        let client = client.clone();
        let mut vars = vars.clone();
        vars.set_page(page);
        Box::pin(async move {
            let (page, limit) = (vars.page(), vars.limit());
            let wire = fetch(client, vars).await?;
            Ok(Page::new(wire.list, wire.total_count, page, limit))
        })
    });
    Ok(source(first).await?.with_source(source))
}

/// Page and limit of the lists that take nothing else, with their setters.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(super) struct PageLimit {
    pub(super) page: u32,
    pub(super) limit: u32,
}

impl Default for PageLimit {
    fn default() -> Self {
        Self { page: 1, limit: 10 }
    }
}

/// Implements [`PagedVars`] for a variables struct whose `page` field is a [`PageLimit`] (flattened).
macro_rules! paged_vars {
    ($vars:ty) => {
        impl $crate::management::paging::PagedVars for $vars {
            fn page(&self) -> u32 {
                self.page.page
            }

            fn limit(&self) -> u32 {
                self.page.limit
            }

            fn set_page(&mut self, page: u32) {
                self.page.page = page;
            }
        }
    };
}
pub(super) use paged_vars;

/// The `page` and `limit` setters of a builder whose `vars.page` is a [`PageLimit`].
macro_rules! page_setters {
    () => {
        /// The page to fetch, from 1 (default 1).
        pub fn page(mut self, page: u32) -> Self {
            self.vars.page.page = page.max(1);
            self
        }

        /// The page size (default 10).
        pub fn limit(mut self, limit: u32) -> Self {
            self.vars.page.limit = limit.max(1);
            self
        }
    };
}
pub(super) use page_setters;

/// Collects ids or codes given as anything string-like.
pub(super) fn strings<I, S>(values: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    values.into_iter().map(Into::into).collect()
}
