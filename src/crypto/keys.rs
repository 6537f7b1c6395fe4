//! Public keys: parsing one, and the key set a transport encrypts passwords with. Nothing here makes a request.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::RsaPublicKey;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use serde::Deserialize;
use tokio::sync::OnceCell;
use url::Url;

use crate::error::{AuthingError, Result};

/// The public key of Authing's public cloud, used when the options give none and the server publishes none.
pub(super) const PUBLIC_CLOUD_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae+TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uMGKl64GDcIq3au+aqJQIDAQAB";

/// Parses a public key given as PEM (SubjectPublicKeyInfo or PKCS#1, lines of any length) or as the base64 body
/// of an SPKI PEM alone.
pub(crate) fn parse_public_key(text: &str) -> Result<RsaPublicKey> {
    let body: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("-----"))
        .flat_map(|line| line.split_whitespace())
        .collect();
    let der =
        STANDARD.decode(body).map_err(|e| AuthingError::config_source("public_key", "is not base64 or PEM", e))?;
    RsaPublicKey::from_public_key_der(&der)
        .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
        .map_err(|e| AuthingError::config_source("public_key", "is not an RSA public key", e))
}

/// The key passwords are encrypted with: the configured one, else the one the server publishes (fetched once,
/// single-flight), else the public cloud's.
pub(crate) struct PublicKeys {
    pub(super) configured: Option<RsaPublicKey>,
    pub(super) discovered: OnceCell<RsaPublicKey>,
    pub(super) host: Url,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WellKnown {
    pub(super) public_key: Option<String>,
}

impl PublicKeys {
    pub(crate) fn new(configured: Option<RsaPublicKey>, host: Url) -> Self {
        Self { configured, discovered: OnceCell::new(), host }
    }
}
