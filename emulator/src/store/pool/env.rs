//! The pool's environment variables: keys with any JSON value, newest first (as Authing lists them: the official
//! Python SDK's test expects a key just added to come first).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::store::error::{ApiError, Code};

/// One variable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnvVar {
    pub(crate) key: String,
    pub(crate) value: Value,
}

/// The variables.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Env {
    vars: Vec<EnvVar>,
}

impl Env {
    pub(crate) fn from_vars(vars: Vec<EnvVar>) -> Result<Self, String> {
        let mut env = Env::default();
        for var in vars {
            if var.key.trim().is_empty() || env.vars.iter().any(|v| v.key == var.key) {
                return Err(format!("blank or repeated key {:?}", var.key));
            }
            env.vars.push(var);
        }
        Ok(env)
    }

    pub(crate) fn vars(&self) -> &[EnvVar] {
        &self.vars
    }

    /// Sets `key` (a new key goes first, an existing one keeps its place).
    pub(crate) fn set(&mut self, key: &str, value: Value) -> Result<(), ApiError> {
        if key.trim().is_empty() {
            return Err(ApiError::with_message(Code::BadRequest, "缺少 key", "key is missing"));
        }
        match self.vars.iter_mut().find(|v| v.key == key) {
            Some(var) => var.value = value,
            None => self.vars.insert(0, EnvVar { key: key.to_owned(), value }),
        }
        Ok(())
    }

    /// Removes `key`; an unknown key is not an error.
    pub(crate) fn remove(&mut self, key: &str) {
        self.vars.retain(|v| v.key != key);
    }

    /// `[{key, value}]`.
    pub(crate) fn to_json(&self) -> Value {
        Value::Array(self.vars.iter().map(|v| json!({ "key": v.key, "value": v.value })).collect())
    }
}
