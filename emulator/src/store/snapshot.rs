//! The state of a pool as one JSON document, for import and export (field names as in the Authing API,
//! camelCase). The format is described, with an example, in the emulator's README.
//!
//! * [`export`] writes every user (with its password hash and custom data), custom field, namespace,
//!   resource, group, role (with its users, groups and custom data), policy, policy assignment, grant,
//!   programmatic access account and the application's access settings. Archived users, sessions,
//!   verification codes and the user-action log are not part of it.
//! * [`build`] reads a document into fresh stores, entry by entry, with the same checks as the API
//!   (uniqueness, existing references, custom data types). The first refusal names the entry
//!   (`roles[2] (default/editor): ...`) and nothing is installed; [`State::install`] then swaps the
//!   stores in at once.
//!
//! Ids are optional: given ones are kept, missing ones generated. References go by what the API uses: a
//! user by id, a role by code within its namespace, a group by code.

use std::collections::HashSet;
use std::fmt::Display;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::store::access::{
    ADMIN_POLICY, AccessStore, Assignment, Group, ObjectValue, Policy, PolicyEffect, PolicyStatement,
    PolicyStatementCondition, Role, code_arg,
};
use crate::store::acl::{
    AccessAccount, AppPolicy, Effect, Namespace, ResourceAction, Who, kind_name, parse_type, type_name,
};
use crate::store::auth::password_level;
use crate::store::common::new_id;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::model::{DEFAULT_NAMESPACE, Target, TargetKind, namespace};
use crate::store::state::State;
use crate::store::udf::{DataType, Field, TargetType, UdfStore};
use crate::store::users::{User, UserStore};

/// The version of the format [`export`] writes.
const VERSION: u32 = 1;

/// The top-level keys of a document.
const SECTIONS: [&str; 13] = [
    "version",
    "userPool",
    "application",
    "customFields",
    "users",
    "namespaces",
    "resources",
    "groups",
    "roles",
    "policies",
    "policyAssignments",
    "grants",
    "programmaticAccessAccounts",
];

/// The keys of a user entry that are not fields of the user itself.
const USER_EXTRAS: [&str; 5] =
    ["password", "passwordHash", "passwordSecurityLevel", "customData", "resetPasswordOnFirstLogin"];

/// `userPool`: the pool's id and secret (used when an emulator starts from the document).
#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PoolDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) secret: Option<String>,
}

/// `application`: the pool's application and its access settings.
#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ApplicationDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) secret: Option<String>,
    /// The default strategy: deny everybody no access policy allows.
    #[serde(default)]
    deny_all: bool,
    #[serde(default)]
    access_policies: Vec<AccessPolicyDoc>,
}

/// One application access policy record.
#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccessPolicyDoc {
    target_type: String,
    target_identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    /// `ALLOW` or `DENY`.
    effect: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    inherit_by_children: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assigned_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy_id: Option<String>,
}

fn yes() -> bool {
    true
}

/// Custom data of a user or role: a list `[{key, value}]` (the shape of `User.customData`, in the order the
/// values were set) or an object `{key: value}`; values are raw JSON values of the field's data type.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum CustomDataDoc {
    List(Vec<KeyValue>),
    Map(Map<String, Value>),
}

/// One custom data value.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyValue {
    key: String,
    value: Value,
}

impl Default for CustomDataDoc {
    fn default() -> Self {
        CustomDataDoc::List(Vec::new())
    }
}

impl CustomDataDoc {
    fn is_empty(&self) -> bool {
        match self {
            CustomDataDoc::List(list) => list.is_empty(),
            CustomDataDoc::Map(map) => map.is_empty(),
        }
    }

    fn pairs(&self) -> Vec<(&str, &Value)> {
        match self {
            CustomDataDoc::List(list) => list.iter().map(|kv| (kv.key.as_str(), &kv.value)).collect(),
            CustomDataDoc::Map(map) => map.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        }
    }
}

/// A custom field definition.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FieldDoc {
    target_type: TargetType,
    key: String,
    data_type: DataType,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<String>,
}

/// A resource namespace.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NamespaceDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

/// An action of a resource.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ActionDoc {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// A resource of a namespace.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ResourceDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    code: String,
    /// `DATA`, `API`, `MENU`, `UI` or `BUTTON`.
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    actions: Vec<ActionDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

/// A group, with its users (by id).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GroupDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    code: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default)]
    users: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

/// A role, with its parent (a role code of the same namespace), users (by id), groups (by code) and custom
/// data.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RoleDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_system: Option<bool>,
    #[serde(default)]
    users: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default, skip_serializing_if = "CustomDataDoc::is_empty")]
    custom_data: CustomDataDoc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

/// A condition of a policy statement.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConditionDoc {
    param: String,
    operator: String,
    value: Value,
}

/// A policy statement.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StatementDoc {
    resource: String,
    actions: Vec<String>,
    /// `ALLOW` or `DENY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    effect: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    condition: Option<Vec<ConditionDoc>>,
}

/// A policy. The built-in `AdministratorAccess` of `default` is exported too; on import only its dates are
/// taken.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PolicyDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default)]
    statements: Vec<StatementDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

/// A policy assignment.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AssignmentDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    policy: String,
    target_type: String,
    target_identifier: String,
    #[serde(default = "yes")]
    enabled: bool,
}

/// A resource grant (ACL).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GrantDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    target_type: String,
    target_identifier: String,
    resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_type: Option<String>,
    actions: Vec<String>,
}

/// A programmatic access account.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_lifetime: Option<i64>,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

/// A refusal of the document: code 400 unless a store check gave its own, and a message naming the entry.
fn refuse(entry: &str, detail: impl Display) -> ApiError {
    ApiError::with_message(
        Code::BadRequest,
        format!("导入的状态无效：{entry}：{detail}"),
        format!("Invalid state: {entry}: {detail}"),
    )
}

/// A store's refusal of an entry, with the store's code and the entry named.
fn refused_by_store(entry: &str, e: &ApiError) -> ApiError {
    let detail = e.message(Lang::En);
    ApiError::with_message(
        e.code,
        format!("导入的状态无效：{entry}：{}", e.message(Lang::Zh)),
        format!("Invalid state: {entry}: {detail}"),
    )
}

/// What [`build`] made: fresh stores and what goes elsewhere in the state.
pub(crate) struct Imported {
    pub(crate) users: UserStore,
    pub(crate) access: AccessStore,
    pub(crate) udf: UdfStore,
    /// The known password levels (`/users/me/security-level`), by user id.
    pub(crate) password_levels: Vec<(String, u8)>,
}

/// The pool and application credentials a document gives (for an emulator that starts from it).
pub(crate) fn credentials(doc: &Value) -> Result<(PoolDoc, ApplicationDoc), ApiError> {
    let section = |name: &str| doc.get(name).cloned().filter(|v| !v.is_null());
    let pool = match section("userPool") {
        Some(v) => serde_json::from_value(v).map_err(|e| refuse("userPool", e))?,
        None => PoolDoc::default(),
    };
    let app = match section("application") {
        Some(v) => serde_json::from_value(v).map_err(|e| refuse("application", e))?,
        None => ApplicationDoc::default(),
    };
    Ok((pool, app))
}

/// The entries of a section, each decoded on its own so that an error names it.
fn entries<T: DeserializeOwned>(doc: &Map<String, Value>, section: &str) -> Result<Vec<(String, T)>, ApiError> {
    let items = match doc.get(section) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(refuse(section, "expected a list")),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = ["code", "key", "username", "email", "phone", "id", "policy", "resource"]
                .iter()
                .find_map(|k| item.get(*k).and_then(Value::as_str));
            let entry = match name {
                Some(name) => format!("{section}[{i}] ({name})"),
                None => format!("{section}[{i}]"),
            };
            let value = serde_json::from_value(item.clone()).map_err(|e| refuse(&entry, e))?;
            Ok((entry, value))
        })
        .collect()
}

/// A target named as in the API: USER by user id, ROLE by a role code of `ns`, GROUP by code, ORG and AK_SK
/// as given.
fn target(
    entry: &str,
    access: &AccessStore,
    users: &UserStore,
    ns: &str,
    kind: &str,
    identifier: &str,
) -> Result<Target, ApiError> {
    let kind = TargetKind::from_name(kind).ok_or_else(|| refuse(entry, format!("unknown target type {kind}")))?;
    access
        .target(ns, kind, identifier, |id| users.get(id).is_some())
        .map_err(|e| refuse(entry, format!("{} {identifier} does not exist ({})", kind_name(kind), e.code.number())))
}

/// The identifier a target is exported with: a role's or group's code, else the id.
fn identifier(access: &AccessStore, who: &Who) -> String {
    match who {
        Who::Role(id) => access.role_by_id(id).map(|r| r.code.clone()).unwrap_or_default(),
        Who::Group(id) => access.groups.iter().find(|g| g.id == *id).map(|g| g.code.clone()).unwrap_or_default(),
        Who::User(id) | Who::Org(id) | Who::AkSk(id) => id.clone(),
    }
}

fn effect_name(effect: Option<PolicyEffect>) -> Option<String> {
    effect.map(|e| if e == PolicyEffect::Allow { "ALLOW" } else { "DENY" }.to_owned())
}

/// A stored custom data text as the JSON value it stands for.
fn udf_value(data_type: DataType, text: &str) -> Value {
    match data_type {
        DataType::String => Value::String(text.to_owned()),
        DataType::Datetime if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        DataType::Datetime => Value::String(text.to_owned()),
        DataType::Number | DataType::Boolean | DataType::Object => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
    }
}

/// The custom data of a target as an object of raw values.
fn custom_data(udf: &UdfStore, target_type: TargetType, id: &str) -> CustomDataDoc {
    CustomDataDoc::List(
        udf.entries(target_type, id)
            .into_iter()
            .map(|e| KeyValue { value: udf_value(e.data_type, &e.value), key: e.key })
            .collect(),
    )
}

fn to_value<T: Serialize>(items: Vec<T>) -> Value {
    serde_json::to_value(items).unwrap_or(Value::Null)
}

/// The current state as a document.
pub(crate) fn export(state: &State) -> Value {
    let users = state.users_read();
    let access = state.access_read();
    let udf = state.udf_read();
    let acl = &access.acl;

    let fields: Vec<FieldDoc> = udf
        .fields
        .iter()
        .map(|f| FieldDoc {
            target_type: f.target_type,
            key: f.key.clone(),
            data_type: f.data_type,
            label: f.label.clone(),
            options: f.options.clone(),
        })
        .collect();

    let user_docs: Vec<Value> = users
        .all()
        .map(|u| {
            let mut obj = match u.to_json() {
                Value::Object(obj) => obj,
                _ => Map::new(),
            };
            obj.remove("arn");
            obj.remove("userPoolId");
            if let Some(hash) = &u.password_hash {
                obj.insert("passwordHash".into(), json!(hash));
            }
            if let Some(level) = state.auth.password_level(&u.id) {
                obj.insert("passwordSecurityLevel".into(), json!(level));
            }
            if u.reset_password_on_first_login {
                obj.insert("resetPasswordOnFirstLogin".into(), json!(true));
            }
            let data = custom_data(&udf, TargetType::User, &u.id);
            if !data.is_empty() {
                obj.insert("customData".into(), serde_json::to_value(data).unwrap_or(Value::Null));
            }
            Value::Object(obj)
        })
        .collect();

    let mut namespaces: Vec<&Namespace> = acl.namespaces.iter().collect();
    namespaces.sort_by_key(|n| n.id);
    let namespaces: Vec<NamespaceDoc> = namespaces
        .into_iter()
        .map(|n| NamespaceDoc {
            id: Some(n.id),
            code: n.code.clone(),
            name: Some(n.name.clone()),
            description: n.description.clone(),
            created_at: Some(n.created_at.clone()),
            updated_at: Some(n.updated_at.clone()),
        })
        .collect();

    let mut resources: Vec<_> = acl.resources.values().collect();
    resources.sort_by_key(|r| r.seq);
    let resources: Vec<ResourceDoc> = resources
        .into_iter()
        .map(|r| ResourceDoc {
            id: Some(r.id.clone()),
            namespace: Some(r.namespace.clone()),
            code: r.code.clone(),
            kind: type_name(r.kind).to_owned(),
            actions: r
                .actions
                .iter()
                .map(|a| ActionDoc { name: a.name.clone(), description: a.description.clone() })
                .collect(),
            description: r.description.clone(),
            api_identifier: r.api_identifier.clone(),
            created_at: Some(r.created_at.clone()),
            updated_at: Some(r.updated_at.clone()),
        })
        .collect();

    let mut groups: Vec<&Group> = access.groups.iter().collect();
    groups.sort_by_key(|g| g.created_seq);
    let groups: Vec<GroupDoc> = groups
        .into_iter()
        .map(|g| GroupDoc {
            id: Some(g.id.clone()),
            code: g.code.clone(),
            name: g.name.clone(),
            description: g.description.clone(),
            users: access.group_user_ids(&g.id),
            created_at: g.created_at.clone(),
            updated_at: g.updated_at.clone(),
        })
        .collect();

    let mut roles: Vec<&Role> = access.roles.iter().collect();
    roles.sort_by_key(|r| r.created_seq);
    let roles: Vec<RoleDoc> = roles
        .into_iter()
        .map(|r| RoleDoc {
            id: Some(r.id.clone()),
            namespace: Some(r.namespace.clone()),
            code: r.code.clone(),
            description: r.description.clone(),
            parent: r.parent_id.as_deref().and_then(|p| access.role_by_id(p)).map(|p| p.code.clone()),
            is_system: r.is_system,
            users: access.role_user_ids(&r.id),
            groups: access
                .role_groups
                .iter()
                .filter(|(role, _)| *role == r.id)
                .map(|(_, g)| identifier(&access, &Who::Group(g.clone())))
                .collect(),
            custom_data: custom_data(&udf, TargetType::Role, &r.id),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
        })
        .collect();

    let mut policies: Vec<&Policy> = access.policies.iter().collect();
    policies.sort_by_key(|p| p.created_seq);
    let policies: Vec<PolicyDoc> = policies
        .into_iter()
        .map(|p| PolicyDoc {
            namespace: Some(p.namespace.clone()),
            code: p.code.clone(),
            description: p.description.clone(),
            statements: p
                .statements
                .iter()
                .map(|s| StatementDoc {
                    resource: s.resource.clone(),
                    actions: s.actions.clone(),
                    effect: effect_name(s.effect),
                    condition: s.condition.as_ref().map(|c| {
                        c.iter()
                            .map(|c| ConditionDoc {
                                param: c.param.clone(),
                                operator: c.operator.clone(),
                                value: c.value.0.clone(),
                            })
                            .collect()
                    }),
                })
                .collect(),
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
        })
        .collect();

    let assignments: Vec<AssignmentDoc> = access
        .assignments
        .iter()
        .map(|a| AssignmentDoc {
            namespace: Some(a.namespace.clone()),
            policy: a.policy.clone(),
            target_type: kind_name(a.target.kind()).to_owned(),
            target_identifier: identifier(&access, &Who::from(&a.target)),
            enabled: a.enabled,
        })
        .collect();

    let mut grants: Vec<(u64, GrantDoc)> = Vec::new();
    for ((ns, who), list) in &acl.grants {
        for g in list {
            grants.push((
                g.seq,
                GrantDoc {
                    namespace: Some(ns.clone()),
                    target_type: kind_name(who.kind()).to_owned(),
                    target_identifier: identifier(&access, who),
                    resource: g.resource.clone(),
                    resource_type: Some(type_name(g.kind).to_owned()),
                    actions: g.actions.clone(),
                },
            ));
        }
    }
    grants.sort_by_key(|(seq, _)| *seq);
    let grants: Vec<GrantDoc> = grants.into_iter().map(|(_, g)| g).collect();

    let accounts: Vec<AccountDoc> = acl
        .accounts
        .iter()
        .map(|a| AccountDoc {
            id: Some(a.id.clone()),
            app_id: Some(a.app_id.clone()),
            secret: Some(a.secret.clone()),
            remarks: a.remarks.clone(),
            token_lifetime: Some(a.token_lifetime),
            enabled: a.enabled,
            user_id: Some(a.user_id.clone()),
            created_at: Some(a.created_at.clone()),
            updated_at: Some(a.updated_at.clone()),
        })
        .collect();

    let application = ApplicationDoc {
        id: Some(state.app.id.clone()),
        secret: Some(state.app.secret.clone()),
        deny_all: acl.deny_all(),
        access_policies: acl
            .app_policies()
            .iter()
            .map(|p| AccessPolicyDoc {
                target_type: kind_name(p.who.kind()).to_owned(),
                target_identifier: identifier(&access, &p.who),
                namespace: Some(p.namespace.clone()),
                effect: if p.effect == Effect::Allow { "ALLOW" } else { "DENY" }.to_owned(),
                enabled: p.enabled,
                inherit_by_children: p.inherit_by_children,
                assigned_at: Some(p.assigned_at.clone()),
                policy_id: Some(p.policy_id.clone()),
            })
            .collect(),
    };

    json!({
        "version": VERSION,
        "userPool": PoolDoc { id: Some(state.pool.id.clone()), secret: Some(state.pool.secret.clone()) },
        "application": application,
        "customFields": to_value(fields),
        "users": user_docs,
        "namespaces": to_value(namespaces),
        "resources": to_value(resources),
        "groups": to_value(groups),
        "roles": to_value(roles),
        "policies": to_value(policies),
        "policyAssignments": to_value(assignments),
        "grants": to_value(grants),
        "programmaticAccessAccounts": to_value(accounts),
    })
}

/// Checks an id given for a new entry: kept when given (not blank, not taken), else a new one.
fn fresh_id(entry: &str, given: Option<String>, taken: &mut HashSet<String>) -> Result<String, ApiError> {
    let id = match given {
        Some(id) if id.trim().is_empty() => return Err(refuse(entry, "the id is empty")),
        Some(id) => id,
        None => new_id(),
    };
    if !taken.insert(id.clone()) {
        return Err(refuse(entry, format!("the id {id} is used twice")));
    }
    Ok(id)
}

/// Reads a user entry into a user, its custom data and its password level.
fn read_user(
    entry: &str,
    item: &Map<String, Value>,
    pool_id: &str,
    now: &str,
    known: &HashSet<String>,
    ids: &mut HashSet<String>,
) -> Result<(User, CustomDataDoc, Option<u8>), ApiError> {
    for key in item.keys() {
        if !known.contains(key) && !USER_EXTRAS.contains(&key.as_str()) {
            return Err(refuse(entry, format!("unknown field `{key}`")));
        }
    }
    let text = |key: &str| -> Result<Option<String>, ApiError> {
        match item.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(refuse(entry, format!("`{key}` must be a string"))),
        }
    };
    let id = fresh_id(entry, text("id")?, ids)?;
    let mut fields = match User::new(pool_id, id.clone(), now.to_owned()).to_json() {
        Value::Object(obj) => obj,
        _ => Map::new(),
    };
    for (key, value) in item {
        if known.contains(key) && !matches!(key.as_str(), "id" | "arn" | "userPoolId") {
            fields.insert(key.clone(), value.clone());
        }
    }
    let mut user: User = serde_json::from_value(Value::Object(fields)).map_err(|e| refuse(entry, e))?;
    let password = text("password")?;
    let hash = text("passwordHash")?;
    let mut level = match item.get("passwordSecurityLevel") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(n @ 1..=3) => Some(n as u8),
            _ => return Err(refuse(entry, "`passwordSecurityLevel` must be 1, 2 or 3")),
        },
    };
    user.password_hash = match (password, hash) {
        (Some(_), Some(_)) => return Err(refuse(entry, "give `password` or `passwordHash`, not both")),
        (Some(clear), None) => {
            level = Some(password_level(&clear));
            Some(crate::crypto::hash_password(&clear))
        }
        (None, Some(hash)) => {
            let parsed = pbkdf2::password_hash::PasswordHash::new(&hash).ok();
            if !parsed.is_some_and(|p| p.algorithm.as_str().starts_with("pbkdf2")) {
                return Err(refuse(entry, "`passwordHash` is not a PBKDF2 PHC string"));
            }
            Some(hash)
        }
        (None, None) => None,
    };
    user.reset_password_on_first_login = match item.get("resetPasswordOnFirstLogin") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(refuse(entry, "`resetPasswordOnFirstLogin` must be a boolean")),
    };
    let data = match item.get("customData") {
        None | Some(Value::Null) => CustomDataDoc::default(),
        Some(data) => serde_json::from_value(data.clone())
            .map_err(|_| refuse(entry, "`customData` must be a list of {key, value} or an object"))?,
    };
    Ok((user, data, level))
}

/// Reads a document into fresh stores, checking it as a whole; the first refusal names its entry.
/// `created_at` is the creation time of the built-in namespace and policy.
pub(crate) fn build(
    doc: &Value,
    pool_id: &str,
    app_id: &str,
    created_at: &str,
    now: &str,
) -> Result<Imported, ApiError> {
    let Value::Object(doc) = doc else {
        return Err(refuse("document", "expected a JSON object"));
    };
    if let Some(key) = doc.keys().find(|k| !SECTIONS.contains(&k.as_str())) {
        return Err(refuse("document", format!("unknown section `{key}`")));
    }
    match doc.get("version") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
        Some(v) => return Err(refuse("version", format!("unsupported version {v}"))),
    }
    let (_, application) = credentials(&Value::Object(doc.clone()))?;
    let mut udf = UdfStore::default();
    let mut users = UserStore::default();
    let mut access = AccessStore::new(created_at);
    let mut levels = Vec::new();

    // Custom fields.
    for (entry, f) in entries::<FieldDoc>(doc, "customFields")? {
        if f.key.trim().is_empty() {
            return Err(refuse(&entry, "the key is empty"));
        }
        if udf.field(f.target_type, &f.key).is_some() {
            return Err(refuse(&entry, "the field is defined twice"));
        }
        udf.set_field(Field {
            target_type: f.target_type,
            key: f.key,
            data_type: f.data_type,
            label: f.label,
            options: f.options,
        });
    }

    // Users.
    let known: HashSet<String> = match User::default().to_json() {
        Value::Object(obj) => obj.keys().cloned().collect(),
        _ => HashSet::new(),
    };
    let mut ids = HashSet::new();
    for (entry, item) in entries::<Map<String, Value>>(doc, "users")? {
        let (user, data, level) = read_user(&entry, &item, pool_id, now, &known, &mut ids)?;
        let id = user.id.clone();
        for (key, value) in data.pairs() {
            let text = udf.check_raw(TargetType::User, key, value).map_err(|e| refused_by_store(&entry, &e))?;
            udf.put(TargetType::User, &id, key, text);
        }
        users.insert(user).map_err(|e| refused_by_store(&entry, &e))?;
        if let Some(level) = level {
            levels.push((id, level));
        }
    }

    // Namespaces: given ids first, then the others numbered after the largest.
    let namespace_docs = entries::<NamespaceDoc>(doc, "namespaces")?;
    let mut next_id = namespace_docs.iter().filter_map(|(_, n)| n.id).max().unwrap_or(1).max(1) + 1;
    for (entry, n) in namespace_docs {
        let code = code_arg("namespace", &n.code).map_err(|e| refused_by_store(&entry, &e))?;
        let acl = &mut access.acl;
        if code == DEFAULT_NAMESPACE {
            if n.id.is_some_and(|id| id != 1) {
                return Err(refuse(&entry, "the default namespace has the id 1"));
            }
            let ns = &mut acl.namespaces[0];
            if let Some(name) = n.name {
                ns.name = name;
            }
            ns.description = n.description;
            if let Some(at) = n.created_at {
                ns.created_at = at;
            }
            if let Some(at) = n.updated_at {
                ns.updated_at = at;
            }
            continue;
        }
        if acl.namespace(&code).is_some() {
            return Err(refuse(&entry, "the namespace code is used twice"));
        }
        let id = match n.id {
            Some(id) if id <= 1 || acl.namespace_by_id(id).is_some() => {
                return Err(refuse(&entry, format!("the id {id} is taken or invalid")));
            }
            Some(id) => id,
            None => {
                next_id += 1;
                next_id - 1
            }
        };
        acl.namespaces.push(Namespace {
            id,
            name: n.name.unwrap_or_else(|| code.clone()),
            code,
            description: n.description,
            explicit: true,
            created_at: n.created_at.unwrap_or_else(|| now.to_owned()),
            updated_at: n.updated_at.unwrap_or_else(|| now.to_owned()),
        });
        acl.next_namespace_id = acl.next_namespace_id.max(id + 1).max(next_id);
    }

    // Resources.
    let mut ids = HashSet::new();
    for (entry, r) in entries::<ResourceDoc>(doc, "resources")? {
        let ns = namespace(r.namespace.as_deref());
        let kind = parse_type(&r.kind).ok_or_else(|| refuse(&entry, format!("unknown resource type {}", r.kind)))?;
        let id = fresh_id(&entry, r.id, &mut ids)?;
        let actions =
            r.actions.into_iter().map(|a| ResourceAction { name: a.name, description: a.description }).collect();
        let code = code_arg("resource", &r.code).map_err(|e| refused_by_store(&entry, &e))?;
        access
            .acl
            .create_resource(&ns, &code, kind, actions, r.description, r.api_identifier, now)
            .map_err(|e| refused_by_store(&entry, &e))?;
        if let Some(stored) = access.acl.resources.get_mut(&(ns, code)) {
            stored.id = id;
            stored.created_at = r.created_at.unwrap_or_else(|| now.to_owned());
            stored.updated_at = r.updated_at.unwrap_or_else(|| now.to_owned());
        }
    }

    // Groups and their users.
    let mut ids = HashSet::new();
    for (entry, g) in entries::<GroupDoc>(doc, "groups")? {
        let code = code_arg("group", &g.code).map_err(|e| refused_by_store(&entry, &e))?;
        let id = fresh_id(&entry, g.id, &mut ids)?;
        access.create_group(&code, g.name, g.description, now).map_err(|e| refused_by_store(&entry, &e))?;
        if let Some(stored) = access.groups.iter_mut().find(|s| s.code == code) {
            stored.id = id.clone();
            stored.created_at = Some(g.created_at.unwrap_or_else(|| now.to_owned()));
            stored.updated_at = Some(g.updated_at.unwrap_or_else(|| now.to_owned()));
        }
        for user in &g.users {
            if users.get(user).is_none() {
                return Err(refuse(&entry, format!("the user {user} does not exist")));
            }
        }
        access.add_group_users(&id, &g.users);
    }

    // Roles: all of them first, then parents, members and custom data.
    let role_docs = entries::<RoleDoc>(doc, "roles")?;
    let mut ids = HashSet::new();
    let mut made = Vec::new();
    for (entry, r) in &role_docs {
        let ns = namespace(r.namespace.as_deref());
        let code = code_arg("role", &r.code).map_err(|e| refused_by_store(entry, &e))?;
        let entry = format!("{entry} in {ns}");
        if access.role(&ns, &code).is_some() {
            return Err(refused_by_store(&entry, &ApiError::new(Code::RoleExists)));
        }
        let id = fresh_id(&entry, r.id.clone(), &mut ids)?;
        let seq = access.next_seq();
        access.roles.push(Role {
            arn: format!("arn:cn:authing:{pool_id}:role:{id}"),
            id: id.clone(),
            namespace: ns.clone(),
            code,
            description: r.description.clone(),
            is_system: Some(r.is_system.unwrap_or(false)),
            created_at: Some(r.created_at.clone().unwrap_or_else(|| now.to_owned())),
            updated_at: Some(r.updated_at.clone().unwrap_or_else(|| now.to_owned())),
            parent_id: None,
            created_seq: seq,
            updated_seq: seq,
        });
        access.acl.ensure_namespace(&ns, now);
        made.push((entry, ns, id));
    }
    for ((entry, ns, id), (_, r)) in made.into_iter().zip(&role_docs) {
        if let Some(parent) = r.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            let parent_id = access
                .role(&ns, parent)
                .map(|p| p.id.clone())
                .ok_or_else(|| refuse(&entry, format!("the parent role {parent} does not exist")))?;
            if parent_id == id {
                return Err(refuse(&entry, "a role cannot be its own parent"));
            }
            if let Some(role) = access.roles.iter_mut().find(|x| x.id == id) {
                role.parent_id = Some(parent_id);
            }
        }
        for user in &r.users {
            if users.get(user).is_none() {
                return Err(refuse(&entry, format!("the user {user} does not exist")));
            }
        }
        let mut group_ids = Vec::new();
        for group in &r.groups {
            let g = access.group(group).ok_or_else(|| refuse(&entry, format!("the group {group} does not exist")))?;
            group_ids.push(g.id.clone());
        }
        access.assign_roles(std::slice::from_ref(&id), &r.users, &group_ids);
        for (key, value) in r.custom_data.pairs() {
            let text = udf.check_raw(TargetType::Role, key, value).map_err(|e| refused_by_store(&entry, &e))?;
            udf.put(TargetType::Role, &id, key, text);
        }
    }

    // Policies.
    for (entry, p) in entries::<PolicyDoc>(doc, "policies")? {
        let ns = namespace(p.namespace.as_deref());
        if ns == DEFAULT_NAMESPACE && p.code == ADMIN_POLICY {
            // The built-in policy always exists and cannot change: only its dates are taken.
            if let Some(stored) = access.policies.iter_mut().find(|s| s.is_default) {
                stored.created_at = p.created_at.or(stored.created_at.take());
                stored.updated_at = p.updated_at.or(stored.updated_at.take());
            }
            continue;
        }
        let code = code_arg("policy", &p.code).map_err(|e| refused_by_store(&entry, &e))?;
        let mut statements = Vec::new();
        for s in p.statements {
            let effect = match s.effect.as_deref() {
                None => None,
                Some("ALLOW") => Some(PolicyEffect::Allow),
                Some("DENY") => Some(PolicyEffect::Deny),
                Some(other) => return Err(refuse(&entry, format!("unknown effect {other}"))),
            };
            statements.push(PolicyStatement {
                resource: s.resource,
                actions: s.actions,
                effect,
                condition: s.condition.map(|c| {
                    c.into_iter()
                        .map(|c| PolicyStatementCondition {
                            param: c.param,
                            operator: c.operator,
                            value: ObjectValue(c.value),
                        })
                        .collect()
                }),
            });
        }
        access.create_policy(&ns, &code, p.description, statements, now).map_err(|e| refused_by_store(&entry, &e))?;
        if let Some(stored) = access.policies.iter_mut().find(|s| s.namespace == ns && s.code == code) {
            stored.created_at = Some(p.created_at.unwrap_or_else(|| now.to_owned()));
            stored.updated_at = Some(p.updated_at.unwrap_or_else(|| now.to_owned()));
        }
    }

    // Policy assignments.
    for (entry, a) in entries::<AssignmentDoc>(doc, "policyAssignments")? {
        let ns = namespace(a.namespace.as_deref());
        access.existing_policy(&ns, &a.policy).map_err(|e| refused_by_store(&entry, &e))?;
        let target = target(&entry, &access, &users, &ns, &a.target_type, &a.target_identifier)?;
        if access.assignments.iter().any(|x| x.namespace == ns && x.policy == a.policy && x.target == target) {
            return Err(refuse(&entry, "the assignment is given twice"));
        }
        access.assignments.push(Assignment { namespace: ns, policy: a.policy, target, enabled: a.enabled });
    }

    // Grants.
    for (entry, g) in entries::<GrantDoc>(doc, "grants")? {
        let ns = namespace(g.namespace.as_deref());
        access.acl.require_namespace(&ns).map_err(|e| refused_by_store(&entry, &e))?;
        let target = target(&entry, &access, &users, &ns, &g.target_type, &g.target_identifier)?;
        let kind = match g.resource_type.as_deref() {
            None => None,
            Some(t) => Some(parse_type(t).ok_or_else(|| refuse(&entry, format!("unknown resource type {t}")))?),
        };
        if g.resource.trim().is_empty() {
            return Err(refuse(&entry, "the resource is empty"));
        }
        access.acl.grant(&ns, &Who::from(&target), &g.resource, &g.actions, kind);
    }

    // Programmatic access accounts.
    let mut ids = HashSet::new();
    for (entry, a) in entries::<AccountDoc>(doc, "programmaticAccessAccounts")? {
        let id = fresh_id(&entry, a.id, &mut ids)?;
        let created = a.created_at.unwrap_or_else(|| now.to_owned());
        access.acl.accounts.push(AccessAccount {
            id,
            app_id: a.app_id.unwrap_or_else(|| app_id.to_owned()),
            secret: a.secret.unwrap_or_else(|| crate::store::common::random_hex(16)),
            remarks: a.remarks,
            token_lifetime: a.token_lifetime.unwrap_or(600),
            enabled: a.enabled,
            user_id: a.user_id.unwrap_or_else(new_id),
            updated_at: a.updated_at.unwrap_or_else(|| created.clone()),
            created_at: created,
        });
    }

    // The application's access settings.
    access.acl.set_deny_all(application.deny_all);
    for (i, p) in application.access_policies.into_iter().enumerate() {
        let entry = format!("application.accessPolicies[{i}]");
        let ns = namespace(p.namespace.as_deref());
        let target = target(&entry, &access, &users, &ns, &p.target_type, &p.target_identifier)?;
        let effect = match p.effect.as_str() {
            "ALLOW" => Effect::Allow,
            "DENY" => Effect::Deny,
            other => return Err(refuse(&entry, format!("unknown effect {other}"))),
        };
        let who = Who::from(&target);
        if access.acl.app_policies.iter().any(|x| x.who == who) {
            return Err(refuse(&entry, "the target has two records"));
        }
        access.acl.app_policies.push(AppPolicy {
            app_id: app_id.to_owned(),
            who,
            namespace: ns,
            effect,
            enabled: p.enabled,
            inherit_by_children: p.inherit_by_children,
            assigned_at: p.assigned_at.unwrap_or_else(|| now.to_owned()),
            policy_id: p.policy_id.unwrap_or_else(new_id),
        });
    }

    Ok(Imported { users, access, udf, password_levels: levels })
}

impl State {
    /// Replaces the users, custom data, roles, groups, policies and ACL with a document's, after checking
    /// it as a whole; sessions, verification codes, tickets and the user-action log are cleared. The pool's
    /// and application's ids and secrets stay. On a refusal nothing changes.
    pub(crate) fn import(&self, doc: &Value) -> Result<(), ApiError> {
        let imported = build(doc, &self.pool.id, &self.app.id, &self.created_at, &crate::store::common::now_iso())?;
        self.install(imported);
        Ok(())
    }

    /// Empties the pool: as when the emulator started (ids, secrets and counters stay).
    pub(crate) fn reset(&self) {
        self.install(Imported {
            users: UserStore::default(),
            access: AccessStore::new(&self.created_at),
            udf: UdfStore::default(),
            password_levels: Vec::new(),
        });
    }

    /// Swaps fresh stores in, taking the locks in the documented order.
    pub(crate) fn install(&self, imported: Imported) {
        let mut users = self.users_write();
        let mut access = self.access_write();
        let mut udf = self.udf_write();
        let mut sessions = self.sessions();
        let mut actions = self.actions();
        *users = imported.users;
        *access = imported.access;
        *udf = imported.udf;
        *sessions = crate::store::sessions::SessionBook::default();
        actions.clear();
        drop((actions, sessions, udf, access, users));
        self.auth.clear();
        for (id, level) in imported.password_levels {
            self.auth.set_password_level(&id, level);
        }
    }
}
