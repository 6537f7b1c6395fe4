//! Uploaded files (`POST /api/v2/upload`): kept in memory under a random id and served back by URL, as Authing
//! serves an uploaded avatar from its file host.
//!
//! Each file is bounded by the request body limit; the store keeps the latest [`MAX_FILES`] and forgets the oldest
//! past that, so that uploads cannot grow the emulator's memory without bound.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use crate::store::common::new_id;
use crate::store::error::{ApiError, Code};

/// The most files kept at once.
pub(crate) const MAX_FILES: usize = 256;

/// One uploaded file: its bytes and media type.
#[derive(Clone)]
pub(crate) struct StoredFile {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: String,
}

#[derive(Default)]
struct Files {
    by_id: HashMap<String, StoredFile>,
    order: VecDeque<String>,
}

/// The uploaded files.
#[derive(Default)]
pub(crate) struct UploadStore {
    files: Mutex<Files>,
}

impl UploadStore {
    /// Keeps an image and returns its id. A file that is not an image (`image/*`) or is empty is refused with 400.
    pub(crate) fn put_image(&self, bytes: Vec<u8>, content_type: &str) -> Result<String, ApiError> {
        let content_type = content_type.trim().to_ascii_lowercase();
        if !content_type.starts_with("image/") {
            return Err(ApiError::with_message(Code::BadRequest, "只能上传图片", "Only images can be uploaded"));
        }
        if bytes.is_empty() {
            return Err(ApiError::with_message(Code::BadRequest, "文件为空", "The file is empty"));
        }
        let id = new_id();
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        while files.order.len() >= MAX_FILES {
            if let Some(oldest) = files.order.pop_front() {
                files.by_id.remove(&oldest);
            }
        }
        files.order.push_back(id.clone());
        files.by_id.insert(id.clone(), StoredFile { bytes, content_type });
        Ok(id)
    }

    /// The file kept under `id`.
    pub(crate) fn get(&self, id: &str) -> Option<StoredFile> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).by_id.get(id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_kept_and_other_files_refused() {
        let store = UploadStore::default();
        let id = store.put_image(vec![1, 2, 3], "image/png").unwrap();
        let file = store.get(&id).unwrap();
        assert_eq!((file.bytes, file.content_type.as_str()), (vec![1, 2, 3], "image/png"));
        assert_eq!(store.put_image(vec![1], "text/plain").unwrap_err().code.number(), 400);
        assert_eq!(store.put_image(Vec::new(), "image/png").unwrap_err().code.number(), 400);
    }

    #[test]
    fn the_oldest_file_is_forgotten_past_the_cap() {
        let store = UploadStore::default();
        let first = store.put_image(vec![0], "image/gif").unwrap();
        for _ in 0..MAX_FILES {
            store.put_image(vec![1], "image/gif").unwrap();
        }
        assert!(store.get(&first).is_none());
    }
}
