//! Access control: resource namespaces, resources and their actions, grants, programmatic access accounts and
//! application access policies.

use serde::{Deserialize, Serialize};

use super::role::{PolicyAssignmentTargetType, ResourceType};
use super::udf::wire_enum;
use crate::secret::Secret;

/// A resource namespace (permission group).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Namespace {
    /// Its numeric id.
    pub id: i64,
    /// Its code (what the other calls call `namespace`).
    pub code: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its status.
    pub status: Option<i64>,
    /// The application it belongs to, if any.
    pub app_id: Option<String>,
    /// That application's name.
    pub app_name: Option<String>,
}

/// An action a resource supports.
///
/// ```
/// let edit = authing::models::ResourceAction::new("books:edit", "Edit a book");
/// assert_eq!(edit.name, "books:edit");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResourceAction {
    /// The action (`books:edit`).
    pub name: String,
    /// What it means.
    #[serde(default)]
    pub description: String,
}

impl ResourceAction {
    /// An action and its description.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self { name: name.into(), description: description.into() }
    }
}

/// A resource of a namespace.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Resource {
    /// Its id.
    pub id: String,
    /// The user pool.
    pub user_pool_id: Option<String>,
    /// Its code (`books`).
    pub code: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: Option<ResourceType>,
    /// The actions it supports.
    #[serde(default)]
    pub actions: Vec<ResourceAction>,
    /// Its description.
    pub description: Option<String>,
    /// The id of its namespace.
    pub namespace_id: Option<i64>,
    /// The API identifier, for `API` resources.
    pub api_identifier: Option<String>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
}

/// Who a grant is for, and which actions (all of the resource's when `None`).
///
/// ```
/// use authing::models::{GrantTarget, PolicyAssignmentTargetType};
/// let editors = GrantTarget::new(PolicyAssignmentTargetType::Role, "editor").actions(["books:edit"]);
/// # let _ = editors;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GrantTarget {
    /// The kind of target.
    pub target_type: PolicyAssignmentTargetType,
    /// The user id, role code, group code or org node id.
    pub target_identifier: String,
    /// The actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
}

impl GrantTarget {
    /// A grant for one target.
    pub fn new(target_type: PolicyAssignmentTargetType, target_identifier: impl Into<String>) -> Self {
        Self { target_type, target_identifier: target_identifier.into(), actions: None }
    }

    /// Only these actions.
    #[must_use]
    pub fn actions<I, S>(mut self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions = Some(actions.into_iter().map(Into::into).collect());
        self
    }
}

/// A target that holds a grant on a resource (`get_authorized_targets`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthorizedTarget {
    /// The kind of target.
    pub target_type: Option<PolicyAssignmentTargetType>,
    /// The user id, role code, group code or org node id.
    pub target_identifier: Option<String>,
    /// The actions granted.
    #[serde(default)]
    pub actions: Option<Vec<String>>,
}

wire_enum!(
    /// How a list of actions combines.
    Operator {
        /// All of them.
        And = "AND",
        /// Any of them.
        Or = "OR",
    }
);

/// A resource and the actions a user may take on it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ResourcePermission {
    /// The resource (`books:1`).
    pub code: String,
    /// The actions allowed.
    #[serde(default)]
    pub actions: Vec<String>,
}

/// Resources of several types granted to several targets at once (`authorize_resources`, `revoke_resources`).
///
/// ```
/// use authing::models::{GrantResource, GrantResources, PolicyAssignmentTargetType, ResourceType};
/// let grant = GrantResources::new(PolicyAssignmentTargetType::User, ["user-1", "user-2"])
///     .resource(GrantResource::new("books:1", ["books:read"]).resource_type(ResourceType::Data));
/// # let _ = grant;
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GrantResources {
    /// The kind of targets.
    pub target_type: PolicyAssignmentTargetType,
    /// The targets.
    pub target_identifiers: Vec<String>,
    /// The resources and actions.
    pub resources: Vec<GrantResource>,
}

impl GrantResources {
    /// Grants for these targets; add resources with [`resource`](Self::resource).
    pub fn new<I, S>(target_type: PolicyAssignmentTargetType, targets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { target_type, target_identifiers: targets.into_iter().map(Into::into).collect(), resources: Vec::new() }
    }

    /// Adds a resource.
    #[must_use]
    pub fn resource(mut self, resource: GrantResource) -> Self {
        self.resources.push(resource);
        self
    }
}

/// One resource of a [`GrantResources`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GrantResource {
    /// The resource (`books:1`, `books:*`).
    pub code: String,
    /// The actions.
    pub actions: Vec<String>,
    /// The resource's type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<ResourceType>,
}

impl GrantResource {
    /// A resource and actions on it.
    pub fn new<I, S>(code: impl Into<String>, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { code: code.into(), actions: actions.into_iter().map(Into::into).collect(), resource_type: None }
    }

    /// The resource's type.
    #[must_use]
    pub fn resource_type(mut self, resource_type: ResourceType) -> Self {
        self.resource_type = Some(resource_type);
        self
    }
}

/// A programmatic access account (an access key and secret) of an application.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProgrammaticAccessAccount {
    /// The account id (the access key).
    pub id: String,
    /// The application.
    pub app_id: Option<String>,
    /// The secret; redacted in `Debug`.
    pub secret: Option<Secret>,
    /// Remarks.
    pub remarks: Option<String>,
    /// How long its tokens live, in seconds.
    pub token_lifetime: Option<i64>,
    /// Whether it is enabled.
    #[serde(default)]
    pub enabled: bool,
    /// The user it acts as.
    pub user_id: Option<String>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
}

/// An entry of an application's access policies: who may (or may not) use it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApplicationAccessPolicy {
    /// The kind of target.
    pub target_type: PolicyAssignmentTargetType,
    /// The target.
    pub target_identifier: String,
    /// The policy's code (allow or deny).
    pub code: Option<String>,
    /// The namespace.
    pub namespace: Option<String>,
    /// Whether it is in effect.
    #[serde(default)]
    pub enabled: bool,
    /// Whether an org node's children inherit it.
    pub inherit_by_children: Option<bool>,
    /// When it was assigned.
    pub assigned_at: Option<String>,
}

wire_enum!(
    /// What an application allows when no access policy matches.
    DefaultStrategy {
        /// Everybody may use it.
        AllowAll = "ALLOW_ALL",
        /// Nobody may, unless a policy allows.
        DenyAll = "DENY_ALL",
    }
);
