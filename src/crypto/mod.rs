//! Password encryption: RSA PKCS#1 v1.5 with the user pool's public key, base64-encoded, as Authing expects every
//! password it receives in a GraphQL mutation.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};

pub(crate) mod keys;

use crate::error::{AuthingError, Result};
use crate::secret::Password;
use crate::transport::RestCall;
use crate::transport::{Endpoint, Transport};
use keys::{PUBLIC_CLOUD_KEY, WellKnown, parse_public_key};

impl Transport {
    /// Encrypts a password for Authing: RSA PKCS#1 v1.5, then standard base64.
    ///
    /// A failure to reach the server while discovering the key is returned as is and tried again by the next call;
    /// a server that answers without a key gets the public cloud's default key.
    pub(crate) async fn encrypt_password(&self, password: &Password) -> Result<String> {
        let key = self.public_key().await?;
        // The plain text is borrowed from the password's zeroizing holder, and `rsa` pads it in a zeroizing buffer.
        let cipher = key
            .encrypt(&mut rand::thread_rng(), Pkcs1v15Encrypt, password.expose().as_bytes())
            .map_err(|e| AuthingError::Encryption(Box::new(e)))?;
        Ok(STANDARD.encode(cipher))
    }

    async fn public_key(&self) -> Result<&RsaPublicKey> {
        if let Some(key) = &self.keys.configured {
            return Ok(key);
        }
        self.keys.discovered.get_or_try_init(|| self.discover_public_key()).await
    }

    async fn discover_public_key(&self) -> Result<RsaPublicKey> {
        let endpoint = Endpoint::new(&self.keys.host, None, None, self.lang())?;
        let call = RestCall::get("publicKey", &[".well-known"]);
        let published = match self.rest::<_, _, Option<WellKnown>>(&endpoint, None, &call).await {
            Ok(well_known) => well_known.and_then(|w| w.public_key).filter(|k| !k.trim().is_empty()),
            Err(AuthingError::Api(_)) => None,
            Err(other) => return Err(other),
        };
        match published {
            Some(pem) => parse_public_key(&pem),
            None => {
                tracing::debug!("the server publishes no public key; using the public cloud's");
                parse_public_key(PUBLIC_CLOUD_KEY)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPrivateKey;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};

    #[test]
    fn parses_pem_and_bare_base64_keys() {
        let bare = parse_public_key(PUBLIC_CLOUD_KEY).unwrap();
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{PUBLIC_CLOUD_KEY}\n-----END PUBLIC KEY-----\n");
        assert_eq!(parse_public_key(&pem).unwrap(), bare);
    }

    #[test]
    fn a_bad_key_is_a_config_error_naming_the_public_key() {
        for (text, reason) in [
            ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "is not an RSA public key"),
            ("not base64 at all!", "is not base64 or PEM"),
        ] {
            let err = crate::Options::builder().public_key(text).build().unwrap_err();
            match err {
                AuthingError::Config { field, reason: r, .. } => {
                    assert_eq!((field, r.as_str()), ("public_key", reason))
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn encrypted_passwords_decrypt_with_the_private_key() {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let pem = private.to_public_key().to_public_key_pem(LineEnding::LF).unwrap();
        let options = crate::Options::builder().public_key(pem).build().unwrap();
        let cipher = options.transport.encrypt_password(&Password::new("p@ssw0rd")).await.unwrap();
        let plain = private.decrypt(Pkcs1v15Encrypt, &STANDARD.decode(cipher).unwrap()).unwrap();
        assert_eq!(plain, b"p@ssw0rd");
    }

    #[tokio::test]
    async fn too_long_passwords_are_an_encryption_error_without_the_password() {
        let options = crate::Options::builder().public_key(PUBLIC_CLOUD_KEY).build().unwrap();
        let long = "x".repeat(200);
        let err = options.transport.encrypt_password(&Password::new(long.clone())).await.unwrap_err();
        assert!(matches!(err, AuthingError::Encryption(_)));
        assert!(!format!("{err:?} {err}").contains(&long));
    }
}
