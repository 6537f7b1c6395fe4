//! The state of a pool as one JSON document, for import and export (field names as in the Authing API,
//! camelCase). The format is described, with an example, in the emulator's README.
//!
//! * [`export`] writes every user (with its password hash and custom data), custom field, namespace,
//!   resource, group, role (with its users, groups and custom data), policy, policy assignment, grant,
//!   programmatic access account, the application's access and OIDC settings, whether MFA is enforced,
//!   the users' TOTP authenticators, the pool's settings, registration whitelists and environment variables,
//!   and the LDAP and AD accounts and sub-accounts (`directories`, read and written by
//!   `store::directory::doc`). Principal authentication records, archived users, sessions, verification
//!   codes, OIDC grants, faces and the user-action and audit logs are not part of it.
//! * [`build`] reads a document into fresh stores, entry by entry, with the same checks as the API
//!   (uniqueness, existing references, custom data types). The first refusal names the entry
//!   (`roles[2] (default/editor): ...`) and nothing is installed; [`State::install`] then swaps the
//!   stores in at once.
//!
//! Ids are optional: given ones are kept, missing ones generated. References go by what the API uses: a
//! user by id, a role by code within its namespace, a group by code.

use std::collections::HashSet;
use std::fmt::Display;
use std::time::Duration;

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
use crate::store::apps::{Agreement, App, AppStore, DEFAULT_APP_NAME, ImportedApps};
use crate::store::auth::password_level;
use crate::store::common::{new_id, random_hex};
use crate::store::error::{ApiError, Code, Lang};
use crate::store::mfa::Totp;
use crate::store::model::{DEFAULT_NAMESPACE, Target, TargetKind, namespace};
use crate::store::oidc::{IdTokenAlgorithm, OidcSettings, TokenAuthMethod};
use crate::store::orgs::{OrgDoc, RoleRef};
use crate::store::pool::config::PoolConfig;
use crate::store::pool::env::{Env, EnvVar};
use crate::store::pool::settings::PoolSettings;
use crate::store::pool::whitelist::Whitelists;
use crate::store::state::State;
use crate::store::udf::{DataType, Field, TargetType, UdfStore};
use crate::store::users::{User, UserStore};

/// The version of the format [`export`] writes.
const VERSION: u32 = 1;

/// The top-level keys of a document.
const SECTIONS: [&str; 17] = [
    "version",
    "userPool",
    "application",
    "applications",
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
    "mfa",
    "directories",
    "orgs",
];

/// The keys of a user entry that are not fields of the user itself.
const USER_EXTRAS: [&str; 5] =
    ["password", "passwordHash", "passwordSecurityLevel", "customData", "resetPasswordOnFirstLogin"];

/// `userPool`: the pool's id and secret (used when an emulator starts from the document), its settings (the
/// fields of `UserPool` that `updateUserpool` changes, plus `passwordStrength`), its registration whitelists
/// and its environment variables.
#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PoolDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    settings: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    whitelist: Option<Whitelists>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    env: Option<Vec<EnvVar>>,
}

/// Reads the settings, whitelists and variables of the `userPool` section.
fn read_pool(doc: &Map<String, Value>) -> Result<PoolConfig, ApiError> {
    let section: PoolDoc = match doc.get("userPool") {
        None | Some(Value::Null) => return Ok(PoolConfig::default()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| refuse("userPool", e))?,
    };
    let settings = match &section.settings {
        Some(v) => PoolSettings::from_doc(v).map_err(|e| refuse("userPool.settings", e))?,
        None => PoolSettings::default(),
    };
    let whitelists = section.whitelist.unwrap_or_default().checked().map_err(|e| refuse("userPool.whitelist", e))?;
    let env = Env::from_vars(section.env.unwrap_or_default()).map_err(|e| refuse("userPool.env", e))?;
    Ok(PoolConfig { settings, whitelists, env })
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
    /// `INDIVIDUAL`, `Tenant` or `BOTH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app_type: Option<String>,
    /// The agreements shown at sign-in, in display order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    agreements: Vec<AgreementDoc>,
    /// The OIDC settings: each one given replaces the emulator's, each one missing keeps it. They are read
    /// as raw values and checked by [`oidc_patch`], so that a refusal names the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redirect_uris: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_endpoint_auth_method: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    introspection_endpoint_auth_method: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revocation_endpoint_auth_method: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token_signing_alg: Option<Value>,
    /// Lifetimes in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_token_lifetime: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token_lifetime: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token_lifetime: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authorization_code_lifetime: Option<Value>,
}

/// The longest token or code lifetime a document may give: 10 years, in seconds.
const MAX_LIFETIME: u64 = 10 * 365 * 24 * 3600;

/// The OIDC settings a document gives; `None` keeps the emulator's.
#[derive(Default)]
pub(crate) struct OidcPatch {
    redirect_uris: Option<Vec<String>>,
    token_endpoint_auth_method: Option<TokenAuthMethod>,
    introspection_endpoint_auth_method: Option<TokenAuthMethod>,
    revocation_endpoint_auth_method: Option<TokenAuthMethod>,
    id_token_algorithm: Option<IdTokenAlgorithm>,
    access_token_ttl: Option<Duration>,
    id_token_ttl: Option<Duration>,
    refresh_token_ttl: Option<Duration>,
    code_ttl: Option<Duration>,
}

impl OidcPatch {
    /// The settings with the document's replacing those it gives.
    pub(crate) fn apply(self, mut settings: OidcSettings) -> OidcSettings {
        fn set<T>(field: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *field = value;
            }
        }
        set(&mut settings.redirect_uris, self.redirect_uris);
        set(&mut settings.token_endpoint_auth_method, self.token_endpoint_auth_method);
        set(&mut settings.introspection_endpoint_auth_method, self.introspection_endpoint_auth_method);
        set(&mut settings.revocation_endpoint_auth_method, self.revocation_endpoint_auth_method);
        set(&mut settings.id_token_algorithm, self.id_token_algorithm);
        set(&mut settings.access_token_ttl, self.access_token_ttl);
        set(&mut settings.id_token_ttl, self.id_token_ttl);
        set(&mut settings.refresh_token_ttl, self.refresh_token_ttl);
        set(&mut settings.code_ttl, self.code_ttl);
        settings
    }
}

/// The client authentication methods, by their names in the document.
const AUTH_METHODS: [TokenAuthMethod; 3] =
    [TokenAuthMethod::ClientSecretPost, TokenAuthMethod::ClientSecretBasic, TokenAuthMethod::None];

/// The name of an id token algorithm in the document.
fn algorithm_name(alg: IdTokenAlgorithm) -> &'static str {
    match alg {
        IdTokenAlgorithm::Rs256 => "RS256",
        IdTokenAlgorithm::Hs256 => "HS256",
    }
}

/// Checks the OIDC settings of `application`; a refusal names the field (`application.redirectUris`).
fn oidc_patch(app: &ApplicationDoc) -> Result<OidcPatch, ApiError> {
    fn given(value: &Option<Value>) -> Option<&Value> {
        value.as_ref().filter(|v| !v.is_null())
    }
    let method = |name: &str, value: &Option<Value>| -> Result<Option<TokenAuthMethod>, ApiError> {
        let Some(value) = given(value) else { return Ok(None) };
        let found = value.as_str().and_then(|v| AUTH_METHODS.into_iter().find(|m| m.as_str() == v));
        found.map(Some).ok_or_else(|| {
            refuse(&format!("application.{name}"), "expected client_secret_post, client_secret_basic or none")
        })
    };
    let lifetime = |name: &str, value: &Option<Value>| -> Result<Option<Duration>, ApiError> {
        let Some(value) = given(value) else { return Ok(None) };
        match value.as_u64() {
            Some(secs) if secs <= MAX_LIFETIME => Ok(Some(Duration::from_secs(secs))),
            _ => Err(refuse(
                &format!("application.{name}"),
                format!("expected a whole number of seconds from 0 to {MAX_LIFETIME}"),
            )),
        }
    };
    let redirect_uris = match given(&app.redirect_uris) {
        None => None,
        Some(Value::Array(items)) => {
            let mut uris = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str().map(str::trim) {
                    Some(uri) if !uri.is_empty() => uris.push(uri.to_owned()),
                    _ => return Err(refuse(&format!("application.redirectUris[{i}]"), "expected a URI")),
                }
            }
            Some(uris)
        }
        Some(_) => return Err(refuse("application.redirectUris", "expected a list of URIs")),
    };
    let id_token_algorithm = match given(&app.id_token_signing_alg).map(Value::as_str) {
        None => None,
        Some(Some("RS256")) => Some(IdTokenAlgorithm::Rs256),
        Some(Some("HS256")) => Some(IdTokenAlgorithm::Hs256),
        Some(_) => return Err(refuse("application.idTokenSigningAlg", "expected RS256 or HS256")),
    };
    Ok(OidcPatch {
        redirect_uris,
        token_endpoint_auth_method: method("tokenEndpointAuthMethod", &app.token_endpoint_auth_method)?,
        introspection_endpoint_auth_method: method(
            "introspectionEndpointAuthMethod",
            &app.introspection_endpoint_auth_method,
        )?,
        revocation_endpoint_auth_method: method("revocationEndpointAuthMethod", &app.revocation_endpoint_auth_method)?,
        id_token_algorithm,
        access_token_ttl: lifetime("accessTokenLifetime", &app.access_token_lifetime)?,
        id_token_ttl: lifetime("idTokenLifetime", &app.id_token_lifetime)?,
        refresh_token_ttl: lifetime("refreshTokenLifetime", &app.refresh_token_lifetime)?,
        code_ttl: lifetime("authorizationCodeLifetime", &app.authorization_code_lifetime)?,
    })
}

/// `mfa`: whether password logins need a second factor, and the users' TOTP authenticators.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MfaDoc {
    /// Given, it replaces the emulator's setting; missing, it keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enforced: Option<bool>,
    /// Decoded entry by entry (see [`AuthenticatorDoc`]).
    #[serde(default)]
    authenticators: Vec<Value>,
}

/// A TOTP authenticator of a user (the fields of `GET /api/v2/mfa/authenticator`, and whether its recovery
/// code was used).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AuthenticatorDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    user_id: String,
    /// `totp`, the only type a document carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authenticator_type: Option<String>,
    /// The base32 secret, stored as given (like `POST /api/v2/mfa/totp/import`).
    secret: String,
    /// Generated when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recovery_code: Option<String>,
    #[serde(default)]
    recovery_code_used: bool,
    /// `SELF` or `APPLICATION` (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
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

/// An agreement of an application.
#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AgreementDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    title: String,
    #[serde(default = "yes")]
    required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
}

/// `applications`: an application besides the default one.
#[derive(Serialize, Deserialize, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AppDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    name: String,
    identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default)]
    logo: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app_type: Option<String>,
    /// The default strategy: deny everybody no access policy allows.
    #[serde(default)]
    deny_all: bool,
    #[serde(default)]
    agreements: Vec<AgreementDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
}

fn agreement_docs(agreements: &[Agreement]) -> Vec<AgreementDoc> {
    agreements
        .iter()
        .map(|a| AgreementDoc {
            id: Some(a.id),
            title: a.title.clone(),
            required: a.required,
            lang: Some(a.lang.clone()),
        })
        .collect()
}

/// The agreements of an entry; ids must be unique in the document (given ones are kept, missing ones follow
/// the highest).
fn read_agreements(entry: &str, docs: Vec<AgreementDoc>, taken: &mut HashSet<u64>) -> Result<Vec<Agreement>, ApiError> {
    let mut out = Vec::with_capacity(docs.len());
    for (i, a) in docs.into_iter().enumerate() {
        let entry = format!("{entry}.agreements[{i}]");
        if a.title.trim().is_empty() {
            return Err(refuse(&entry, "the title is empty"));
        }
        let id = match a.id {
            Some(id) if !taken.insert(id) => return Err(refuse(&entry, format!("the id {id} is taken"))),
            Some(id) => id,
            None => {
                let id = taken.iter().max().copied().unwrap_or(0) + 1;
                taken.insert(id);
                id
            }
        };
        out.push(Agreement {
            id,
            title: a.title,
            required: a.required,
            lang: a.lang.unwrap_or_else(|| "zh-CN".into()),
        });
    }
    Ok(out)
}

/// Checks an `appType` given by the document.
fn app_type(entry: &str, given: Option<String>) -> Result<Option<String>, ApiError> {
    match given {
        Some(t) if !AppStore::is_app_type(&t) => {
            Err(refuse(entry, format!("unknown appType {t}; expected INDIVIDUAL, Tenant or BOTH")))
        }
        other => Ok(other),
    }
}

/// The applications of a document: the default one's type and agreements, and the others.
fn read_apps(
    doc: &Map<String, Value>,
    application: &ApplicationDoc,
    pool_id: &str,
    app_id: &str,
    now: &str,
) -> Result<ImportedApps, ApiError> {
    let mut agreement_ids = HashSet::new();
    let default_agreements = read_agreements("application", application.agreements.clone(), &mut agreement_ids)?;
    let default_app_type = app_type("application.appType", application.app_type.clone())?;
    let mut ids: HashSet<String> = HashSet::from([app_id.to_owned()]);
    let (mut names, mut identifiers) = (HashSet::new(), HashSet::new());
    let mut others = Vec::new();
    for (entry, a) in entries::<AppDoc>(doc, "applications")? {
        let id = fresh_id(&entry, a.id, &mut ids)?;
        if a.name.trim().is_empty() || !names.insert(a.name.clone()) {
            return Err(refuse(&entry, "the name is empty or taken"));
        }
        if a.identifier.trim().is_empty() || !identifiers.insert(a.identifier.clone()) {
            return Err(refuse(&entry, "the identifier is empty or taken"));
        }
        let created = a.created_at.unwrap_or_else(|| now.to_owned());
        others.push(App {
            id,
            user_pool_id: pool_id.to_owned(),
            name: a.name,
            identifier: a.identifier,
            description: a.description,
            logo: a.logo,
            secret: a.secret.unwrap_or_else(|| random_hex(16)),
            redirect_uris: a.redirect_uris,
            protocol: a.protocol.unwrap_or_else(|| "oidc".to_owned()),
            app_type: app_type(&entry, a.app_type)?.unwrap_or_else(|| "INDIVIDUAL".to_owned()),
            is_default: false,
            deny_all: a.deny_all,
            agreements: read_agreements(&entry, a.agreements, &mut agreement_ids)?,
            updated_at: a.updated_at.unwrap_or_else(|| created.clone()),
            created_at: created,
        });
    }
    Ok(ImportedApps { others, default_agreements, default_app_type })
}

/// The applications besides the default one, as document entries.
fn app_docs(state: &State) -> Vec<AppDoc> {
    state
        .apps_read()
        .others()
        .iter()
        .map(|a| AppDoc {
            id: Some(a.id.clone()),
            name: a.name.clone(),
            identifier: a.identifier.clone(),
            description: a.description.clone(),
            logo: a.logo.clone(),
            secret: Some(a.secret.clone()),
            redirect_uris: a.redirect_uris.clone(),
            protocol: Some(a.protocol.clone()),
            app_type: Some(a.app_type.clone()),
            deny_all: a.deny_all,
            agreements: agreement_docs(&a.agreements),
            created_at: Some(a.created_at.clone()),
            updated_at: Some(a.updated_at.clone()),
        })
        .collect()
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
    /// The application's OIDC settings the document gives.
    pub(crate) oidc: OidcPatch,
    /// Whether MFA is enforced, when the document says.
    pub(crate) mfa_enforced: Option<bool>,
    /// The users' TOTP authenticators.
    pub(crate) authenticators: Vec<Totp>,
    /// The applications besides the default one, and the default one's agreements and type.
    pub(crate) apps: ImportedApps,
    /// The directories and sub-accounts, when the document has them.
    pub(crate) directories: Option<crate::store::directory::accounts::DirectoryStore>,
    /// The pool's settings, whitelists and environment variables.
    pub(crate) pool: PoolConfig,
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

    let oidc = state.oidc.settings();
    let default_app = state.apps_read().default_app().clone();
    let secs = |d: Duration| Some(json!(d.as_secs()));
    let application = ApplicationDoc {
        redirect_uris: Some(json!(oidc.redirect_uris)),
        token_endpoint_auth_method: Some(json!(oidc.token_endpoint_auth_method.as_str())),
        introspection_endpoint_auth_method: Some(json!(oidc.introspection_endpoint_auth_method.as_str())),
        revocation_endpoint_auth_method: Some(json!(oidc.revocation_endpoint_auth_method.as_str())),
        id_token_signing_alg: Some(json!(algorithm_name(oidc.id_token_algorithm))),
        access_token_lifetime: secs(oidc.access_token_ttl),
        id_token_lifetime: secs(oidc.id_token_ttl),
        refresh_token_lifetime: secs(oidc.refresh_token_ttl),
        authorization_code_lifetime: secs(oidc.code_ttl),
        id: Some(state.app.id.clone()),
        secret: Some(default_app.secret.clone()),
        app_type: Some(default_app.app_type.clone()),
        agreements: agreement_docs(&default_app.agreements),
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

    let pool = state.userpool.config();
    let mfa = MfaDoc {
        enforced: Some(state.mfa.enforced()),
        authenticators: state
            .mfa
            .authenticators()
            .into_iter()
            .map(|t| {
                json!(AuthenticatorDoc {
                    id: Some(t.id),
                    user_id: t.user_id,
                    authenticator_type: Some("totp".to_owned()),
                    secret: t.secret,
                    recovery_code: Some(t.recovery_code),
                    recovery_code_used: t.recovery_used,
                    source: Some(t.source),
                    created_at: Some(t.created_at),
                    updated_at: Some(t.updated_at),
                })
            })
            .collect(),
    };

    json!({
        "version": VERSION,
        "userPool": PoolDoc {
            id: Some(state.pool.id.clone()),
            secret: Some(state.pool.secret.clone()),
            settings: Some(pool.settings.to_json()),
            whitelist: Some(pool.whitelists.clone()),
            env: Some(pool.env_vars()),
        },
        "application": application,
        "applications": to_value(app_docs(state)),
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
        "mfa": mfa,
        "directories": crate::store::directory::doc::export(&state.directory.store()),
        "orgs": orgs_section(&access),
    })
}

/// `orgs`: every organization as a nested tree of nodes with their ids, members and roles, oldest first.
fn orgs_section(access: &AccessStore) -> Value {
    let role =
        |id: &str| access.role_by_id(id).map(|r| RoleRef { namespace: r.namespace.clone(), code: r.code.clone() });
    let docs: Vec<OrgDoc> = access.orgs.orgs(true).iter().filter_map(|o| access.orgs.org_doc(o, &role)).collect();
    to_value(docs)
}

/// Reads the `orgs` section: each organization whole, its members existing users and its roles existing roles.
fn read_orgs(
    doc: &Map<String, Value>,
    users: &mut UserStore,
    access: &mut AccessStore,
    now: &str,
) -> Result<(), ApiError> {
    for (entry, org) in entries::<OrgDoc>(doc, "orgs")? {
        let mut nodes = vec![&org.root];
        let mut i = 0;
        while i < nodes.len() {
            let node = nodes[i];
            if let Some(m) = node.members.iter().find(|m| users.get(&m.user_id).is_none()) {
                return Err(refuse(&entry, format!("node {}: unknown user {}", node.id, m.user_id)));
            }
            let mut role_ids = Vec::new();
            for r in &node.roles {
                let role = access.existing_role(&r.namespace, &r.code).map_err(|e| refused_by_store(&entry, &e))?;
                role_ids.push(role.id.clone());
            }
            access.orgs.assign_roles(&role_ids, std::slice::from_ref(&node.id));
            nodes.extend(node.children.iter());
            i += 1;
        }
        access.orgs.restore_org(&org, now).map_err(|e| refused_by_store(&entry, &e))?;
    }
    let ids: Vec<String> = users.all().map(|u| u.id.clone()).collect();
    for id in ids {
        if let Some((node_id, code)) = access.orgs.main_department(&id).map(|n| (n.id.clone(), n.code.clone())) {
            let _ = users.update(&id, |user| {
                user.main_department_id = Some(node_id);
                user.main_department_code = code;
                Ok(())
            });
        }
    }
    Ok(())
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

/// Reads the `mfa` section: the enforcement, and an authenticator per user (each of an existing user).
fn read_mfa(doc: &Map<String, Value>, users: &UserStore, now: &str) -> Result<(Option<bool>, Vec<Totp>), ApiError> {
    let section = match doc.get("mfa") {
        None | Some(Value::Null) => return Ok((None, Vec::new())),
        Some(v) => serde_json::from_value::<MfaDoc>(v.clone()).map_err(|e| refuse("mfa", e))?,
    };
    let mut list: Vec<Totp> = Vec::new();
    let mut ids = HashSet::new();
    for (i, item) in section.authenticators.into_iter().enumerate() {
        let entry = match item.get("userId").and_then(Value::as_str) {
            Some(user) => format!("mfa.authenticators[{i}] ({user})"),
            None => format!("mfa.authenticators[{i}]"),
        };
        let a: AuthenticatorDoc = serde_json::from_value(item).map_err(|e| refuse(&entry, e))?;
        if a.authenticator_type.as_deref().is_some_and(|t| !t.eq_ignore_ascii_case("totp")) {
            return Err(refuse(&entry, "the only authenticator type is totp"));
        }
        if users.get(&a.user_id).is_none() {
            return Err(refuse(&entry, format!("the user {} does not exist", a.user_id)));
        }
        if list.iter().any(|t| t.user_id == a.user_id) {
            return Err(refuse(&entry, "the user has another TOTP authenticator"));
        }
        if a.secret.trim().is_empty() {
            return Err(refuse(&entry, "the secret is empty"));
        }
        let source = match a.source.as_deref() {
            None => "APPLICATION".to_owned(),
            Some(s @ ("SELF" | "APPLICATION")) => s.to_owned(),
            Some(_) => return Err(refuse(&entry, "`source` must be SELF or APPLICATION")),
        };
        let created = a.created_at.unwrap_or_else(|| now.to_owned());
        list.push(Totp {
            id: fresh_id(&entry, a.id, &mut ids)?,
            user_id: a.user_id,
            secret: a.secret,
            recovery_code: a.recovery_code.unwrap_or_else(|| random_hex(8)),
            recovery_used: a.recovery_code_used,
            source,
            last_step: None,
            updated_at: a.updated_at.unwrap_or_else(|| created.clone()),
            created_at: created,
        });
    }
    Ok((section.enforced, list))
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
    let oidc = oidc_patch(&application)?;
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

    // MFA: the enforcement and the users' authenticators.
    let (mfa_enforced, authenticators) = read_mfa(doc, &users, now)?;
    let directories = crate::store::directory::doc::read(doc, &users)?;
    let pool = read_pool(doc)?;

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
    // Each application's own namespace, when the document does not list it.
    let apps = read_apps(doc, &application, pool_id, app_id, now)?;
    for (code, name) in apps.others.iter().map(|a| (a.id.as_str(), a.name.as_str())).chain([(app_id, DEFAULT_APP_NAME)])
    {
        if access.acl.namespace(code).is_none() {
            let _ = access.acl.create_namespace(code, name, None, now);
        }
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
            secret: a.secret.unwrap_or_else(|| random_hex(16)),
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

    // Organizations, after the users and roles they name.
    read_orgs(doc, &mut users, &mut access, now)?;

    Ok(Imported {
        users,
        access,
        udf,
        password_levels: levels,
        oidc,
        mfa_enforced,
        authenticators,
        apps,
        directories,
        pool,
    })
}

impl State {
    /// Replaces the users, custom data, roles, groups, policies, ACL and TOTP authenticators with a
    /// document's, after checking it as a whole; sessions, verification codes, tickets, open MFA logins,
    /// faces and the user-action and audit logs are cleared. The pool's and application's ids and secrets stay; the
    /// OIDC settings and the MFA enforcement the document gives replace the emulator's (those it does not
    /// give stay). On a refusal nothing changes.
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
            oidc: OidcPatch::default(),
            mfa_enforced: None,
            authenticators: Vec::new(),
            apps: ImportedApps::default(),
            directories: None,
            pool: PoolConfig::default(),
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
        self.oidc.set_settings(imported.oidc.apply(self.oidc.settings()));
        if let Some(on) = imported.mfa_enforced {
            self.mfa.set_enforced(on);
        }
        self.mfa.replace_authenticators(imported.authenticators);
        self.apps_write().replace(imported.apps);
        self.ensure_app_namespaces();
        match imported.directories {
            Some(directories) => self.directory.replace(directories),
            None => self.directory.forget_sub_accounts(),
        }
        self.principal.records().clear();
        self.userpool.replace(imported.pool);
        self.audit.clear();
    }
}
