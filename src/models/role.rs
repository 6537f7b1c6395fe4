//! Roles, groups, policies, their assignments and the resources they authorize.

use serde::{Deserialize, Serialize};

use super::udf::wire_enum;

/// A role, in a namespace (permission group).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Role {
    /// The role id.
    pub id: String,
    /// The namespace (permission group) code; `default` unless another was given.
    #[serde(default)]
    pub namespace: String,
    /// The role code, unique in its namespace.
    pub code: String,
    /// The role's ARN.
    #[serde(default)]
    pub arn: String,
    /// The description.
    pub description: Option<String>,
    /// Whether Authing created it.
    pub is_system: Option<bool>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
    /// The parent role, whose permissions this one inherits.
    pub parent: Option<Box<Role>>,
}

/// A group of users.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Group {
    /// The group code, unique in the pool.
    pub code: String,
    /// The group name.
    #[serde(default)]
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
}

wire_enum!(
    /// Whether a policy statement allows or denies.
    PolicyEffect {
        /// Allows the actions.
        Allow = "ALLOW",
        /// Denies the actions.
        Deny = "DENY",
    }
);

wire_enum!(
    /// The kind of target a policy or a resource is assigned to.
    PolicyAssignmentTargetType {
        /// A user (by id).
        User = "USER",
        /// A role (by code).
        Role = "ROLE",
        /// A group (by code).
        Group = "GROUP",
        /// An organization node.
        Org = "ORG",
        /// A programmatic access account.
        AkSk = "AK_SK",
    }
);

wire_enum!(
    /// The type of a resource.
    ResourceType {
        /// Data.
        Data = "DATA",
        /// An API.
        Api = "API",
        /// A menu.
        Menu = "MENU",
        /// A UI element.
        Ui = "UI",
        /// A button.
        Button = "BUTTON",
    }
);

/// A policy: statements that allow or deny actions on resources.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Policy {
    /// The namespace.
    #[serde(default)]
    pub namespace: String,
    /// The policy code.
    pub code: String,
    /// Whether it is one of Authing's built-in policies.
    #[serde(default)]
    pub is_default: bool,
    /// The description.
    pub description: Option<String>,
    /// The statements.
    #[serde(default)]
    pub statements: Vec<PolicyStatement>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
    /// How many targets it is assigned to.
    #[serde(default)]
    pub assignments_count: i64,
}

/// One statement of a policy.
///
/// ```
/// use authing::models::{PolicyEffect, PolicyStatement};
/// let statement = PolicyStatement::new("books:*", ["books:read", "books:list"]).effect(PolicyEffect::Allow);
/// assert_eq!(statement.actions, ["books:read", "books:list"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyStatement {
    /// The resource (`books:*`, `books:1` ...).
    pub resource: String,
    /// The actions (`books:read` ...).
    pub actions: Vec<String>,
    /// Allow or deny (Authing's default: allow).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<PolicyEffect>,
    /// Conditions under which the statement applies; `None` when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Vec<PolicyCondition>>,
}

impl PolicyStatement {
    /// A statement on `resource` for `actions`.
    pub fn new<I, S>(resource: impl Into<String>, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            resource: resource.into(),
            actions: actions.into_iter().map(Into::into).collect(),
            effect: None,
            condition: None,
        }
    }

    /// Allow or deny.
    #[must_use]
    pub fn effect(mut self, effect: PolicyEffect) -> Self {
        self.effect = Some(effect);
        self
    }

    /// Adds a condition.
    #[must_use]
    pub fn condition(mut self, condition: PolicyCondition) -> Self {
        self.condition.get_or_insert_with(Vec::new).push(condition);
        self
    }
}

/// A condition of a policy statement: `param operator value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyCondition {
    /// The parameter (`AppId`, `RequestFrom`, `DateGreaterThan` ...).
    pub param: String,
    /// The operator (`StringEquals` ...).
    pub operator: String,
    /// The value to compare with: free-form JSON.
    pub value: serde_json::Value,
}

impl PolicyCondition {
    /// A condition `param operator value`.
    pub fn new(param: impl Into<String>, operator: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        Self { param: param.into(), operator: operator.into(), value: value.into() }
    }
}

/// A policy assigned to a target.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyAssignment {
    /// The policy code.
    pub code: String,
    /// The kind of target.
    pub target_type: PolicyAssignmentTargetType,
    /// The target: a user id, a role code, a group code ...
    pub target_identifier: String,
}

/// A resource a target is authorized on, with the actions allowed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthorizedResource {
    /// The resource code (`books:1`).
    pub code: String,
    /// The resource type.
    #[serde(rename = "type")]
    pub kind: Option<ResourceType>,
    /// The actions allowed (none is an empty list).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub actions: Vec<String>,
    /// The API identifier, for `API` resources.
    pub api_identifier: Option<String>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default())
}
