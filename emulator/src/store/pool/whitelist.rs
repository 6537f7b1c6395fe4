//! The registration whitelists: a list of identifiers per type. While a type's flag is on (in the settings),
//! self-registration with an identifier of that type succeeds only when the identifier is listed.

use serde::{Deserialize, Serialize};

use crate::store::error::{ApiError, Code};

/// `WhitelistType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum ListKind {
    Username,
    Email,
    Phone,
}

impl ListKind {
    /// Listed e-mail addresses compare without case, like the users' own.
    fn normalize(self, value: &str) -> String {
        match self {
            ListKind::Email => value.trim().to_lowercase(),
            ListKind::Username | ListKind::Phone => value.trim().to_owned(),
        }
    }

    fn name(self) -> (&'static str, &'static str) {
        match self {
            ListKind::Username => ("用户名", "username"),
            ListKind::Email => ("邮箱", "e-mail address"),
            ListKind::Phone => ("手机号", "phone number"),
        }
    }
}

/// One listed identifier (`WhiteList`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) value: String,
    #[serde(default)]
    pub(crate) created_at: Option<String>,
    #[serde(default)]
    pub(crate) updated_at: Option<String>,
}

/// The three lists, each in the order the values were added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Whitelists {
    #[serde(default)]
    pub(crate) username: Vec<Entry>,
    #[serde(default)]
    pub(crate) email: Vec<Entry>,
    #[serde(default)]
    pub(crate) phone: Vec<Entry>,
}

impl Whitelists {
    pub(crate) fn list(&self, kind: ListKind) -> &[Entry] {
        match kind {
            ListKind::Username => &self.username,
            ListKind::Email => &self.email,
            ListKind::Phone => &self.phone,
        }
    }

    fn list_mut(&mut self, kind: ListKind) -> &mut Vec<Entry> {
        match kind {
            ListKind::Username => &mut self.username,
            ListKind::Email => &mut self.email,
            ListKind::Phone => &mut self.phone,
        }
    }

    /// Adds the values not listed yet (blank ones are refused); answers the whole list.
    pub(crate) fn add(&mut self, kind: ListKind, values: &[String], now: &str) -> Result<Vec<Entry>, ApiError> {
        if values.iter().any(|v| v.trim().is_empty()) {
            return Err(ApiError::with_message(
                Code::BadRequest,
                "白名单的值不能为空",
                "A whitelist value must not be blank",
            ));
        }
        let list = self.list_mut(kind);
        for value in values {
            let value = kind.normalize(value);
            if !list.iter().any(|e| e.value == value) {
                list.push(Entry { value, created_at: Some(now.to_owned()), updated_at: Some(now.to_owned()) });
            }
        }
        Ok(list.clone())
    }

    /// Removes the values (unlisted ones are ignored); answers the whole list.
    pub(crate) fn remove(&mut self, kind: ListKind, values: &[String]) -> Vec<Entry> {
        let gone: Vec<String> = values.iter().map(|v| kind.normalize(v)).collect();
        let list = self.list_mut(kind);
        list.retain(|e| !gone.contains(&e.value));
        list.clone()
    }

    /// Whether `identifier` is on the list of its kind.
    pub(crate) fn contains(&self, kind: ListKind, identifier: &str) -> bool {
        let identifier = kind.normalize(identifier);
        self.list(kind).iter().any(|e| e.value == identifier)
    }

    /// Normalizes every list read from a state document, refusing blank or repeated values.
    pub(crate) fn checked(mut self) -> Result<Self, String> {
        for kind in [ListKind::Username, ListKind::Email, ListKind::Phone] {
            let list = self.list_mut(kind);
            let mut seen = Vec::with_capacity(list.len());
            for entry in list.iter_mut() {
                entry.value = kind.normalize(&entry.value);
                if entry.value.is_empty() || seen.contains(&entry.value) {
                    return Err(format!("{}: blank or repeated value {:?}", kind.name().1, entry.value));
                }
                seen.push(entry.value.clone());
            }
        }
        Ok(self)
    }
}

/// The refusal of a registration whose identifier is not on an enabled whitelist: code 2031.
pub(crate) fn not_listed(kind: ListKind) -> ApiError {
    let (zh, en) = kind.name();
    ApiError::with_message(
        Code::RegistrationDisabled,
        format!("该{zh}不在注册白名单中，无法注册"),
        format!("This {en} is not on the registration whitelist"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_add_remove_and_compare_emails_without_case() {
        let mut lists = Whitelists::default();
        let added = lists.add(ListKind::Email, &["Ada@Example.com".into(), "ada@example.com".into()], "t").unwrap();
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].value, "ada@example.com");
        assert!(lists.contains(ListKind::Email, "ADA@example.com"));
        assert!(!lists.contains(ListKind::Username, "ada@example.com"));
        assert!(lists.remove(ListKind::Email, &["nobody@example.com".into()]).len() == 1);
        assert!(lists.remove(ListKind::Email, &["ADA@example.com".into()]).is_empty());
        assert!(lists.add(ListKind::Phone, &[" ".into()], "t").is_err());
    }
}
