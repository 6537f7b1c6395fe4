//! Principal (real-name) authentication and the identities an end user holds at external providers.

use serde::Deserialize;

use super::udf::wire_enum;
use crate::secret::AccessToken;

wire_enum!(
    /// Who a principal authentication is about.
    PrincipalType {
        /// A person (`P`): name, identity-card number, bank card.
        Person = "P",
        /// An enterprise (`E`): name, unified social credit code, legal representative.
        Enterprise = "E",
    }
);

/// A user's principal authentication record.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PrincipalDetail {
    /// The record's id.
    pub id: Option<String>,
    /// The user it is about.
    pub user_id: Option<String>,
    /// The user pool.
    pub user_pool_id: Option<String>,
    /// A person or an enterprise.
    pub principal_type: Option<PrincipalType>,
    /// The person's or the enterprise's name.
    pub principal_name: Option<String>,
    /// The identity-card number or the unified social credit code.
    pub principal_code: Option<String>,
    /// When the authentication was made.
    pub authentication_time: Option<String>,
    /// When the record was created.
    pub created_at: Option<String>,
    /// When it last changed.
    pub updated_at: Option<String>,
}

/// What a principal authentication submits: a person or an enterprise.
///
/// ```
/// use authing::models::PrincipalInfo;
/// let person = PrincipalInfo::person("张三", "11010119900307123X", "6222020000000000000");
/// let enterprise = PrincipalInfo::enterprise("Example Ltd", "91350100M000100Y43", "李四");
/// # let _ = (person, enterprise);
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrincipalInfo {
    /// A person: name, identity-card number and bank card number.
    Person {
        /// The person's name.
        name: String,
        /// The resident identity-card number.
        id_card: String,
        /// The bank card number.
        bank_card: String,
    },
    /// An enterprise: name, unified social credit code and legal representative's name.
    Enterprise {
        /// The enterprise's name.
        enterprise_name: String,
        /// The unified social credit code.
        enterprise_code: String,
        /// The legal representative's name.
        legal_person_name: String,
    },
}

impl std::fmt::Debug for PrincipalInfo {
    /// Shows the type and the name only: the numbers are personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrincipalInfo::Person { name, .. } => f.debug_struct("Person").field("name", name).finish_non_exhaustive(),
            PrincipalInfo::Enterprise { enterprise_name, .. } => {
                f.debug_struct("Enterprise").field("enterprise_name", enterprise_name).finish_non_exhaustive()
            }
        }
    }
}

impl PrincipalInfo {
    /// A person.
    pub fn person(name: impl Into<String>, id_card: impl Into<String>, bank_card: impl Into<String>) -> Self {
        PrincipalInfo::Person { name: name.into(), id_card: id_card.into(), bank_card: bank_card.into() }
    }

    /// An enterprise.
    pub fn enterprise(
        enterprise_name: impl Into<String>,
        enterprise_code: impl Into<String>,
        legal_person_name: impl Into<String>,
    ) -> Self {
        PrincipalInfo::Enterprise {
            enterprise_name: enterprise_name.into(),
            enterprise_code: enterprise_code.into(),
            legal_person_name: legal_person_name.into(),
        }
    }

    /// The wire form `{type, name, idCard, ext}`.
    pub(crate) fn wire(&self) -> PrincipalWire<'_> {
        match self {
            PrincipalInfo::Person { name, id_card, bank_card } => {
                PrincipalWire { kind: "P", name, id_card, ext: bank_card }
            }
            PrincipalInfo::Enterprise { enterprise_name, enterprise_code, legal_person_name } => {
                PrincipalWire { kind: "E", name: enterprise_name, id_card: enterprise_code, ext: legal_person_name }
            }
        }
    }
}

/// `{type, name, idCard, ext}`, as both official SDKs send a principal authentication.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PrincipalWire<'a> {
    #[serde(rename = "type")]
    pub(crate) kind: &'a str,
    pub(crate) name: &'a str,
    pub(crate) id_card: &'a str,
    pub(crate) ext: &'a str,
}

/// An identity of the logged-in user at an external identity provider, as `GET /api/v3/get-identities` lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LinkedIdentity {
    /// The identity's id.
    pub identity_id: Option<String>,
    /// The external identity provider's id.
    pub ext_idp_id: Option<String>,
    /// The provider (`wechat`, `github`, `ldap` ...).
    pub provider: Option<String>,
    /// The identity's type (`openid`, `unionid`, `primary` ...).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The user's id at the provider.
    pub user_id_in_idp: Option<String>,
    /// The user's profile at the provider.
    pub user_info_in_idp: Option<serde_json::Value>,
    /// The provider's access token.
    pub access_token: Option<AccessToken>,
    /// The provider's refresh token.
    pub refresh_token: Option<AccessToken>,
    /// The connections it came through.
    #[serde(default)]
    pub origin_conn_ids: Vec<String>,
}
