//! The `directories` section of the state document: the accounts of the LDAP directory and the Active Directory,
//! and the sub-accounts.
//!
//! ```json
//! "directories": {
//!   "ldap": [{ "username": "ada", "password": "pw", "email": "ada@example.com", "name": "Ada" }],
//!   "ad": [{ "username": "bob", "passwordHash": "$pbkdf2-sha256$..." }],
//!   "subAccounts": [{ "userId": "<sub-account user id>", "mainUserId": "<main user id>" }]
//! }
//! ```
//!
//! An account gives `password` (clear text) or `passwordHash` (as exported), not both; a sub-account names two
//! different users of the document, the main one not itself a sub-account. Given, the section replaces the
//! emulator's directories; missing, the directories stay and there are no sub-accounts.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::accounts::{DirectoryEntry, DirectoryStore};
use crate::store::error::{ApiError, Code};
use crate::store::users::UserStore;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DirectoriesDoc {
    #[serde(default)]
    ldap: Vec<Value>,
    #[serde(default)]
    ad: Vec<Value>,
    #[serde(default)]
    sub_accounts: Vec<Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountDoc {
    username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubAccountDoc {
    user_id: String,
    main_user_id: String,
}

fn refuse(entry: &str, detail: impl std::fmt::Display) -> ApiError {
    ApiError::with_message(
        Code::BadRequest,
        format!("导入的状态无效：{entry}：{detail}"),
        format!("Invalid state: {entry}: {detail}"),
    )
}

fn account(entry: &str, value: &Value) -> Result<DirectoryEntry, ApiError> {
    let doc: AccountDoc = serde_json::from_value(value.clone()).map_err(|e| refuse(entry, e))?;
    if doc.username.trim().is_empty() {
        return Err(refuse(entry, "`username` is empty"));
    }
    match (doc.password, doc.password_hash) {
        (Some(clear), None) => Ok(DirectoryEntry::new(&doc.username, &clear, doc.email, doc.name)),
        (None, Some(hash)) => {
            if pbkdf2::password_hash::PasswordHash::new(&hash).is_err() {
                return Err(refuse(entry, "`passwordHash` is not a PBKDF2 PHC string"));
            }
            let mut account = DirectoryEntry::new(&doc.username, "", doc.email, doc.name);
            account.password_hash = hash;
            Ok(account)
        }
        _ => Err(refuse(entry, "give `password` or `passwordHash`")),
    }
}

/// Reads the section against the document's users; `None` when the document has none.
pub(crate) fn read(doc: &Map<String, Value>, users: &UserStore) -> Result<Option<DirectoryStore>, ApiError> {
    let section: DirectoriesDoc = match doc.get("directories") {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| refuse("directories", e))?,
    };
    let mut store = DirectoryStore::default();
    for (i, item) in section.ldap.iter().enumerate() {
        let entry = account(&format!("directories.ldap[{i}]"), item)?;
        store.ldap.insert(entry.username.clone(), entry);
    }
    for (i, item) in section.ad.iter().enumerate() {
        let entry = account(&format!("directories.ad[{i}]"), item)?;
        store.ad.insert(entry.username.clone(), entry);
    }
    for (i, item) in section.sub_accounts.iter().enumerate() {
        let entry = format!("directories.subAccounts[{i}]");
        let link: SubAccountDoc = serde_json::from_value(item.clone()).map_err(|e| refuse(&entry, e))?;
        for id in [&link.user_id, &link.main_user_id] {
            if users.get(id).is_none() {
                return Err(refuse(&entry, format!("the user {id} does not exist")));
            }
        }
        if link.user_id == link.main_user_id {
            return Err(refuse(&entry, "a user cannot be its own sub-account"));
        }
        store.sub_accounts.insert(link.user_id, link.main_user_id);
    }
    let chained = store.sub_accounts.values().find(|main| store.sub_accounts.contains_key(*main));
    if let Some(main) = chained {
        return Err(refuse("directories.subAccounts", format!("the main user {main} is itself a sub-account")));
    }
    Ok(Some(store))
}

/// The section as [`read`] takes it back (passwords as hashes).
pub(crate) fn export(store: &DirectoryStore) -> Value {
    let accounts = |entries: &std::collections::BTreeMap<String, DirectoryEntry>| -> Vec<AccountDoc> {
        entries
            .values()
            .map(|e| AccountDoc {
                username: e.username.clone(),
                password: None,
                password_hash: Some(e.password_hash.clone()),
                email: e.email.clone(),
                name: e.name.clone(),
            })
            .collect()
    };
    let subs: Vec<SubAccountDoc> = store
        .sub_accounts
        .iter()
        .map(|(user_id, main_user_id)| SubAccountDoc { user_id: user_id.clone(), main_user_id: main_user_id.clone() })
        .collect();
    json!({ "ldap": accounts(&store.ldap), "ad": accounts(&store.ad), "subAccounts": subs })
}
