//! The objects, enums and scalars of the official schema that carry the store's records: each mirrors a type
//! of the store (which knows nothing of GraphQL) and is made from it with `From`; the enums convert both ways.
//! Their computed fields (`User.roles`, `Role.users`, ...) are resolved in the area modules.

use async_graphql::{Enum, InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject};

/// The `Object` scalar of the official schema: any JSON value, kept and served as given.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ObjectValue(pub(crate) serde_json::Value);

#[Scalar(name = "Object")]
impl ScalarType for ObjectValue {
    fn parse(value: async_graphql::Value) -> InputValueResult<Self> {
        value.into_json().map(ObjectValue).map_err(InputValueError::custom)
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::from_json(self.0.clone()).unwrap_or(async_graphql::Value::Null)
    }
}

impl From<crate::store::access::ObjectValue> for ObjectValue {
    fn from(value: crate::store::access::ObjectValue) -> Self {
        ObjectValue(value.0)
    }
}

impl From<ObjectValue> for crate::store::access::ObjectValue {
    fn from(value: ObjectValue) -> Self {
        crate::store::access::ObjectValue(value.0)
    }
}

/// `UserStatus` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "UserStatus", rename_items = "PascalCase", remote = "crate::store::users::UserStatus")]
pub(crate) enum UserStatus {
    Suspended,
    Resigned,
    Activated,
    Archived,
}

/// `Identity` of the official schema: an account of the user at an identity provider.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "Identity")]
pub(crate) struct Identity {
    pub(crate) openid: Option<String>,
    pub(crate) user_id_in_idp: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) ext_idp_id: Option<String>,
    pub(crate) is_social: Option<bool>,
    pub(crate) provider: Option<String>,
    pub(crate) user_pool_id: Option<String>,
    pub(crate) refresh_token: Option<String>,
    pub(crate) access_token: Option<String>,
    pub(crate) connection_id: Option<String>,
    #[graphql(name = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) user_info_in_idp: Option<String>,
}

/// One user of the pool, with every scalar field of the official `User` type.
///
/// Made from the store's user; the computed fields (`customData`, `roles`, `groups`, `authorizedResources`,
/// `departments`) are resolved in `graphql::users`.
/// The password hash and the bookkeeping fields are neither served nor serialized; `password` is always
/// null.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "User", complex)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) arn: String,
    pub(crate) status: Option<UserStatus>,
    pub(crate) user_pool_id: String,
    pub(crate) username: Option<String>,
    /// Stored lower-cased.
    pub(crate) email: Option<String>,
    pub(crate) email_verified: Option<bool>,
    pub(crate) phone: Option<String>,
    pub(crate) phone_verified: Option<bool>,
    pub(crate) unionid: Option<String>,
    pub(crate) openid: Option<String>,
    /// Always `Some` (a list, possibly empty).
    pub(crate) identities: Option<Vec<Option<Identity>>>,
    pub(crate) nickname: Option<String>,
    pub(crate) register_source: Option<Vec<String>>,
    pub(crate) photo: Option<String>,
    /// Always null: the hash is never exposed.
    pub(crate) password: Option<String>,
    pub(crate) oauth: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) token_expired_at: Option<String>,
    pub(crate) logins_count: Option<i32>,
    pub(crate) last_login: Option<String>,
    #[graphql(name = "lastIP")]
    pub(crate) last_ip: Option<String>,
    pub(crate) signed_up: Option<String>,
    pub(crate) blocked: Option<bool>,
    pub(crate) is_deleted: Option<bool>,
    pub(crate) device: Option<String>,
    pub(crate) browser: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) given_name: Option<String>,
    pub(crate) family_name: Option<String>,
    pub(crate) middle_name: Option<String>,
    pub(crate) profile: Option<String>,
    pub(crate) preferred_username: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) gender: Option<String>,
    pub(crate) birthdate: Option<String>,
    pub(crate) zoneinfo: Option<String>,
    pub(crate) locale: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) formatted: Option<String>,
    pub(crate) street_address: Option<String>,
    pub(crate) locality: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) province: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) phone_country_code: Option<String>,
    pub(crate) newly_created: Option<bool>,
    pub(crate) expired_at: Option<String>,
    pub(crate) direct_management: Option<String>,
    pub(crate) main_department_id: Option<String>,
    pub(crate) main_department_code: Option<String>,
}

/// `SortByEnum` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "SortByEnum", remote = "crate::store::users::SortBy")]
pub(crate) enum SortBy {
    CreatedatDesc,
    CreatedatAsc,
    UpdatedatDesc,
    UpdatedatAsc,
}

/// `Role` of the official schema (its scalar fields; `users`, `authorizedResources` and `parent` are
/// resolved in `graphql::roles`).
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "Role", complex)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) namespace: String,
    pub(crate) code: String,
    pub(crate) arn: String,
    pub(crate) description: Option<String>,
    pub(crate) is_system: Option<bool>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    /// The id of the parent role, if any.
    #[graphql(skip)]
    pub(crate) parent_id: Option<String>,
}

/// `Group` of the official schema (its scalar fields; `users` and `authorizedResources` are resolved in
/// `graphql::groups`).
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "Group", complex)]
pub(crate) struct Group {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
    /// Internal id: memberships keep it across renames.
    #[graphql(skip)]
    pub(crate) id: String,
}

/// `PolicyEffect` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "PolicyEffect", remote = "crate::store::access::PolicyEffect")]
pub(crate) enum PolicyEffect {
    Allow,
    Deny,
}

/// `PolicyStatementCondition` of the official schema.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "PolicyStatementCondition")]
pub(crate) struct PolicyStatementCondition {
    pub(crate) param: String,
    pub(crate) operator: String,
    pub(crate) value: ObjectValue,
}

/// `PolicyStatement` of the official schema.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "PolicyStatement")]
pub(crate) struct PolicyStatement {
    pub(crate) resource: String,
    pub(crate) actions: Vec<String>,
    pub(crate) effect: Option<PolicyEffect>,
    /// Null when the caller gave none.
    pub(crate) condition: Option<Vec<PolicyStatementCondition>>,
}

/// `Policy` of the official schema (its scalar fields; `assignmentsCount` and `assignments` are resolved
/// in `graphql::policies`).
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "Policy", complex)]
pub(crate) struct Policy {
    pub(crate) namespace: String,
    pub(crate) code: String,
    pub(crate) is_default: bool,
    pub(crate) description: Option<String>,
    pub(crate) statements: Vec<PolicyStatement>,
    pub(crate) created_at: Option<String>,
    pub(crate) updated_at: Option<String>,
}

/// `PolicyAssignment` of the official schema.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "PolicyAssignment")]
pub(crate) struct PolicyAssignment {
    pub(crate) code: String,
    pub(crate) target_type: TargetKind,
    pub(crate) target_identifier: String,
}

/// `PolicyAssignmentTargetType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "PolicyAssignmentTargetType", remote = "crate::store::model::TargetKind")]
pub(crate) enum TargetKind {
    User,
    Role,
    Group,
    Org,
    AkSk,
}

/// `ResourceType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "ResourceType", remote = "crate::store::model::ResourceType")]
pub(crate) enum ResourceType {
    Data,
    Api,
    Menu,
    Ui,
    Button,
}

/// `AuthorizedResource` of the official schema: a resource some target may act on.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "AuthorizedResource")]
pub(crate) struct AuthorizedResource {
    pub(crate) code: String,
    #[graphql(name = "type")]
    pub(crate) kind: Option<ResourceType>,
    pub(crate) actions: Option<Vec<String>>,
    pub(crate) api_identifier: Option<String>,
}

/// `UDFTargetType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "UDFTargetType", remote = "crate::store::udf::TargetType")]
pub(crate) enum TargetType {
    Node,
    Org,
    User,
    Userpool,
    Role,
    Permission,
    Application,
}

/// `UDFDataType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "UDFDataType", remote = "crate::store::udf::DataType")]
pub(crate) enum DataType {
    String,
    Number,
    Datetime,
    Boolean,
    Object,
}

impl From<crate::store::users::Identity> for Identity {
    fn from(value: crate::store::users::Identity) -> Self {
        Identity {
            openid: value.openid,
            user_id_in_idp: value.user_id_in_idp,
            user_id: value.user_id,
            ext_idp_id: value.ext_idp_id,
            is_social: value.is_social,
            provider: value.provider,
            user_pool_id: value.user_pool_id,
            refresh_token: value.refresh_token,
            access_token: value.access_token,
            connection_id: value.connection_id,
            kind: value.kind,
            user_info_in_idp: value.user_info_in_idp,
        }
    }
}

impl From<crate::store::users::User> for User {
    fn from(value: crate::store::users::User) -> Self {
        User {
            id: value.id,
            arn: value.arn,
            status: value.status.map(Into::into),
            user_pool_id: value.user_pool_id,
            username: value.username,
            email: value.email,
            email_verified: value.email_verified,
            phone: value.phone,
            phone_verified: value.phone_verified,
            unionid: value.unionid,
            openid: value.openid,
            identities: value.identities.map(|list| list.into_iter().map(|item| item.map(Into::into)).collect()),
            nickname: value.nickname,
            register_source: value.register_source,
            photo: value.photo,
            password: value.password,
            oauth: value.oauth,
            token: value.token,
            token_expired_at: value.token_expired_at,
            logins_count: value.logins_count,
            last_login: value.last_login,
            last_ip: value.last_ip,
            signed_up: value.signed_up,
            blocked: value.blocked,
            is_deleted: value.is_deleted,
            device: value.device,
            browser: value.browser,
            company: value.company,
            name: value.name,
            given_name: value.given_name,
            family_name: value.family_name,
            middle_name: value.middle_name,
            profile: value.profile,
            preferred_username: value.preferred_username,
            website: value.website,
            gender: value.gender,
            birthdate: value.birthdate,
            zoneinfo: value.zoneinfo,
            locale: value.locale,
            address: value.address,
            formatted: value.formatted,
            street_address: value.street_address,
            locality: value.locality,
            region: value.region,
            postal_code: value.postal_code,
            city: value.city,
            province: value.province,
            country: value.country,
            created_at: value.created_at,
            updated_at: value.updated_at,
            external_id: value.external_id,
            phone_country_code: value.phone_country_code,
            newly_created: value.newly_created,
            expired_at: value.expired_at,
            direct_management: value.direct_management,
            main_department_id: value.main_department_id,
            main_department_code: value.main_department_code,
        }
    }
}

impl From<crate::store::access::Role> for Role {
    fn from(value: crate::store::access::Role) -> Self {
        Role {
            id: value.id,
            namespace: value.namespace,
            code: value.code,
            arn: value.arn,
            description: value.description,
            is_system: value.is_system,
            created_at: value.created_at,
            updated_at: value.updated_at,
            parent_id: value.parent_id,
        }
    }
}

impl From<crate::store::access::Group> for Group {
    fn from(value: crate::store::access::Group) -> Self {
        Group {
            code: value.code,
            name: value.name,
            description: value.description,
            created_at: value.created_at,
            updated_at: value.updated_at,
            id: value.id,
        }
    }
}

impl From<crate::store::access::PolicyStatementCondition> for PolicyStatementCondition {
    fn from(value: crate::store::access::PolicyStatementCondition) -> Self {
        PolicyStatementCondition { param: value.param, operator: value.operator, value: value.value.into() }
    }
}

impl From<crate::store::access::PolicyStatement> for PolicyStatement {
    fn from(value: crate::store::access::PolicyStatement) -> Self {
        PolicyStatement {
            resource: value.resource,
            actions: value.actions,
            effect: value.effect.map(Into::into),
            condition: value.condition.map(|list| list.into_iter().map(Into::into).collect()),
        }
    }
}

impl From<crate::store::access::Policy> for Policy {
    fn from(value: crate::store::access::Policy) -> Self {
        Policy {
            namespace: value.namespace,
            code: value.code,
            is_default: value.is_default,
            description: value.description,
            statements: value.statements.into_iter().map(Into::into).collect(),
            created_at: value.created_at,
            updated_at: value.updated_at,
        }
    }
}

impl From<crate::store::access::PolicyAssignment> for PolicyAssignment {
    fn from(value: crate::store::access::PolicyAssignment) -> Self {
        PolicyAssignment {
            code: value.code,
            target_type: value.target_type.into(),
            target_identifier: value.target_identifier,
        }
    }
}

impl From<crate::store::model::AuthorizedResource> for AuthorizedResource {
    fn from(value: crate::store::model::AuthorizedResource) -> Self {
        AuthorizedResource {
            code: value.code,
            kind: value.kind.map(Into::into),
            actions: value.actions,
            api_identifier: value.api_identifier,
        }
    }
}

/// Each object made from a borrowed record of the store, which is cloned.
macro_rules! from_borrowed {
    ($($module:ident::$name:ident),+ $(,)?) => {
        $(impl From<&crate::store::$module::$name> for $name {
            fn from(value: &crate::store::$module::$name) -> Self {
                value.clone().into()
            }
        })+
    };
}

from_borrowed!(
    users::Identity,
    users::User,
    access::Role,
    access::Group,
    access::PolicyStatementCondition,
    access::PolicyStatement,
    access::Policy,
    access::PolicyAssignment,
    model::AuthorizedResource
);

/// The objects of a list of the store's records.
pub(crate) fn list<S, T: From<S>>(items: impl IntoIterator<Item = S>) -> Vec<T> {
    items.into_iter().map(T::from).collect()
}
