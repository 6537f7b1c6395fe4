//! Password handling: RSA decryption of what clients send, and hashing of what the emulator stores.
//!
//! Clients encrypt every password they send with the emulator's RSA public key (PKCS#1 v1.5 padding),
//! then base64-encode the ciphertext with the standard alphabet. The emulator decrypts it with
//! [`decrypt_password`] and keeps only a salted hash ([`hash_password`], [`verify_password`]): PBKDF2-HMAC-SHA256
//! with one round, deliberately cheap, because this is a test server whose users live in memory.
//!
//! ```
//! use authing_emulator::crypto::{decrypt_password, encrypt_password, hash_password, verify_password};
//! use rsa::{RsaPrivateKey, pkcs8::{EncodePublicKey, LineEnding}};
//!
//! let key = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
//! let pem = key.to_public_key().to_public_key_pem(LineEnding::LF).unwrap();
//! let sent = encrypt_password(&pem, "s3cret!").unwrap();
//! let clear = decrypt_password(&key, &sent).unwrap();
//! let stored = hash_password(&clear);
//! assert!(verify_password(&stored, "s3cret!"));
//! assert!(!verify_password(&stored, "other"));
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pbkdf2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use pbkdf2::{Params, Pbkdf2};
use rand::RngCore as _;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey};

/// Why a password could not be decrypted. The server answers it with Authing code 2016.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordError {
    /// The text is not standard base64.
    NotBase64,
    /// RSA decryption failed (wrong key, wrong padding, wrong length).
    Decrypt,
    /// The plaintext is not UTF-8.
    NotUtf8,
    /// The public key given to [`encrypt_password`] is not a PEM SubjectPublicKeyInfo RSA key.
    BadPublicKey,
    /// RSA encryption failed, e.g. the password is longer than the key allows (117 bytes for 1024 bits).
    Encrypt,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PasswordError::NotBase64 => "the encrypted password is not base64",
            PasswordError::Decrypt => "the password could not be decrypted",
            PasswordError::NotUtf8 => "the decrypted password is not UTF-8",
            PasswordError::BadPublicKey => "the public key is not a PEM RSA public key",
            PasswordError::Encrypt => "the password could not be encrypted",
        })
    }
}

impl std::error::Error for PasswordError {}

/// Generates a fresh RSA key of `bits` bits (two primes, public exponent 65537), like the emulator's own
/// (1024 bits, the size of Authing's password-encryption key).
///
/// ```
/// use rsa::traits::{PrivateKeyParts, PublicKeyParts};
///
/// let key = authing_emulator::crypto::generate_key(1024);
/// assert_eq!((key.size(), key.primes().len()), (128, 2));
/// ```
///
/// # Panics
/// When `bits` is too small for the `rsa` crate to make a key of (under 64 bits).
pub fn generate_key(bits: usize) -> RsaPrivateKey {
    RsaPrivateKey::new(&mut rand::thread_rng(), bits).expect("generating an RSA key")
}

/// Decrypts a password as clients send it: base64 (standard alphabet) of an RSA PKCS#1 v1.5 ciphertext.
///
/// # Errors
/// [`PasswordError::NotBase64`], [`PasswordError::Decrypt`] or [`PasswordError::NotUtf8`].
pub fn decrypt_password(key: &RsaPrivateKey, encrypted: &str) -> Result<String, PasswordError> {
    let bytes = STANDARD.decode(encrypted.trim()).map_err(|_| PasswordError::NotBase64)?;
    let clear = key.decrypt(Pkcs1v15Encrypt, &bytes).map_err(|_| PasswordError::Decrypt)?;
    String::from_utf8(clear).map_err(|_| PasswordError::NotUtf8)
}

/// Encrypts a password the way clients do, with a PEM (SubjectPublicKeyInfo) RSA public key: the
/// counterpart of [`decrypt_password`], for tests that talk to the emulator by hand.
///
/// # Errors
/// [`PasswordError::BadPublicKey`] or [`PasswordError::Encrypt`].
pub fn encrypt_password(public_key_pem: &str, password: &str) -> Result<String, PasswordError> {
    let key = RsaPublicKey::from_public_key_pem(public_key_pem.trim()).map_err(|_| PasswordError::BadPublicKey)?;
    let ct = key
        .encrypt(&mut rand::thread_rng(), Pkcs1v15Encrypt, password.as_bytes())
        .map_err(|_| PasswordError::Encrypt)?;
    Ok(STANDARD.encode(ct))
}

/// One round and a 32-byte output: under a microsecond, where even the least Argon2 allows (8 KiB) took 14 µs of
/// every login. Never use these parameters in production; a hash carries its own, which are what it is checked with.
const HASH_PARAMS: Params = Params { rounds: 1, output_length: 32 };

/// Hashes a clear-text password into a PHC string (`$pbkdf2-sha256$i=1,l=32$...`) with a random 16-byte salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("a 16-byte salt encodes");
    Pbkdf2
        .hash_password_customized(password.as_bytes(), None, None, HASH_PARAMS, &salt)
        .expect("hashing with valid parameters succeeds")
        .to_string()
}

/// Checks a clear-text password against a hash made by [`hash_password`], in constant time. A malformed hash never
/// matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).map(|parsed| Pbkdf2.verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs8::{EncodePublicKey as _, LineEnding};
    use rsa::traits::PublicKeyParts as _;

    fn key() -> RsaPrivateKey {
        generate_key(1024)
    }

    #[test]
    fn round_trip_through_rsa_and_hash() {
        let key = key();
        let ct = key.to_public_key().encrypt(&mut rand::thread_rng(), Pkcs1v15Encrypt, "p@ss 密码".as_bytes()).unwrap();
        let clear = decrypt_password(&key, &STANDARD.encode(ct)).unwrap();
        assert_eq!(clear, "p@ss 密码");
        let hash = hash_password(&clear);
        assert!(hash.starts_with("$pbkdf2-sha256$i=1,l=32$"), "{hash}");
        assert!(!hash.contains("p@ss"));
        assert!(verify_password(&hash, "p@ss 密码"));
        assert!(!verify_password(&hash, "p@ss"));
        assert_ne!(hash, hash_password(&clear), "salts differ");
    }

    #[test]
    fn encrypt_helper_matches_decrypt() {
        let key = key();
        let pem = key.to_public_key().to_public_key_pem(LineEnding::LF).unwrap();
        let sent = encrypt_password(&pem, "hello").unwrap();
        assert_eq!(decrypt_password(&key, &sent).unwrap(), "hello");
        assert_eq!(encrypt_password("nope", "x"), Err(PasswordError::BadPublicKey));
    }

    #[test]
    fn garbage_is_refused() {
        let key = key();
        assert_eq!(decrypt_password(&key, "%%%"), Err(PasswordError::NotBase64));
        assert_eq!(decrypt_password(&key, &STANDARD.encode([1u8; 128])), Err(PasswordError::Decrypt));
        assert_eq!(decrypt_password(&key, &STANDARD.encode([1u8; 127])), Err(PasswordError::Decrypt));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn cipher_texts_without_their_leading_zero_bytes_decrypt() {
        let key = key();
        let public = key.to_public_key();
        let cipher =
            std::iter::repeat_with(|| public.encrypt(&mut rand::thread_rng(), Pkcs1v15Encrypt, b"short").unwrap())
                .find(|cipher| cipher[0] == 0)
                .unwrap();
        assert_eq!(decrypt_password(&key, &STANDARD.encode(&cipher[1..])).unwrap(), "short");
        assert_eq!(decrypt_password(&key, &STANDARD.encode(&cipher)).unwrap(), "short");
    }

    /// The cipher text of an encoded block chosen by the test, padding included: the bare RSA operation
    /// `block^e mod n`.
    fn raw_cipher(key: &RsaPrivateKey, block: &[u8]) -> String {
        let cipher = rsa::BigUint::from_bytes_be(block).modpow(key.e(), key.n());
        let mut bytes = cipher.to_bytes_be();
        while bytes.len() < key.size() {
            bytes.insert(0, 0);
        }
        STANDARD.encode(bytes)
    }

    /// The emulator's own key size and another one.
    #[test]
    fn padding_is_checked_and_messages_of_every_length_come_back() {
        for bits in [1024, 1536] {
            let key = generate_key(bits);
            let size = bits / 8;
            let public = key.to_public_key();
            for length in [0, 1, 64, size - 11] {
                let message = "x".repeat(length);
                let cipher = public.encrypt(&mut rand::thread_rng(), Pkcs1v15Encrypt, message.as_bytes()).unwrap();
                assert_eq!(decrypt_password(&key, &STANDARD.encode(cipher)).unwrap(), message);
            }
            let block = |block_type: u8, padding: usize| {
                let mut block = vec![0u8, block_type];
                block.extend(std::iter::repeat_n(0x55u8, padding));
                block.push(0);
                block.extend(std::iter::repeat_n(b'm', size - block.len()));
                block
            };
            assert_eq!(decrypt_password(&key, &raw_cipher(&key, &block(2, 8))).unwrap(), "m".repeat(size - 11));
            assert_eq!(decrypt_password(&key, &raw_cipher(&key, &block(2, 7))), Err(PasswordError::Decrypt));
            assert_eq!(decrypt_password(&key, &raw_cipher(&key, &block(1, 8))), Err(PasswordError::Decrypt));
            let mut no_separator = block(2, 8);
            no_separator[10] = 0x55;
            assert_eq!(decrypt_password(&key, &raw_cipher(&key, &no_separator)), Err(PasswordError::Decrypt));
            let mut leading_one = block(2, 8);
            leading_one[0] = 1;
            assert_eq!(decrypt_password(&key, &raw_cipher(&key, &leading_one)), Err(PasswordError::Decrypt));
        }
    }
}
