//! Names shared by the roles and policies (module `access`) and the grants (module `acl`): namespaces, the
//! kinds of target, resource types, and the resources a target may act on.

/// The namespace of calls that give none.
pub(crate) const DEFAULT_NAMESPACE: &str = "default";

/// The namespace a call means: the one given, or `default` when it is null or blank.
pub(crate) fn namespace(given: Option<&str>) -> String {
    match given.map(str::trim) {
        Some(ns) if !ns.is_empty() => ns.to_owned(),
        _ => DEFAULT_NAMESPACE.to_owned(),
    }
}

/// `PolicyAssignmentTargetType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TargetKind {
    User,
    Role,
    Group,
    Org,
    AkSk,
}

/// `ResourceType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResourceType {
    Data,
    Api,
    Menu,
    Ui,
    Button,
}

/// `AuthorizedResource` of the official schema: a resource some target may act on.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizedResource {
    pub(crate) code: String,
    pub(crate) kind: Option<ResourceType>,
    pub(crate) actions: Option<Vec<String>>,
    pub(crate) api_identifier: Option<String>,
}

/// Who a policy assignment or a resource grant is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A user, by id.
    User(String),
    /// A role, by its internal id.
    Role(String),
    /// A group, by its internal id.
    Group(String),
    /// An organization node, by the identifier given.
    Org(String),
    /// A programmatic access account, by the identifier given.
    AkSk(String),
}

impl TargetKind {
    /// Parses a `PolicyAssignmentTargetType` name (`USER`, `ROLE`, `GROUP`, `ORG`, `AK_SK`).
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "USER" => Some(TargetKind::User),
            "ROLE" => Some(TargetKind::Role),
            "GROUP" => Some(TargetKind::Group),
            "ORG" => Some(TargetKind::Org),
            "AK_SK" => Some(TargetKind::AkSk),
            _ => None,
        }
    }
}

impl Target {
    /// Its kind.
    pub(crate) fn kind(&self) -> TargetKind {
        match self {
            Target::User(_) => TargetKind::User,
            Target::Role(_) => TargetKind::Role,
            Target::Group(_) => TargetKind::Group,
            Target::Org(_) => TargetKind::Org,
            Target::AkSk(_) => TargetKind::AkSk,
        }
    }
}
