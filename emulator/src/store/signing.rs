//! The RSA signing key of the OIDC provider and its public key set (JWKS).
//!
//! Every emulator signs RS256 tokens (OIDC access tokens, and id tokens unless the application asks for HS256)
//! with one RSA-2048 key, published at `{host}/oidc/.well-known/jwks.json` as
//! `{"keys": [{"kty": "RSA", "kid", "use": "sig", "alg": "RS256", "n", "e"}]}`. The `kid` is the key's RFC 7638
//! thumbprint (SHA-256). Generating a 2048-bit key takes a while, so the first key of every emulator of the
//! process is one shared key, generated on first use; [`KeySet::rotate`] gives one emulator a fresh key of its
//! own. After a rotation the old key leaves the set: tokens it signed no longer verify, neither here nor for
//! a client that verifies offline against the served key set.

use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use serde::Serialize;

use crate::crypto;

/// The size of the signing keys, in bits.
pub(crate) const KEY_BITS: usize = 2048;

/// One RSA signing key: the private half for `jsonwebtoken`, the public half as a JWK.
pub(crate) struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Jwk,
}

impl SigningKey {
    /// A new random key.
    ///
    /// # Panics
    /// Never for a key the `rsa` crate generated: its PKCS#1 encoding and public components always exist.
    pub(crate) fn generate() -> SigningKey {
        let private = crypto::generate_key(KEY_BITS);
        let der = private.to_pkcs1_der().expect("encoding a generated RSA key as PKCS#1 DER");
        let encoding = EncodingKey::from_rsa_der(der.as_bytes());
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::RS256).expect("the public half of an RSA key");
        let kid = jwk.thumbprint(ThumbprintHash::SHA256);
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let decoding = DecodingKey::from_jwk(&jwk).expect("a JWK made from an RSA key");
        SigningKey { kid, encoding, decoding, jwk }
    }

    /// The key id (`kid`) of the tokens it signs.
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs claims as an RS256 JWT whose header names this key.
    pub(crate) fn sign<T: Serialize>(&self, claims: &T) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("RS256 signing of serialisable claims")
    }
}

static SHARED_KEY: OnceLock<Arc<SigningKey>> = OnceLock::new();

/// The first signing key of every emulator of this process.
fn shared_key() -> Arc<SigningKey> {
    SHARED_KEY.get_or_init(|| Arc::new(SigningKey::generate())).clone()
}

/// The signing key of one emulator; replaced by [`KeySet::rotate`].
pub(crate) struct KeySet {
    current: RwLock<Arc<SigningKey>>,
}

impl Default for KeySet {
    fn default() -> Self {
        KeySet { current: RwLock::new(shared_key()) }
    }
}

impl KeySet {
    /// The key that signs now.
    pub(crate) fn current(&self) -> Arc<SigningKey> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the signing key by a new one; the old one leaves the key set. Returns the new `kid`.
    pub(crate) fn rotate(&self) -> String {
        let fresh = Arc::new(SigningKey::generate());
        let kid = fresh.kid.clone();
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = fresh;
        kid
    }

    /// The published key set.
    pub(crate) fn jwks(&self) -> JwkSet {
        JwkSet { keys: vec![self.current().jwk.clone()] }
    }

    /// The public key of `kid` when it is in the set.
    pub(crate) fn decoding_key(&self, kid: &str) -> Option<DecodingKey> {
        let key = self.current();
        (key.kid == kid).then(|| key.decoding.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::Validation;

    #[test]
    fn signs_verifies_and_rotates() {
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let set = KeySet::default();
        let key = set.current();
        let token = key.sign(&serde_json::json!({ "sub": "u", "exp": u64::MAX / 2 }));
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.kid.as_deref(), Some(key.kid()));
        let jwks = serde_json::to_value(set.jwks()).unwrap();
        assert_eq!(jwks["keys"][0]["use"], "sig");
        assert_eq!(jwks["keys"][0]["alg"], "RS256");
        assert_eq!(jwks["keys"][0]["kty"], "RSA");
        assert_eq!(jwks["keys"][0]["kid"], key.kid());
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_required_spec_claims(&["exp"]);
        let decoding = set.decoding_key(key.kid()).unwrap();
        assert!(jsonwebtoken::decode::<serde_json::Value>(&token, &decoding, &validation).is_ok());
        let new_kid = set.rotate();
        assert_ne!(new_kid, key.kid());
        assert!(set.decoding_key(key.kid()).is_none(), "the old key left the set");
        assert_eq!(set.jwks().keys.len(), 1);
    }
}
