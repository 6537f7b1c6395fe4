//! Redacted holders for the secrets the SDK handles.
//!
//! None of these types implements `Display` or `PartialEq`, and their `Debug` output is `[redacted]`, so a secret
//! cannot end up in a log line by accident. Read the value with `expose()` where it is really needed.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Arc::from(value.into()))
            }

            /// The value itself. Avoid logging or displaying it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::new)
            }
        }
    };
}

secret_type!(
    /// The secret of a user pool (or of an application), used to obtain a management token.
    ///
    /// ```
    /// let secret = authing::Secret::new("s3cr3t");
    /// assert_eq!(format!("{secret:?}"), "Secret([redacted])");
    /// assert_eq!(secret.expose(), "s3cr3t");
    /// ```
    Secret
);

secret_type!(
    /// A bearer token: a management access token or an end user's token (a JWT).
    ///
    /// ```
    /// let token = authing::AccessToken::new("eyJhbGciOi...");
    /// assert!(!format!("{token:?}").contains("eyJ"));
    /// ```
    AccessToken
);

secret_type!(
    /// The MFA token of a login that needs a second factor (see
    /// [`AuthingError::MfaRequired`](crate::AuthingError::MfaRequired)): accepted only by the MFA calls, for a few
    /// minutes.
    ///
    /// ```
    /// let token = authing::MfaToken::new("0f3a...");
    /// assert_eq!(format!("{token:?}"), "MfaToken([redacted])");
    /// ```
    MfaToken
);

/// A clear-text password, as given by the caller before the SDK encrypts it.
///
/// The text is held in a buffer that is zeroed when the password is dropped; the SDK encrypts it from there
/// without copying it.
///
/// ```
/// let password = authing::Password::new("correct horse");
/// assert_eq!(format!("{password:?}"), "Password([redacted])");
/// ```
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Wraps a password, taking ownership of the `String` given (a `&str` is copied into the zeroizing buffer).
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The password itself. Avoid logging or displaying it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl From<String> for Password {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Password {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl<'de> serde::Deserialize<'de> for Password {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// Serializes a secret's value: for request variables only.
pub(crate) fn expose_option<S: serde::Serializer>(
    secret: &Option<AccessToken>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose()),
        None => serializer.serialize_none(),
    }
}
