//! The claims of the tokens Authing issues (PROTOCOL §a.7): the OIDC standard claims, Authing's `data` object and
//! `userpool_id`, as [`TokenVerifier`](super::TokenVerifier) returns them.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// The claims of an id token, checked by [`TokenVerifier::verify_id_token`](super::TokenVerifier::verify_id_token).
///
/// Claims Authing may leave out are `Option`; claims this type does not name are kept in
/// [`extra`](Self::extra).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct IdTokenClaims {
    /// The user's id.
    pub sub: String,
    /// The issuer, `{app_host}/oidc`.
    pub iss: String,
    /// The audience: the application id.
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: u64,
    /// Issue time, in seconds since the Unix epoch.
    #[serde(default)]
    pub iat: Option<u64>,
    /// Not before, in seconds since the Unix epoch.
    #[serde(default)]
    pub nbf: Option<u64>,
    /// When the user authenticated, in seconds since the Unix epoch.
    #[serde(default)]
    pub auth_time: Option<u64>,
    /// The nonce of the authorization request.
    #[serde(default)]
    pub nonce: Option<String>,
    /// The hash of the access token issued with this id token.
    #[serde(default)]
    pub at_hash: Option<String>,
    /// The user's standard OIDC profile claims.
    #[serde(flatten)]
    pub profile: StandardClaims,
    /// Authing's `data` object: ids and contact details of the user.
    #[serde(default)]
    pub data: Option<TokenUserData>,
    /// The user pool's id.
    #[serde(default)]
    pub userpool_id: Option<String>,
    /// Every other claim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The claims of an access token, checked by
/// [`TokenVerifier::verify_access_token`](super::TokenVerifier::verify_access_token).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AccessTokenClaims {
    /// The user's id; absent in a token of the client credentials grant.
    #[serde(default)]
    pub sub: Option<String>,
    /// The issuer, `{app_host}/oidc`.
    pub iss: String,
    /// The audience: the application id.
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: u64,
    /// Issue time, in seconds since the Unix epoch.
    #[serde(default)]
    pub iat: Option<u64>,
    /// Not before, in seconds since the Unix epoch.
    #[serde(default)]
    pub nbf: Option<u64>,
    /// The token's id.
    #[serde(default)]
    pub jti: Option<String>,
    /// The granted scopes, separated by spaces; see [`scopes`](Self::scopes).
    #[serde(default)]
    pub scope: Option<String>,
    /// The client the token was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Authing's `data` object: ids and contact details of the user.
    #[serde(default)]
    pub data: Option<TokenUserData>,
    /// The user pool's id.
    #[serde(default)]
    pub userpool_id: Option<String>,
    /// Every other claim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AccessTokenClaims {
    /// The granted scopes, one by one.
    ///
    /// ```
    /// # let claims: authing::oidc::AccessTokenClaims = serde_json::from_value(serde_json::json!({
    /// #     "iss": "https://app.example.com/oidc", "aud": "app", "exp": 1, "scope": "openid profile"
    /// # })).unwrap();
    /// assert!(claims.scopes().any(|s| s == "profile"));
    /// ```
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.as_deref().unwrap_or_default().split_whitespace()
    }

    /// Whether the token was granted `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes().any(|s| s == scope)
    }
}

/// The standard OIDC claims about the user (OpenID Connect Core §5.1), shared by id tokens and
/// [`UserInfo`](super::UserInfo).
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct StandardClaims {
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// Given name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// Middle name.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// Casual name.
    #[serde(default)]
    pub nickname: Option<String>,
    /// The name the user prefers (the username).
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// Profile page URL.
    #[serde(default)]
    pub profile: Option<String>,
    /// Picture URL.
    #[serde(default)]
    pub picture: Option<String>,
    /// Web site URL.
    #[serde(default)]
    pub website: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the e-mail address is verified.
    #[serde(default)]
    pub email_verified: Option<bool>,
    /// Gender, as Authing stores it (`M`, `F`, `U`).
    #[serde(default)]
    pub gender: Option<String>,
    /// Birth date (`YYYY-MM-DD`).
    #[serde(default)]
    pub birthdate: Option<String>,
    /// Time zone.
    #[serde(default)]
    pub zoneinfo: Option<String>,
    /// Locale.
    #[serde(default)]
    pub locale: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Whether the phone number is verified.
    #[serde(default)]
    pub phone_number_verified: Option<bool>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<AddressClaim>,
    /// When the profile was last updated: seconds since the epoch, or the date text Authing sends.
    #[serde(default)]
    pub updated_at: Option<Value>,
}

/// What the userinfo endpoint says about the user of an access token (OpenID Connect Core §5.3), from
/// [`AuthenticationClient::get_user_info_by_access_token`](crate::AuthenticationClient::get_user_info_by_access_token).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's id.
    pub sub: String,
    /// The standard claims the granted scopes allow.
    #[serde(flatten)]
    pub profile: StandardClaims,
    /// Every other claim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `address` claim.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct AddressClaim {
    /// The whole address, for display.
    #[serde(default)]
    pub formatted: Option<String>,
    /// Street address.
    #[serde(default)]
    pub street_address: Option<String>,
    /// City.
    #[serde(default)]
    pub locality: Option<String>,
    /// State, province or region.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub postal_code: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
}

/// Authing's `data` claim: who the token belongs to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenUserData {
    /// `user` for a user's token.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The user's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The user's id, again (`userId`).
    #[serde(default)]
    pub user_id: Option<String>,
    /// The user pool's id.
    #[serde(default)]
    pub user_pool_id: Option<String>,
    /// The application's id.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The user's ARN.
    #[serde(default)]
    pub arn: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// WeChat union id.
    #[serde(default)]
    pub unionid: Option<String>,
    /// WeChat open id.
    #[serde(default)]
    pub openid: Option<String>,
    /// The client id the token was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn id_token_claims_decode_the_login_issued_shape() {
        let claims: IdTokenClaims = serde_json::from_value(json!({
            "sub": "u1", "iss": "https://app.example.com/oidc", "aud": "app", "exp": 2, "iat": 1,
            "nonce": "n", "email": "ada@example.com", "email_verified": true, "updated_at": "2021-01-01T00:00:00Z",
            "address": { "country": "CN" },
            "data": { "type": "user", "id": "u1", "userPoolId": "p", "_id": "u1" },
            "userpool_id": "p", "custom": 7
        }))
        .unwrap();
        assert_eq!((claims.sub.as_str(), claims.aud.as_slice()), ("u1", &["app".to_owned()][..]));
        assert_eq!(claims.profile.email.as_deref(), Some("ada@example.com"));
        assert_eq!(claims.profile.address.unwrap().country.as_deref(), Some("CN"));
        assert_eq!(claims.data.unwrap().user_pool_id.as_deref(), Some("p"));
        assert_eq!(claims.userpool_id.as_deref(), Some("p"));
        assert_eq!(claims.extra["custom"], 7);
    }

    #[test]
    fn access_token_claims_take_an_audience_list_and_split_scopes() {
        let claims: AccessTokenClaims = serde_json::from_value(json!({
            "iss": "i", "aud": ["app", "other"], "exp": 2, "scope": "openid  offline_access", "jti": "j"
        }))
        .unwrap();
        assert_eq!(claims.aud, ["app", "other"]);
        assert_eq!(claims.scopes().collect::<Vec<_>>(), ["openid", "offline_access"]);
        assert!(claims.has_scope("offline_access") && !claims.has_scope("profile"));
    }
}
