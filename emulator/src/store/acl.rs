//! Access control (ACL): resource namespaces, resources, grants and their evaluation, programmatic access
//! accounts and application access policies.
//!
//! Everything here lives in [`AclStore`], a field of the `AccessStore` of roles and groups, so that it sits
//! behind the same lock as the roles and groups it refers to. What combines the two (a user's grants through its
//! roles and groups, checks, application access) is in the module `authz`.
//!
//! # Namespaces
//!
//! A resource namespace is the permission group roles and policies already live in. `default` (id 1)
//! always exists; namespaces created over REST get the next numeric id; a namespace first used by a role
//! or a policy is registered on the spot (its name is its code), and creating it over REST afterwards
//! adopts it (same id) instead of failing. ACL calls that name a namespace nobody created fail with 3003.
//!
//! # Grants
//!
//! A grant is `(namespace, target, resource code) -> actions`, stored per `(namespace, target)` in grant
//! order, so that evaluating a user touches only the grants of the user, its roles (of that namespace) and
//! its groups, however many grants the pool holds. Granting the same resource again adds the new actions.
//!
//! * A resource code `T` or `T:*` names the whole type `T` (`*` names everything); `T:1` names one
//!   instance. A type grant covers the type and all its instances; an instance grant covers only itself,
//!   so it does not answer a query about `T:*`.
//! * An action without a prefix means the action of the resource's type (`edit` on `books:1` is
//!   `books:edit`); `T:*` covers every action of `T`, `*` every action.
//! * A user holds its own grants, those of its roles (in the namespace asked about), those of its
//!   groups, and those of its departments, their ancestors and the roles given to them (`authz::user_targets`).
//!   Roles given to a group and parent roles pass nothing on; AK_SK targets keep their grants but nobody
//!   inherits them.
//! * Revoking a type (`T` or `T:*`) also removes the target's instance grants `T:x`; revoking an
//!   instance leaves the type grants. Revoking some actions keeps the others; a grant left without
//!   actions is removed.
//! * Deleting a user, role or group removes its grants; renaming a role or group keeps them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::store::common::{new_id, random_hex};
use crate::store::error::{ApiError, Code};
use crate::store::model::{DEFAULT_NAMESPACE, ResourceType, Target, TargetKind};

/// The numeric id of the `default` namespace.
const DEFAULT_NAMESPACE_ID: i64 = 1;

/// A resource namespace (permission group).
#[derive(Clone, Debug)]
pub(crate) struct Namespace {
    pub(crate) id: i64,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// False for a namespace that came into being through a role or policy.
    pub(crate) explicit: bool,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Namespace {
    /// The REST object.
    pub(crate) fn to_json(&self, pool_id: &str) -> Value {
        json!({
            "id": self.id,
            "userPoolId": pool_id,
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "status": 1,
            "appId": null,
            "appName": null,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// An action a resource supports.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct ResourceAction {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
}

/// A resource of a namespace.
#[derive(Clone, Debug)]
pub(crate) struct Resource {
    pub(crate) id: String,
    pub(crate) namespace: String,
    pub(crate) code: String,
    pub(crate) kind: ResourceType,
    pub(crate) actions: Vec<ResourceAction>,
    pub(crate) description: Option<String>,
    pub(crate) api_identifier: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) seq: u64,
}

/// The name of a `ResourceType` on the wire.
pub(crate) fn type_name(kind: ResourceType) -> &'static str {
    match kind {
        ResourceType::Data => "DATA",
        ResourceType::Api => "API",
        ResourceType::Menu => "MENU",
        ResourceType::Ui => "UI",
        ResourceType::Button => "BUTTON",
    }
}

/// Parses a `ResourceType` name (case-insensitive).
pub(crate) fn parse_type(name: &str) -> Option<ResourceType> {
    match name.trim().to_ascii_uppercase().as_str() {
        "DATA" => Some(ResourceType::Data),
        "API" => Some(ResourceType::Api),
        "MENU" => Some(ResourceType::Menu),
        "UI" => Some(ResourceType::Ui),
        "BUTTON" => Some(ResourceType::Button),
        _ => None,
    }
}

/// The name of a `PolicyAssignmentTargetType`.
pub(crate) fn kind_name(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::User => "USER",
        TargetKind::Role => "ROLE",
        TargetKind::Group => "GROUP",
        TargetKind::Org => "ORG",
        TargetKind::AkSk => "AK_SK",
    }
}

/// Who holds a grant: a [`Target`] that can key a map (roles and groups by internal id).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Who {
    User(String),
    Role(String),
    Group(String),
    Org(String),
    AkSk(String),
}

impl From<&Target> for Who {
    fn from(target: &Target) -> Self {
        match target {
            Target::User(id) => Who::User(id.clone()),
            Target::Role(id) => Who::Role(id.clone()),
            Target::Group(id) => Who::Group(id.clone()),
            Target::Org(id) => Who::Org(id.clone()),
            Target::AkSk(id) => Who::AkSk(id.clone()),
        }
    }
}

impl Who {
    pub(crate) fn kind(&self) -> TargetKind {
        match self {
            Who::User(_) => TargetKind::User,
            Who::Role(_) => TargetKind::Role,
            Who::Group(_) => TargetKind::Group,
            Who::Org(_) => TargetKind::Org,
            Who::AkSk(_) => TargetKind::AkSk,
        }
    }
}

/// One grant of a target.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub(crate) resource: String,
    pub(crate) actions: Vec<String>,
    pub(crate) kind: ResourceType,
    pub(crate) seq: u64,
}

/// The type part of a resource code or action: `books` of `books:1`.
fn kind_of(code: &str) -> &str {
    code.split_once(':').map_or(code, |(kind, _)| kind)
}

/// Whether a resource code names a whole type (`books`, `books:*`).
fn is_type_code(code: &str) -> bool {
    !code.contains(':') || code.ends_with(":*")
}

/// Whether a grant on `granted` covers a question about `asked`.
pub(crate) fn resource_covers(granted: &str, asked: &str) -> bool {
    granted == asked || granted == "*" || (is_type_code(granted) && kind_of(granted) == kind_of(asked))
}

/// An action with the prefix of the resource type `kind` when it has none.
fn full_action(action: &str, kind: &str) -> String {
    if action == "*" || action.contains(':') { action.to_owned() } else { format!("{kind}:{action}") }
}

/// Whether a granted action covers an asked one, on a resource of type `kind`.
pub(crate) fn action_covers(granted: &str, asked: &str, kind: &str) -> bool {
    let (granted, asked) = (full_action(granted, kind), full_action(asked, kind));
    granted == asked
        || granted == "*"
        || (granted.ends_with(":*") && granted.split_once(':').map(|(k, _)| k) == asked.split_once(':').map(|(k, _)| k))
}

/// A programmatic access account of an application.
#[derive(Clone, Debug)]
pub(crate) struct AccessAccount {
    pub(crate) id: String,
    pub(crate) app_id: String,
    pub(crate) secret: String,
    pub(crate) remarks: Option<String>,
    pub(crate) token_lifetime: i64,
    pub(crate) enabled: bool,
    pub(crate) user_id: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl AccessAccount {
    /// Whether `secret` is this account's secret and the account is enabled (the OAuth client credentials).
    pub(crate) fn accepts(&self, secret: &str) -> bool {
        self.enabled && self.secret == secret
    }

    /// The secret (the access key's password in the client credentials grant).
    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }

    /// The application the account belongs to.
    pub(crate) fn app_id(&self) -> &str {
        &self.app_id
    }

    /// How long its access tokens live, in seconds.
    pub(crate) fn token_lifetime(&self) -> i64 {
        self.token_lifetime
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "appId": self.app_id,
            "secret": self.secret,
            "remarks": self.remarks,
            "tokenLifetime": self.token_lifetime,
            "enabled": self.enabled,
            "userId": self.user_id,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// What an application access policy does to its targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

/// An application access policy record: one per application and target.
#[derive(Clone, Debug)]
pub(crate) struct AppPolicy {
    pub(crate) app_id: String,
    pub(crate) who: Who,
    pub(crate) namespace: String,
    pub(crate) effect: Effect,
    pub(crate) enabled: bool,
    pub(crate) inherit_by_children: bool,
    pub(crate) assigned_at: String,
    pub(crate) policy_id: String,
}

/// How an application access policy call changes the records of its targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AppPolicyChange {
    /// Creates or turns the record into an allowing one, in effect.
    Set(Effect),
    /// Puts the record in effect (or not).
    Enable(bool),
    /// Removes the record.
    Revoke,
}

/// Namespaces, resources, grants, programmatic access accounts and application access policies.
pub(crate) struct AclStore {
    pub(crate) namespaces: Vec<Namespace>,
    pub(crate) next_namespace_id: i64,
    /// By `(namespace code, resource code)`.
    pub(crate) resources: HashMap<(String, String), Resource>,
    /// By `(namespace code, target)`, in grant order.
    pub(crate) grants: HashMap<(String, Who), Vec<Grant>>,
    /// Who holds a grant on `(namespace code, resource code)`, in grant order.
    holders: HashMap<(String, String), Vec<Who>>,
    pub(crate) accounts: Vec<AccessAccount>,
    pub(crate) app_policies: Vec<AppPolicy>,
    /// The default strategy of the application: deny everybody no policy allows.
    deny_all: bool,
    seq: u64,
    /// How many grants lookups have examined (shows that a lookup reads only its targets' grants).
    examined: AtomicUsize,
}

/// 3003: the namespace does not exist.
fn namespace_missing() -> ApiError {
    ApiError::new(Code::NamespaceNotFound)
}

impl AclStore {
    /// A store with the `default` namespace.
    pub(crate) fn new(now: &str) -> Self {
        AclStore {
            namespaces: vec![Namespace {
                id: DEFAULT_NAMESPACE_ID,
                code: DEFAULT_NAMESPACE.to_owned(),
                name: "默认权限分组".to_owned(),
                description: None,
                explicit: true,
                created_at: now.to_owned(),
                updated_at: now.to_owned(),
            }],
            next_namespace_id: DEFAULT_NAMESPACE_ID + 1,
            resources: HashMap::new(),
            grants: HashMap::new(),
            holders: HashMap::new(),
            accounts: Vec::new(),
            app_policies: Vec::new(),
            deny_all: false,
            seq: 0,
            examined: AtomicUsize::new(0),
        }
    }

    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    // ---- namespaces --------------------------------------------------------------------------------

    /// Registers a namespace a role or policy uses (no-op when it exists).
    pub(crate) fn ensure_namespace(&mut self, code: &str, now: &str) {
        if self.namespace(code).is_none() {
            let id = self.next_namespace_id;
            self.next_namespace_id += 1;
            self.namespaces.push(Namespace {
                id,
                code: code.to_owned(),
                name: code.to_owned(),
                description: None,
                explicit: false,
                created_at: now.to_owned(),
                updated_at: now.to_owned(),
            });
        }
    }

    pub(crate) fn namespace(&self, code: &str) -> Option<&Namespace> {
        self.namespaces.iter().find(|n| n.code == code)
    }

    pub(crate) fn namespace_by_id(&self, id: i64) -> Option<&Namespace> {
        self.namespaces.iter().find(|n| n.id == id)
    }

    /// A namespace that must exist (3003 otherwise).
    pub(crate) fn require_namespace(&self, code: &str) -> Result<&Namespace, ApiError> {
        self.namespace(code).ok_or_else(namespace_missing)
    }

    /// Every namespace, newest first.
    pub(crate) fn namespaces(&self) -> Vec<Namespace> {
        let mut list = self.namespaces.clone();
        list.sort_by_key(|n| std::cmp::Reverse(n.id));
        list
    }

    /// Creates a namespace (3001 when an explicitly created one has the code; one that came from a role
    /// or policy is adopted).
    pub(crate) fn create_namespace(
        &mut self,
        code: &str,
        name: &str,
        description: Option<String>,
        now: &str,
    ) -> Result<Namespace, ApiError> {
        if let Some(existing) = self.namespaces.iter_mut().find(|n| n.code == code) {
            if existing.explicit {
                return Err(ApiError::new(Code::NamespaceExists));
            }
            existing.explicit = true;
            existing.name = name.to_owned();
            existing.description = description;
            existing.updated_at = now.to_owned();
            return Ok(existing.clone());
        }
        let id = self.next_namespace_id;
        self.next_namespace_id += 1;
        let ns = Namespace {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            description,
            explicit: true,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        };
        self.namespaces.push(ns.clone());
        Ok(ns)
    }

    /// Changes a namespace's name and description; a new code is applied by [`AclStore::rename_namespace`]
    /// (the caller renames the roles and policies too).
    pub(crate) fn update_namespace(
        &mut self,
        id: i64,
        name: Option<String>,
        description: Option<String>,
        now: &str,
    ) -> Result<Namespace, ApiError> {
        let ns = self.namespaces.iter_mut().find(|n| n.id == id).ok_or(ApiError::new(Code::NamespaceUpdateMissing))?;
        if let Some(name) = name {
            ns.name = name;
        }
        if let Some(d) = description {
            ns.description = Some(d);
        }
        ns.explicit = true;
        ns.updated_at = now.to_owned();
        Ok(ns.clone())
    }

    /// Moves everything of namespace `old` to the code `new` (which must be free).
    pub(crate) fn rename_namespace(&mut self, old: &str, new: &str) {
        for ns in self.namespaces.iter_mut().filter(|n| n.code == old) {
            ns.code = new.to_owned();
        }
        self.resources = std::mem::take(&mut self.resources)
            .into_iter()
            .map(|((ns, code), mut r)| {
                if ns == old {
                    r.namespace = new.to_owned();
                    ((new.to_owned(), code), r)
                } else {
                    ((ns, code), r)
                }
            })
            .collect();
        self.grants = std::mem::take(&mut self.grants)
            .into_iter()
            .map(|((ns, who), g)| if ns == old { ((new.to_owned(), who), g) } else { ((ns, who), g) })
            .collect();
        self.holders = std::mem::take(&mut self.holders)
            .into_iter()
            .map(|((ns, code), h)| if ns == old { ((new.to_owned(), code), h) } else { ((ns, code), h) })
            .collect();
        for p in self.app_policies.iter_mut().filter(|p| p.namespace == old) {
            p.namespace = new.to_owned();
        }
    }

    /// Removes a namespace with its resources and grants; returns its code. The caller removes its roles
    /// and policies.
    pub(crate) fn delete_namespace(&mut self, id: i64) -> Result<String, ApiError> {
        let pos = self.namespaces.iter().position(|n| n.id == id).ok_or_else(namespace_missing)?;
        if id == DEFAULT_NAMESPACE_ID {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "默认权限分组不能删除",
                "The default namespace cannot be deleted",
            ));
        }
        let code = self.namespaces.remove(pos).code;
        self.resources.retain(|(ns, _), _| *ns != code);
        self.grants.retain(|(ns, _), _| *ns != code);
        self.holders.retain(|(ns, _), _| *ns != code);
        Ok(code)
    }

    // ---- resources ---------------------------------------------------------------------------------

    /// Creates a resource of an existing namespace (3012 when the code is taken).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_resource(
        &mut self,
        ns: &str,
        code: &str,
        kind: ResourceType,
        actions: Vec<ResourceAction>,
        description: Option<String>,
        api_identifier: Option<String>,
        now: &str,
    ) -> Result<Resource, ApiError> {
        self.require_namespace(ns)?;
        let key = (ns.to_owned(), code.to_owned());
        if self.resources.contains_key(&key) {
            return Err(ApiError::new(Code::ResourceExists));
        }
        let seq = self.next_seq();
        let resource = Resource {
            id: new_id(),
            namespace: ns.to_owned(),
            code: code.to_owned(),
            kind,
            actions,
            description,
            api_identifier,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            seq,
        };
        self.resources.insert(key, resource.clone());
        Ok(resource)
    }

    /// Changes what is given of a resource (3011 when it does not exist).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn update_resource(
        &mut self,
        ns: &str,
        code: &str,
        kind: Option<ResourceType>,
        actions: Option<Vec<ResourceAction>>,
        description: Option<String>,
        api_identifier: Option<String>,
        now: &str,
    ) -> Result<Resource, ApiError> {
        self.require_namespace(ns)?;
        let r =
            self.resources.get_mut(&(ns.to_owned(), code.to_owned())).ok_or(ApiError::new(Code::ResourceNotFound))?;
        if let Some(kind) = kind {
            r.kind = kind;
        }
        if let Some(actions) = actions {
            r.actions = actions;
        }
        if let Some(d) = description {
            r.description = Some(d);
        }
        if let Some(a) = api_identifier {
            r.api_identifier = Some(a);
        }
        r.updated_at = now.to_owned();
        Ok(r.clone())
    }

    /// Deletes a resource (3011 when it does not exist); its grants stay.
    pub(crate) fn delete_resource(&mut self, ns: &str, code: &str) -> Result<(), ApiError> {
        self.require_namespace(ns)?;
        self.resources.remove(&(ns.to_owned(), code.to_owned())).map(drop).ok_or(ApiError::new(Code::ResourceNotFound))
    }

    /// The resources of a namespace, of one type when given, newest first.
    pub(crate) fn resources(&self, ns: &str, kind: Option<ResourceType>) -> Result<Vec<Resource>, ApiError> {
        self.require_namespace(ns)?;
        let mut list: Vec<Resource> = self
            .resources
            .values()
            .filter(|r| r.namespace == ns && kind.is_none_or(|k| r.kind == k))
            .cloned()
            .collect();
        list.sort_by_key(|r| std::cmp::Reverse(r.seq));
        Ok(list)
    }

    pub(crate) fn resource(&self, ns: &str, code: &str) -> Option<&Resource> {
        self.resources.get(&(ns.to_owned(), code.to_owned()))
    }

    pub(crate) fn resource_by_id(&self, id: &str) -> Option<&Resource> {
        self.resources.values().find(|r| r.id == id)
    }

    /// The REST object of a resource.
    pub(crate) fn resource_json(&self, r: &Resource, pool_id: &str) -> Value {
        json!({
            "id": r.id,
            "userPoolId": pool_id,
            "code": r.code,
            "actions": r.actions.iter().map(|a| json!({ "name": a.name, "description": a.description })).collect::<Vec<_>>(),
            "type": type_name(r.kind),
            "description": r.description,
            "namespaceId": self.namespace(&r.namespace).map(|n| n.id),
            "namespace": r.namespace,
            "apiIdentifier": r.api_identifier,
            "createdAt": r.created_at,
            "updatedAt": r.updated_at,
        })
    }

    /// The type of a grant on `code` when the caller gives none: that of the resource defining its type,
    /// else DATA.
    fn default_kind(&self, ns: &str, code: &str) -> ResourceType {
        self.resource(ns, code).or_else(|| self.resource(ns, kind_of(code))).map_or(ResourceType::Data, |r| r.kind)
    }

    /// The API identifier of the resource defining `code`, if any.
    pub(crate) fn api_identifier(&self, ns: &str, code: &str) -> Option<String> {
        self.resource(ns, code).or_else(|| self.resource(ns, kind_of(code))).and_then(|r| r.api_identifier.clone())
    }

    // ---- grants ------------------------------------------------------------------------------------

    /// The grants of one target in one namespace, in grant order: the only way lookups read grants.
    fn grants_of(&self, ns: &str, who: &Who) -> &[Grant] {
        // Builds the key without cloning the target for the common case of a miss as well as a hit.
        let list = self.grants.get(&(ns.to_owned(), who.clone())).map_or(&[][..], Vec::as_slice);
        self.examined.fetch_add(list.len(), Ordering::Relaxed);
        list
    }

    /// How many grants lookups have examined so far.
    #[cfg(test)]
    fn examined(&self) -> usize {
        self.examined.load(Ordering::Relaxed)
    }

    /// Grants actions on a resource to a target (adding to what it holds). `kind` defaults to the type of
    /// the resource's definition, else DATA.
    pub(crate) fn grant(
        &mut self,
        ns: &str,
        who: &Who,
        resource: &str,
        actions: &[String],
        kind: Option<ResourceType>,
    ) {
        let kind = kind.unwrap_or_else(|| self.default_kind(ns, resource));
        let seq = self.next_seq();
        let list = self.grants.entry((ns.to_owned(), who.clone())).or_default();
        match list.iter_mut().find(|g| g.resource == resource) {
            Some(g) => {
                for a in actions {
                    if !g.actions.contains(a) {
                        g.actions.push(a.clone());
                    }
                }
                g.kind = kind;
            }
            None => {
                let mut unique: Vec<String> = Vec::new();
                for a in actions {
                    if !unique.contains(a) {
                        unique.push(a.clone());
                    }
                }
                list.push(Grant { resource: resource.to_owned(), actions: unique, kind, seq });
                self.holders.entry((ns.to_owned(), resource.to_owned())).or_default().push(who.clone());
            }
        }
    }

    /// Revokes a target's grants on a resource: all of them, or only `actions`. A type (`T`, `T:*`)
    /// takes the instance grants `T:x` with it.
    pub(crate) fn revoke(&mut self, ns: &str, who: &Who, resource: &str, actions: Option<&[String]>) {
        let key = (ns.to_owned(), who.clone());
        let Some(list) = self.grants.get_mut(&key) else {
            return;
        };
        let hit = |g: &Grant| {
            if is_type_code(resource) { kind_of(&g.resource) == kind_of(resource) } else { g.resource == resource }
        };
        let mut emptied = Vec::new();
        for g in list.iter_mut().filter(|g| hit(g)) {
            match actions {
                Some(actions) if !actions.is_empty() => {
                    let kind = kind_of(&g.resource).to_owned();
                    g.actions.retain(|a| !actions.iter().any(|r| full_action(r, &kind) == full_action(a, &kind)));
                    if g.actions.is_empty() {
                        emptied.push(g.resource.clone());
                    }
                }
                _ => emptied.push(g.resource.clone()),
            }
        }
        list.retain(|g| !emptied.contains(&g.resource));
        if list.is_empty() {
            self.grants.remove(&key);
        }
        for code in emptied {
            let hkey = (ns.to_owned(), code);
            if let Some(h) = self.holders.get_mut(&hkey) {
                h.retain(|w| w != who);
                if h.is_empty() {
                    self.holders.remove(&hkey);
                }
            }
        }
    }

    /// Removes every grant and application access policy of a deleted user, role or group.
    pub(crate) fn forget(&mut self, target: &Target) {
        let who = Who::from(target);
        let codes: Vec<String> = self.namespaces.iter().map(|n| n.code.clone()).collect();
        for ns in codes {
            if let Some(list) = self.grants.remove(&(ns.clone(), who.clone())) {
                for g in list {
                    let hkey = (ns.clone(), g.resource);
                    if let Some(h) = self.holders.get_mut(&hkey) {
                        h.retain(|w| *w != who);
                        if h.is_empty() {
                            self.holders.remove(&hkey);
                        }
                    }
                }
            }
        }
        self.app_policies.retain(|p| p.who != who);
    }

    /// The grants of several targets in one namespace, merged by resource code (actions added up), in the
    /// order of each code's first grant; only resources of `kind` when given.
    pub(crate) fn merged(
        &self,
        ns: &str,
        whos: &[Who],
        kind: Option<&str>,
    ) -> Vec<(String, ResourceType, Vec<String>)> {
        let mut found: Vec<(u64, String, ResourceType, Vec<String>)> = Vec::new();
        for who in whos {
            for g in self.grants_of(ns, who) {
                if kind.is_some_and(|k| !type_name(g.kind).eq_ignore_ascii_case(k.trim())) {
                    continue;
                }
                match found.iter_mut().find(|f| f.1 == g.resource) {
                    Some(f) => {
                        f.0 = f.0.min(g.seq);
                        for a in &g.actions {
                            if !f.3.contains(a) {
                                f.3.push(a.clone());
                            }
                        }
                    }
                    None => found.push((g.seq, g.resource.clone(), g.kind, g.actions.clone())),
                }
            }
        }
        found.sort_by_key(|f| f.0);
        found.into_iter().map(|(_, code, kind, actions)| (code, kind, actions)).collect()
    }

    /// The actions the targets hold on `resource` (through grants that cover it), as granted, without
    /// repeats.
    pub(crate) fn actions_on(&self, ns: &str, whos: &[Who], resource: &str) -> Vec<String> {
        let mut actions: Vec<String> = Vec::new();
        for who in whos {
            for g in self.grants_of(ns, who).iter().filter(|g| resource_covers(&g.resource, resource)) {
                for a in &g.actions {
                    if !actions.contains(a) {
                        actions.push(a.clone());
                    }
                }
            }
        }
        actions
    }

    /// Whether the targets may take `action` on `resource`.
    pub(crate) fn allowed(&self, ns: &str, whos: &[Who], resource: &str, action: &str) -> bool {
        let kind = kind_of(resource);
        whos.iter().any(|who| {
            self.grants_of(ns, who)
                .iter()
                .filter(|g| resource_covers(&g.resource, resource))
                .any(|g| g.actions.iter().any(|a| action_covers(a, action, kind)))
        })
    }

    /// The instance grants (`T:x`, not `T` or `T:*`) of the type `kind` the targets hold, merged, in
    /// grant order.
    pub(crate) fn instances_of_kind(&self, ns: &str, whos: &[Who], kind: &str) -> Vec<(String, Vec<String>)> {
        self.merged(ns, whos, None)
            .into_iter()
            .filter(|(code, _, _)| !is_type_code(code) && kind_of(code) == kind)
            .map(|(code, _, actions)| (code, actions))
            .collect()
    }

    /// The targets holding a grant on exactly `resource` (of `kind`), each with its actions, in grant
    /// order.
    pub(crate) fn holders(&self, ns: &str, resource: &str, kind: ResourceType) -> Vec<(Who, Vec<String>)> {
        let Some(whos) = self.holders.get(&(ns.to_owned(), resource.to_owned())) else {
            return Vec::new();
        };
        whos.iter()
            .filter_map(|who| {
                let g = self.grants_of(ns, who).iter().find(|g| g.resource == resource && g.kind == kind)?;
                Some((who.clone(), g.actions.clone()))
            })
            .collect()
    }

    // ---- programmatic access accounts --------------------------------------------------------------

    /// The accounts of an application, newest first.
    pub(crate) fn accounts(&self, app_id: &str) -> Vec<AccessAccount> {
        self.accounts.iter().rev().filter(|a| a.app_id == app_id).cloned().collect()
    }

    pub(crate) fn create_account(
        &mut self,
        app_id: &str,
        remarks: Option<String>,
        token_lifetime: i64,
        now: &str,
    ) -> AccessAccount {
        let account = AccessAccount {
            id: new_id(),
            app_id: app_id.to_owned(),
            secret: random_hex(16),
            remarks,
            token_lifetime,
            enabled: true,
            user_id: new_id(),
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        };
        self.accounts.push(account.clone());
        account
    }

    /// The account of `id`.
    pub(crate) fn account(&self, id: &str) -> Option<&AccessAccount> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// Enables, disables or gives a new secret to an account (3021 when it does not exist).
    pub(crate) fn update_account(
        &mut self,
        id: &str,
        enabled: Option<bool>,
        secret: Option<String>,
        now: &str,
    ) -> Result<AccessAccount, ApiError> {
        let a = self.accounts.iter_mut().find(|a| a.id == id).ok_or(ApiError::new(Code::AccessAccountNotFound))?;
        if let Some(e) = enabled {
            a.enabled = e;
        }
        if let Some(s) = secret {
            a.secret = s;
        }
        a.updated_at = now.to_owned();
        Ok(a.clone())
    }

    /// Deletes an account (3021 when it does not exist).
    pub(crate) fn delete_account(&mut self, id: &str) -> Result<(), ApiError> {
        let pos = self.accounts.iter().position(|a| a.id == id).ok_or(ApiError::new(Code::AccessAccountNotFound))?;
        self.accounts.remove(pos);
        Ok(())
    }

    // ---- application access policies ---------------------------------------------------------------

    /// Applies an access policy call to targets of an application.
    pub(crate) fn change_app_policies(
        &mut self,
        app_id: &str,
        whos: &[Who],
        ns: &str,
        inherit_by_children: bool,
        change: AppPolicyChange,
        now: &str,
    ) {
        for who in whos {
            let pos = self.app_policies.iter().position(|p| p.app_id == app_id && p.who == *who);
            match (change, pos) {
                (AppPolicyChange::Set(effect), Some(i)) => {
                    let p = &mut self.app_policies[i];
                    p.effect = effect;
                    p.enabled = true;
                    p.namespace = ns.to_owned();
                    p.inherit_by_children = inherit_by_children;
                }
                (AppPolicyChange::Set(effect), None) => self.app_policies.push(AppPolicy {
                    app_id: app_id.to_owned(),
                    who: who.clone(),
                    namespace: ns.to_owned(),
                    effect,
                    enabled: true,
                    inherit_by_children,
                    assigned_at: now.to_owned(),
                    policy_id: new_id(),
                }),
                (AppPolicyChange::Enable(on), Some(i)) => self.app_policies[i].enabled = on,
                (AppPolicyChange::Revoke, Some(i)) => {
                    self.app_policies.remove(i);
                }
                (_, None) => {}
            }
        }
    }

    /// Every application access policy record, oldest first.
    pub(crate) fn app_policies(&self) -> &[AppPolicy] {
        &self.app_policies
    }

    /// Sets the default strategy of the application: deny everybody no policy allows, or allow all.
    pub(crate) fn set_deny_all(&mut self, deny_all: bool) {
        self.deny_all = deny_all;
    }

    pub(crate) fn deny_all(&self) -> bool {
        self.deny_all
    }

    /// Whether targets (a user, its roles and groups) may use an application: an enabled deny record of
    /// any of them refuses, else an enabled allow record admits, else the default strategy decides.
    pub(crate) fn may_use(&self, app_id: &str, whos: &[Who]) -> bool {
        let effects: Vec<Effect> = self
            .app_policies
            .iter()
            .filter(|p| p.app_id == app_id && p.enabled && whos.contains(&p.who))
            .map(|p| p.effect)
            .collect();
        if effects.contains(&Effect::Deny) { false } else { effects.contains(&Effect::Allow) || !self.deny_all }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2024-01-01T00:00:00.000Z";

    fn user(n: usize) -> Who {
        Who::User(format!("u{n}"))
    }

    #[test]
    fn wildcards_and_prefixes() {
        let cases = [
            ("books:*", "books:123", true),
            ("books", "books:123", true),
            ("books:1", "books:1", true),
            ("books:1", "books:*", false),
            ("books:1", "books:2", false),
            ("books:*", "books:*", true),
            ("*", "films:1", true),
            ("books:*", "films:1", false),
        ];
        for (granted, asked, want) in cases {
            assert_eq!(resource_covers(granted, asked), want, "{granted} / {asked}");
        }
        let actions = [
            ("books:edit", "books:edit", true),
            ("edit", "books:edit", true),
            ("books:edit", "edit", true),
            ("books:*", "books:edit", true),
            ("*", "books:delete", true),
            ("books:read", "books:edit", false),
            ("books:edit", "books:*", false),
            ("films:*", "books:edit", false),
        ];
        for (granted, asked, want) in actions {
            assert_eq!(action_covers(granted, asked, "books"), want, "{granted} / {asked}");
        }
    }

    #[test]
    fn type_revoke_takes_instances_and_instance_revoke_keeps_the_type() {
        let mut s = AclStore::new(NOW);
        let u = user(1);
        s.grant("default", &u, "books", &["read".into()], None);
        s.grant("default", &u, "books:1", &["books:edit".into()], None);
        s.grant("default", &u, "films:1", &["films:edit".into()], None);
        s.revoke("default", &u, "books:1", None);
        assert_eq!(s.merged("default", std::slice::from_ref(&u), None).len(), 2);
        s.grant("default", &u, "books:2", &["books:edit".into()], None);
        s.revoke("default", &u, "books:*", None);
        let left = s.merged("default", std::slice::from_ref(&u), None);
        assert_eq!(left.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), ["films:1"]);
        assert!(s.holders("default", "books:2", ResourceType::Data).is_empty());
        assert_eq!(s.holders("default", "films:1", ResourceType::Data).len(), 1);
    }

    #[test]
    fn lookups_read_only_the_targets_grants() {
        let mut s = AclStore::new(NOW);
        // 50 000 grants: 5 000 users with 10 resources each.
        for n in 0..5_000 {
            for r in 0..10 {
                s.grant("default", &user(n), &format!("books:{r}"), &["books:read".into()], None);
            }
        }
        let before = s.examined();
        assert!(s.allowed("default", &[user(4_321)], "books:7", "read"));
        assert!(!s.allowed("default", &[user(4_321)], "books:70", "read"));
        assert_eq!(s.actions_on("default", &[user(7)], "books:3"), ["books:read"]);
        assert!(!s.allowed("default", &[Who::User("nobody".into())], "books:1", "read"));
        // Three lookups of a target with 10 grants, one of a target without any.
        assert_eq!(s.examined() - before, 30);
    }
}
