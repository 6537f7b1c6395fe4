//! Entry points into the SDK's own encoding and decoding, for its benchmarks only: not part of the API, and may
//! change in any release.

use bytes::Bytes;
use reqwest::StatusCode;

use crate::error::Result;
use crate::models::User;
use crate::transport::{RawResponse, RootField, decode_response, decode_root, encode_body};

/// Encodes the body of a `users` list request as the SDK sends it.
pub fn encode_users_request(page: u32, limit: u32) -> Result<Vec<u8>> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Vars {
        page: u32,
        limit: u32,
        with_custom_data: bool,
    }
    encode_body(&crate::management::USERS, &Vars { page, limit, with_custom_data: false })
}

/// Decodes a `users` response body as the SDK does: the total and the typed users.
pub fn decode_users_page(body: &[u8]) -> Result<(u64, Vec<User>)> {
    let raw = answer(body);
    let users = decode_root(&raw, crate::models::read_user_page)?;
    Ok((users.total_count, users.list))
}

/// Decodes a `users` response body with serde alone (`User`'s derived `Deserialize`), the path the SDK takes for
/// the bodies its direct reader gives up on.
pub fn decode_users_page_with_serde(body: &[u8]) -> Result<(u64, Vec<User>)> {
    let raw = answer(body);
    let RootField(users): RootField<crate::page::WirePage<User>> = decode_response(&raw)?;
    Ok((users.total_count, users.list))
}

/// Decodes a GraphQL response body that carries an error, as the SDK does.
pub fn decode_error(body: &[u8]) -> crate::AuthingError {
    let raw = answer(body);
    match decode_response::<serde::de::IgnoredAny>(&raw) {
        Ok(_) => crate::AuthingError::decode(200, body, "the body carries no error"),
        Err(error) => error,
    }
}

fn answer(body: &[u8]) -> RawResponse {
    RawResponse { status: StatusCode::OK, retry_after: None, body: Bytes::copy_from_slice(body) }
}

/// Password encryption as the SDK does it for every login: RSA PKCS#1 v1.5 with the pool's public key.
#[derive(Debug)]
pub struct PasswordEncryption(crate::crypto::EncryptionKey);

impl PasswordEncryption {
    /// Prepares the public key `pem` (PEM or the bare base64 of an SPKI key).
    pub fn new(pem: &str) -> Result<Self> {
        crate::crypto::parse_public_key(pem).map(Self)
    }

    /// The cipher text of `password`.
    pub fn encrypt(&self, password: &str) -> Result<Vec<u8>> {
        self.0
            .encrypt(&mut rand::thread_rng(), password.as_bytes())
            .map_err(|e| crate::AuthingError::Encryption(Box::new(e)))
    }
}
