//! The principal records: the part of the state behind `State::principal`. Nothing here reads the rest of the
//! state.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Value, json};

/// One user's principal record.
#[derive(Clone, Debug)]
pub(crate) struct Principal {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) code: String,
    pub(crate) authentication_time: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Principal {
    pub(super) fn to_json(&self, user_pool_id: &str) -> Value {
        json!({
            "id": self.id,
            "userId": self.user_id,
            "userPoolId": user_pool_id,
            "principalType": self.kind,
            "principalName": self.name,
            "principalCode": self.code,
            "authenticationTime": self.authentication_time,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }
}

/// What a caller submits.
#[derive(Debug, Default)]
pub(crate) struct Submission {
    pub(crate) kind: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) id_card: Option<String>,
    pub(crate) ext: Option<String>,
}

/// The principal records of the state, by user id. Its lock is taken alone.
#[derive(Default, Debug)]
pub(crate) struct PrincipalState {
    records: Mutex<HashMap<String, Principal>>,
}

impl PrincipalState {
    pub(crate) fn records(&self) -> MutexGuard<'_, HashMap<String, Principal>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
