//! Users and what comes with them: identities, departments, organizations, login status, audit entries, inputs.

use serde::{Deserialize, Deserializer, Serialize};

use super::application::Application;
use super::udf::{CustomData, deserialize_custom_data, wire_enum};
use crate::secret::{AccessToken, Password, Secret, expose_option};

wire_enum!(
    /// The status of a user account.
    UserStatus {
        /// Suspended by an administrator.
        Suspended = "Suspended",
        /// Resigned (left the organization).
        Resigned = "Resigned",
        /// Active.
        Activated = "Activated",
        /// Archived.
        Archived = "Archived",
    }
);

/// A user of the pool, with every field of Authing's `User` type (`None` where the server gives null).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct User {
    /// The user id.
    pub id: String,
    /// The user's ARN (`arn:cn:authing:{pool}:user:{id}`).
    #[serde(default)]
    pub arn: String,
    /// The account status.
    pub status: Option<UserStatus>,
    /// The user pool the user belongs to.
    #[serde(default)]
    pub user_pool_id: String,
    /// The username.
    pub username: Option<String>,
    /// The e-mail address (stored lower-cased).
    pub email: Option<String>,
    /// Whether the e-mail address is verified.
    pub email_verified: Option<bool>,
    /// The phone number.
    pub phone: Option<String>,
    /// Whether the phone number is verified.
    pub phone_verified: Option<bool>,
    /// The phone number's country code.
    pub phone_country_code: Option<String>,
    /// The WeChat union id.
    pub unionid: Option<String>,
    /// The WeChat open id.
    pub openid: Option<String>,
    /// The identities the user has at identity providers (always a list).
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub identities: Vec<Identity>,
    /// The nickname.
    pub nickname: Option<String>,
    /// How the user registered.
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub register_source: Vec<String>,
    /// The avatar URL.
    pub photo: Option<String>,
    /// Never selected by this crate; redacted in `Debug`.
    pub password: Option<Secret>,
    /// The raw data of the social login the user came from.
    pub oauth: Option<String>,
    /// The user's token, when the call issued one.
    pub token: Option<AccessToken>,
    /// When the token expires.
    pub token_expired_at: Option<String>,
    /// How many times the user logged in.
    pub logins_count: Option<i64>,
    /// The last login (ISO-8601).
    pub last_login: Option<String>,
    /// The IP of the last login.
    #[serde(rename = "lastIP")]
    pub last_ip: Option<String>,
    /// When the user signed up (ISO-8601).
    pub signed_up: Option<String>,
    /// Whether the account is blocked.
    pub blocked: Option<bool>,
    /// Whether the account is deleted.
    pub is_deleted: Option<bool>,
    /// The device of the last login.
    pub device: Option<String>,
    /// The browser of the last login.
    pub browser: Option<String>,
    /// The company.
    pub company: Option<String>,
    /// The full name.
    pub name: Option<String>,
    /// The given name.
    pub given_name: Option<String>,
    /// The family name.
    pub family_name: Option<String>,
    /// The middle name.
    pub middle_name: Option<String>,
    /// The profile page URL.
    pub profile: Option<String>,
    /// The preferred username.
    pub preferred_username: Option<String>,
    /// The website.
    pub website: Option<String>,
    /// The gender (`M`, `F`, `U`).
    pub gender: Option<String>,
    /// The birth date.
    pub birthdate: Option<String>,
    /// The time zone.
    pub zoneinfo: Option<String>,
    /// The locale.
    pub locale: Option<String>,
    /// The address.
    pub address: Option<String>,
    /// The formatted address.
    pub formatted: Option<String>,
    /// The street address.
    pub street_address: Option<String>,
    /// The locality.
    pub locality: Option<String>,
    /// The region.
    pub region: Option<String>,
    /// The postal code.
    pub postal_code: Option<String>,
    /// The city.
    pub city: Option<String>,
    /// The province.
    pub province: Option<String>,
    /// The country.
    pub country: Option<String>,
    /// When the user was created.
    pub created_at: Option<String>,
    /// When the user was last updated.
    pub updated_at: Option<String>,
    /// The id of the user in an external system.
    pub external_id: Option<String>,
    /// The custom data, when the call asked for it.
    #[serde(default, deserialize_with = "deserialize_custom_data")]
    pub custom_data: Option<CustomData>,
    /// Whether the call just created the user.
    pub newly_created: Option<bool>,
    /// When the account expires.
    pub expired_at: Option<String>,
    /// The user's direct manager.
    pub direct_management: Option<String>,
    /// The id of the user's main department.
    pub main_department_id: Option<String>,
    /// The code of the user's main department.
    pub main_department_code: Option<String>,
}

/// A user's identity at an identity provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Identity {
    /// The open id at the provider.
    pub openid: Option<String>,
    /// The user's id at the provider.
    pub user_id_in_idp: Option<String>,
    /// The Authing user id.
    pub user_id: Option<String>,
    /// The identity provider's id.
    pub ext_idp_id: Option<String>,
    /// Whether the provider is a social one.
    pub is_social: Option<bool>,
    /// The provider (`wechat`, `github` ...).
    pub provider: Option<String>,
    /// The user pool.
    pub user_pool_id: Option<String>,
    /// The provider's refresh token.
    pub refresh_token: Option<AccessToken>,
    /// The provider's access token.
    pub access_token: Option<AccessToken>,
    /// The connection id.
    pub connection_id: Option<String>,
    /// The identity's type.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The user's profile at the provider (a JSON text).
    pub user_info_in_idp: Option<String>,
}

/// A node of an organization (a department).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrgNode {
    /// The node id.
    pub id: String,
    /// The organization id.
    pub org_id: Option<String>,
    /// The node's name.
    #[serde(default)]
    pub name: String,
    /// The node's name in other languages.
    pub name_i18n: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The description in other languages.
    pub description_i18n: Option<String>,
    /// The position among its siblings.
    pub order: Option<i64>,
    /// The node's code.
    pub code: Option<String>,
    /// Whether it is the root.
    pub root: Option<bool>,
    /// Its depth in the tree.
    pub depth: Option<i64>,
    /// Ids from the root to this node.
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub path: Vec<String>,
    /// Codes from the root to this node.
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub code_path: Vec<String>,
    /// Names from the root to this node.
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub name_path: Vec<String>,
    /// Ids of the children.
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub children: Vec<String>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
    /// Whether the node is virtual.
    pub is_virtual_node: Option<bool>,
}

/// A department a user belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserDepartment {
    /// The department.
    pub department: OrgNode,
    /// Whether it is the user's main department.
    pub is_main_department: bool,
    /// When the user joined it.
    pub joined_at: Option<String>,
}

/// An organization a user belongs to: the path of nodes from the organization's root to the user's node.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OrgPath {
    /// The nodes, root first.
    pub nodes: Vec<OrgNode>,
}

impl<'de> Deserialize<'de> for OrgPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Path(Vec<OrgNode>),
            Node(Box<OrgNode>),
        }
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Path(nodes) => OrgPath { nodes },
            Wire::Node(node) => OrgPath { nodes: vec![*node] },
        })
    }
}

/// A user token issued by the management API (`refreshToken(id)`).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RefreshedToken {
    /// The token, usable as the user's bearer token.
    pub token: AccessToken,
    /// When it was issued, in Unix seconds.
    pub iat: Option<i64>,
    /// When it expires, in Unix seconds.
    pub exp: Option<i64>,
}

/// Whether a user is logged in, as the management API sees it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LoginStatus {
    /// Whether the user has a valid session.
    #[serde(default)]
    pub is_login: bool,
    /// The user.
    pub user: Option<User>,
    /// The applications the user is logged in to.
    #[serde(default, deserialize_with = "list_skipping_nulls")]
    pub application: Vec<Application>,
}

/// Where an audited action came from.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct GeoIp {
    /// The client IP.
    pub ip: Option<String>,
    /// The city.
    pub city_name: Option<String>,
    /// The region.
    pub region_name: Option<String>,
    /// The country.
    pub country_name: Option<String>,
}

/// One entry of the user audit log.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "WireUserAction")]
#[non_exhaustive]
pub struct UserAction {
    /// What was done (`createUser`, `login` ...).
    pub operation_name: Option<String>,
    /// A description of it.
    pub operation_desc: Option<String>,
    /// The ARN of who did it.
    pub operator_arn: Option<String>,
    /// The user pool.
    pub user_pool_id: Option<String>,
    /// The id of the user concerned.
    pub user_id: Option<String>,
    /// The display name of the user concerned.
    pub user_display_name: Option<String>,
    /// The application it happened in.
    pub app_id: Option<String>,
    /// That application's name.
    pub app_name: Option<String>,
    /// The client IP.
    pub client_ip: Option<String>,
    /// Where the IP is.
    pub geoip: Option<GeoIp>,
    /// The client's user agent.
    pub user_agent: Option<String>,
    /// When it happened.
    pub timestamp: Option<String>,
}

#[derive(Deserialize)]
struct WireUserAction {
    operation_name: Option<String>,
    operation_desc: Option<String>,
    operator_arn: Option<String>,
    userpool_id: Option<String>,
    user: Option<WireActionUser>,
    app_id: Option<String>,
    app: Option<WireActionApp>,
    clientip: Option<String>,
    geoip: Option<GeoIp>,
    user_agent: Option<String>,
    timestamp: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireActionUser {
    id: Option<String>,
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct WireActionApp {
    name: Option<String>,
}

impl From<WireUserAction> for UserAction {
    fn from(wire: WireUserAction) -> Self {
        let (user_id, user_display_name) = wire.user.map_or((None, None), |u| (u.id, u.display_name));
        let client_ip = wire.clientip.or_else(|| wire.geoip.as_ref().and_then(|g| g.ip.clone()));
        UserAction {
            operation_name: wire.operation_name,
            operation_desc: wire.operation_desc,
            operator_arn: wire.operator_arn,
            user_pool_id: wire.userpool_id,
            user_id,
            user_display_name,
            app_id: wire.app_id,
            app_name: wire.app.and_then(|a| a.name),
            client_ip,
            geoip: wire.geoip,
            user_agent: wire.user_agent,
            timestamp: wire.timestamp,
        }
    }
}

/// The order of user lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SortBy {
    /// Newest first (the default).
    #[default]
    #[serde(rename = "CREATEDAT_DESC")]
    CreatedAtDesc,
    /// Oldest first.
    #[serde(rename = "CREATEDAT_ASC")]
    CreatedAtAsc,
    /// Most recently updated first.
    #[serde(rename = "UPDATEDAT_DESC")]
    UpdatedAtDesc,
    /// Least recently updated first.
    #[serde(rename = "UPDATEDAT_ASC")]
    UpdatedAtAsc,
}

/// Which identifier [`batch_get`](crate::management::Users::batch_get) looks users up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum BatchField {
    /// The user id (the default).
    #[default]
    Id,
    /// The username.
    Username,
    /// The phone number.
    Phone,
    /// The e-mail address.
    Email,
    /// The external id.
    ExternalId,
}

/// An identity at an identity provider to attach to a user created by the administrator.
///
/// ```
/// let identity = authing::models::IdentityInput::new("github", "12345").is_social(true);
/// # let _ = identity;
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[must_use]
pub struct IdentityInput {
    provider: String,
    user_id_in_idp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    openid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_social: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_option")]
    access_token: Option<AccessToken>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_option")]
    refresh_token: Option<AccessToken>,
}

impl IdentityInput {
    /// An identity of `provider` where the user's id is `user_id_in_idp`.
    pub fn new(provider: impl Into<String>, user_id_in_idp: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            user_id_in_idp: user_id_in_idp.into(),
            openid: None,
            is_social: None,
            connection_id: None,
            access_token: None,
            refresh_token: None,
        }
    }

    /// The open id at the provider.
    pub fn openid(mut self, openid: impl Into<String>) -> Self {
        self.openid = Some(openid.into());
        self
    }

    /// Whether the provider is a social one.
    pub fn is_social(mut self, is_social: bool) -> Self {
        self.is_social = Some(is_social);
        self
    }

    /// The connection id.
    pub fn connection_id(mut self, id: impl Into<String>) -> Self {
        self.connection_id = Some(id.into());
        self
    }

    /// The provider's access token.
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// The provider's refresh token.
    pub fn refresh_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.refresh_token = Some(token.into());
        self
    }
}

/// Finds a user by an identity at a provider.
///
/// ```
/// let query = authing::models::IdentityQuery::new("github", "12345");
/// # let _ = query;
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[must_use]
pub struct IdentityQuery {
    provider: String,
    user_id_in_idp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_social: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
}

impl IdentityQuery {
    /// The identity of `provider` where the user's id is `user_id_in_idp`.
    pub fn new(provider: impl Into<String>, user_id_in_idp: impl Into<String>) -> Self {
        Self { provider: provider.into(), user_id_in_idp: user_id_in_idp.into(), is_social: None, identifier: None }
    }

    /// Whether the provider is a social one.
    pub fn is_social(mut self, is_social: bool) -> Self {
        self.is_social = Some(is_social);
        self
    }

    /// The identity provider's identifier.
    pub fn identifier(mut self, identifier: impl Into<String>) -> Self {
        self.identifier = Some(identifier.into());
        self
    }
}

/// Declares a wide input: every field optional, public, and settable with a chained setter.
macro_rules! user_input {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $(@rename $wire:literal)? $field:ident : $ty:ty),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, Serialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        #[must_use]
        pub struct $name {
            /// The password in clear text; the SDK encrypts it before sending.
            #[serde(skip)]
            pub password: Option<Password>,
            $(
                $(#[$fdoc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                $(#[serde(rename = $wire)])?
                pub $field: Option<$ty>,
            )+
        }

        impl $name {
            /// The password in clear text; the SDK encrypts it before sending.
            pub fn password(mut self, password: impl Into<Password>) -> Self {
                self.password = Some(password.into());
                self
            }

            $(
                $(#[$fdoc])*
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )+
        }
    };
}

user_input!(
    /// A user to create. At least one identifier (username, e-mail, phone, external id) is required.
    ///
    /// ```
    /// let input = authing::models::CreateUserInput::default()
    ///     .username("ada")
    ///     .email("ada@example.com")
    ///     .password("correct horse battery staple")
    ///     .nickname("Ada");
    /// assert_eq!(input.username.as_deref(), Some("ada"));
    /// ```
    CreateUserInput {
        /// The username.
        username: String,
        /// The e-mail address.
        email: String,
        /// Whether the e-mail address is verified.
        email_verified: bool,
        /// The phone number.
        phone: String,
        /// Whether the phone number is verified.
        phone_verified: bool,
        /// The phone number's country code.
        phone_country_code: String,
        /// The WeChat union id.
        unionid: String,
        /// The WeChat open id.
        openid: String,
        /// The nickname.
        nickname: String,
        /// The avatar URL.
        photo: String,
        /// How the user registered.
        register_source: Vec<String>,
        /// The browser.
        browser: String,
        /// Raw social login data.
        oauth: String,
        /// The number of logins.
        logins_count: i64,
        /// The last login (ISO-8601).
        last_login: String,
        /// The company.
        company: String,
        /// The IP of the last login.
        @rename "lastIP" last_ip: String,
        /// When the user signed up (ISO-8601).
        signed_up: String,
        /// Whether the account is blocked.
        blocked: bool,
        /// Whether the account is deleted.
        is_deleted: bool,
        /// The device.
        device: String,
        /// The full name.
        name: String,
        /// The given name.
        given_name: String,
        /// The family name.
        family_name: String,
        /// The middle name.
        middle_name: String,
        /// The profile page URL.
        profile: String,
        /// The preferred username.
        preferred_username: String,
        /// The website.
        website: String,
        /// The gender.
        gender: String,
        /// The birth date.
        birthdate: String,
        /// The time zone.
        zoneinfo: String,
        /// The locale.
        locale: String,
        /// The address.
        address: String,
        /// The formatted address.
        formatted: String,
        /// The street address.
        street_address: String,
        /// The locality.
        locality: String,
        /// The region.
        region: String,
        /// The postal code.
        postal_code: String,
        /// The country.
        country: String,
        /// The id in an external system.
        external_id: String,
    }
);

user_input!(
    /// Changes to a user: only the fields set are changed.
    ///
    /// ```
    /// let changes = authing::models::UpdateUserInput::default().nickname("Countess").blocked(false);
    /// assert_eq!(changes.nickname.as_deref(), Some("Countess"));
    /// ```
    UpdateUserInput {
        /// The username.
        username: String,
        /// The e-mail address.
        email: String,
        /// Whether the e-mail address is verified.
        email_verified: bool,
        /// The phone number.
        phone: String,
        /// Whether the phone number is verified.
        phone_verified: bool,
        /// The phone number's country code.
        phone_country_code: String,
        /// The WeChat union id.
        unionid: String,
        /// The WeChat open id.
        openid: String,
        /// The nickname.
        nickname: String,
        /// The avatar URL.
        photo: String,
        /// The company.
        company: String,
        /// The browser.
        browser: String,
        /// The device.
        device: String,
        /// Raw social login data.
        oauth: String,
        /// When the token expires.
        token_expired_at: String,
        /// The number of logins.
        logins_count: i64,
        /// The last login (ISO-8601).
        last_login: String,
        /// The IP of the last login.
        @rename "lastIP" last_ip: String,
        /// Whether the account is blocked.
        blocked: bool,
        /// The full name.
        name: String,
        /// The given name.
        given_name: String,
        /// The family name.
        family_name: String,
        /// The middle name.
        middle_name: String,
        /// The profile page URL.
        profile: String,
        /// The preferred username.
        preferred_username: String,
        /// The website.
        website: String,
        /// The gender.
        gender: String,
        /// The birth date.
        birthdate: String,
        /// The time zone.
        zoneinfo: String,
        /// The locale.
        locale: String,
        /// The address.
        address: String,
        /// The formatted address.
        formatted: String,
        /// The street address.
        street_address: String,
        /// The locality.
        locality: String,
        /// The region.
        region: String,
        /// The postal code.
        postal_code: String,
        /// The city.
        city: String,
        /// The province.
        province: String,
        /// The country.
        country: String,
        /// The id in an external system.
        external_id: String,
        /// The id of the main department.
        main_department_id: String,
        /// The code of the main department.
        main_department_code: String,
        /// When the account expires.
        expired_at: String,
        /// The direct manager.
        direct_management: String,
    }
);

/// A list that may hold nulls, or be null itself: the nulls are dropped.
fn list_skipping_nulls<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let list = Option::<Vec<Option<T>>>::deserialize(deserializer)?;
    Ok(list.unwrap_or_default().into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn users_decode_with_nulls_lists_and_custom_data() {
        let user: User = serde_json::from_value(json!({
            "id": "u1", "arn": "arn:cn:authing:p:user:u1", "userPoolId": "p", "status": "Activated",
            "username": "ada", "email": null, "identities": null, "registerSource": ["import:manual"],
            "lastIP": "127.0.0.1", "token": "secret.jwt.value", "loginsCount": 3,
            "customData": [{ "key": "age", "dataType": "NUMBER", "value": "18", "label": null }]
        }))
        .unwrap();
        assert_eq!(user.status, Some(UserStatus::Activated));
        assert!(user.identities.is_empty());
        assert_eq!(user.last_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(user.custom_data.unwrap()["age"].as_i64(), Some(18));
        assert!(!format!("{:?}", user.token).contains("secret.jwt.value"));
    }

    #[test]
    fn inputs_serialize_only_what_is_set_and_never_the_password() {
        let input = CreateUserInput::default().username("ada").last_ip("1.2.3.4").password("pw").blocked(false);
        assert_eq!(
            serde_json::to_value(&input).unwrap(),
            json!({ "username": "ada", "lastIP": "1.2.3.4", "blocked": false })
        );
        let identity = IdentityInput::new("github", "42").access_token("gho_token");
        assert_eq!(
            serde_json::to_value(&identity).unwrap(),
            json!({ "provider": "github", "userIdInIdp": "42", "accessToken": "gho_token" })
        );
        assert_eq!(serde_json::to_value(SortBy::UpdatedAtAsc).unwrap(), json!("UPDATEDAT_ASC"));
        assert_eq!(serde_json::to_value(BatchField::ExternalId).unwrap(), json!("externalId"));
    }

    #[test]
    fn audit_entries_and_org_paths_decode() {
        let action: UserAction = serde_json::from_value(json!({
            "operation_name": "createUser", "userpool_id": "p", "user": { "id": "u1", "displayName": "ada" },
            "geoip": { "ip": "10.0.0.1", "city_name": "Hangzhou" }, "app": { "name": "Console" }
        }))
        .unwrap();
        assert_eq!(action.client_ip.as_deref(), Some("10.0.0.1"));
        assert_eq!(action.user_id.as_deref(), Some("u1"));
        assert_eq!(action.app_name.as_deref(), Some("Console"));
        let paths: Vec<OrgPath> = serde_json::from_value(json!([
            [{ "id": "root", "name": "Org" }, { "id": "dev", "name": "Dev" }],
            { "id": "solo", "name": "Solo" }
        ]))
        .unwrap();
        assert_eq!(paths[0].nodes.len(), 2);
        assert_eq!(paths[1].nodes[0].id, "solo");
    }
}
