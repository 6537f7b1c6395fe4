//! File uploads (the rules are in `store::uploads`):
//!
//! * a user token: `POST /api/v2/upload?folder=avatar`, a `multipart/form-data` body whose `file` part is an image
//!   (`image/*`): `data: {url}`, the URL at which the emulator serves the file back. No `file` part, or one that
//!   is not an image, is refused with 400; a body over the limit with HTTP 413 and code 413, like every other
//!   body; no valid token with 2020;
//! * no token: `GET /user-contents/{folder}/{id}`: the uploaded bytes with their media type, else 404.

use axum::Router;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::RestState;
use super::envelope::{bearer, reply};
use crate::store::error::{ApiError, Code};
use crate::store::tokens;

/// The multipart part that carries the file, as the JS SDK names it.
const FILE_FIELD: &str = "file";

/// The routes of this module.
pub(crate) fn routes() -> Router<RestState> {
    Router::new().route("/api/v2/upload", post(upload)).route("/user-contents/{folder}/{id}", get(download))
}

#[derive(Deserialize)]
struct UploadQuery {
    folder: Option<String>,
}

/// `POST /api/v2/upload?folder=`.
async fn upload(
    AxState(app): AxState<RestState>,
    headers: HeaderMap,
    Query(query): Query<UploadQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(e) = tokens::token_user(&app.state, bearer(&headers)) {
        return reply(&headers, Err(e));
    }
    let Ok(multipart) = multipart else {
        return reply(&headers, Err(no_file()));
    };
    let (bytes, content_type) = match image_part(multipart).await {
        Ok(part) => part,
        Err(Refusal::Api(e)) => return reply(&headers, Err(e)),
        // Past the body limit: axum's plain-text 413, turned into the envelope by `envelope_errors`.
        Err(Refusal::Multipart(e)) => return e.into_response(),
    };
    let result = app.state.uploads.put_image(bytes, &content_type).map(|id| {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
        let folder = match query.folder.as_deref().map(str::trim) {
            Some(folder) if !folder.is_empty() && folder.chars().all(|c| c.is_ascii_alphanumeric()) => folder,
            _ => "files",
        };
        json!({ "url": format!("http://{host}/user-contents/{folder}/{id}") })
    });
    reply(&headers, result)
}

enum Refusal {
    Api(ApiError),
    Multipart(MultipartError),
}

/// The bytes and media type of the `file` part; other parts are skipped.
async fn image_part(mut multipart: Multipart) -> Result<(Vec<u8>, String), Refusal> {
    let too_large = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { Refusal::Multipart(e) } else { Refusal::Api(no_file()) }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() != Some(FILE_FIELD) {
            continue;
        }
        let content_type = field.content_type().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(too_large)?;
        return Ok((bytes.to_vec(), content_type));
    }
    Err(Refusal::Api(no_file()))
}

fn no_file() -> ApiError {
    ApiError::with_message(Code::BadRequest, "请上传文件", "A file is required in the `file` part")
}

/// `GET /user-contents/{folder}/{id}`.
async fn download(AxState(app): AxState<RestState>, Path((_folder, id)): Path<(String, String)>) -> Response {
    match app.state.uploads.get(&id) {
        Some(file) => ([(header::CONTENT_TYPE, file.content_type)], file.bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
