//! A user's identities at external identity providers (kept on the user, `User.identities`) and resignation.
//! No HTTP here; `rest::identities` calls these functions.
//!
//! * **Link** (administrator): adds an identity `{userIdInIdp, isSocial, type, provider: identifier, extIdpId}`
//!   to the user: 2004 for an unknown user, 2026 when another user holds the same provider and `userIdInIdp`,
//!   400 without `userIdInIdp` or `identifier`. Linking the same identity twice changes nothing.
//! * **Unlink** (administrator): removes the user's identities of `identifier` (and `extIdpId`, `type`,
//!   `isSocial` when given); 400 when none matches.
//! * **The user's own**: `get-identities` lists them in the shape of the JS SDK's `Identity`;
//!   `unlink-extidp` removes those of an `extIdpId` (400 when none).
//! * **Resignation** marks the user `Resigned` and ends its sessions at once: every token it holds is refused
//!   (2020) from then on, and every login of the user (password, code, LDAP/AD, sub-account, OIDC sign-in form)
//!   is refused with 2005 like a blocked user's ([`sign_in_refusal`]). The status is kept in the state document's
//!   user entry (`status: "Resigned"`).

use serde_json::{Value, json};

use crate::store::common::now_iso;
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::users::{Identity, User, UserStatus};

/// What the administrator names to link or unlink.
#[derive(Debug, Default, Clone)]
pub(crate) struct IdentityRef {
    pub(crate) user_id_in_idp: Option<String>,
    pub(crate) is_social: Option<bool>,
    pub(crate) kind: Option<String>,
    pub(crate) identifier: Option<String>,
    pub(crate) ext_idp_id: Option<String>,
}

fn bad_request(zh: &str, en: &str) -> ApiError {
    ApiError::with_message(Code::BadRequest, zh, en)
}

fn given(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Adds an identity to a user (see the module docs) and returns the user.
pub(crate) fn link(state: &State, user_id: &str, what: &IdentityRef) -> Result<User, ApiError> {
    let user_id_in_idp = given(what.user_id_in_idp.as_ref())
        .ok_or_else(|| bad_request("缺少 userIdInIdp", "userIdInIdp is missing"))?
        .to_owned();
    let provider = given(what.identifier.as_ref())
        .ok_or_else(|| bad_request("缺少 identifier", "identifier is missing"))?
        .to_owned();
    let identity = Identity {
        user_id_in_idp: Some(user_id_in_idp.clone()),
        user_id: Some(user_id.to_owned()),
        ext_idp_id: given(what.ext_idp_id.as_ref()).map(str::to_owned),
        is_social: Some(what.is_social.unwrap_or(false)),
        provider: Some(provider.clone()),
        user_pool_id: Some(state.pool.id.clone()),
        kind: given(what.kind.as_ref()).map(str::to_owned),
        ..Identity::default()
    };
    state.users_write().update(user_id, |user| {
        let held = user
            .identity_list()
            .any(|i| i.provider.as_deref() == Some(&provider) && i.user_id_in_idp.as_deref() == Some(&user_id_in_idp));
        if !held {
            user.identities.get_or_insert_with(Vec::new).push(Some(identity));
            user.updated_at = Some(now_iso());
        }
        Ok(())
    })
}

/// Removes the identities `what` names from a user; 400 when none matches.
pub(crate) fn unlink(state: &State, user_id: &str, what: &IdentityRef) -> Result<User, ApiError> {
    let provider =
        given(what.identifier.as_ref()).ok_or_else(|| bad_request("缺少 identifier", "identifier is missing"))?;
    let matches = |i: &Identity| {
        i.provider.as_deref() == Some(provider)
            && given(what.ext_idp_id.as_ref()).is_none_or(|x| i.ext_idp_id.as_deref() == Some(x))
            && given(what.kind.as_ref()).is_none_or(|x| i.kind.as_deref() == Some(x))
            && what.is_social.is_none_or(|s| i.is_social.unwrap_or(false) == s)
    };
    remove_identities(state, user_id, matches)
}

/// Removes the user's identities of an external identity provider; 400 when it has none.
pub(crate) fn unlink_ext_idp(state: &State, user_id: &str, ext_idp_id: &str) -> Result<User, ApiError> {
    remove_identities(state, user_id, |i| i.ext_idp_id.as_deref() == Some(ext_idp_id.trim()))
}

fn remove_identities(state: &State, user_id: &str, matches: impl Fn(&Identity) -> bool) -> Result<User, ApiError> {
    state.users_write().update(user_id, |user| {
        let before = user.identity_list().count();
        let kept: Vec<Option<Identity>> = user.identity_list().filter(|i| !matches(i)).cloned().map(Some).collect();
        if kept.len() == before {
            return Err(bad_request("用户没有该身份源的身份", "The user has no such identity"));
        }
        user.identities = Some(kept);
        user.updated_at = Some(now_iso());
        Ok(())
    })
}

/// The user's identities in the shape of the JS SDK's `Identity`.
pub(crate) fn identities_json(user: &User) -> Value {
    let list: Vec<Value> = user
        .identity_list()
        .map(|i| {
            let info = i.user_info_in_idp.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok());
            json!({
                "identityId": identity_id(user, i),
                "extIdpId": i.ext_idp_id,
                "provider": i.provider,
                "type": i.kind,
                "userIdInIdp": i.user_id_in_idp,
                "userInfoInIdp": info.unwrap_or_else(|| json!({})),
                "accessToken": i.access_token,
                "refreshToken": i.refresh_token,
                "originConnIds": i.connection_id.iter().collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(list)
}

/// A stable id of an identity: the user, the provider and the account there, hashed.
fn identity_id(user: &User, identity: &Identity) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in [Some(user.id.as_str()), identity.provider.as_deref(), identity.user_id_in_idp.as_deref()] {
        hasher.update(part.unwrap_or_default().as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Why `user` may not sign in, if it may not: a blocked or resigned user is refused with 2005.
pub(crate) fn sign_in_refusal(user: &User) -> Option<ApiError> {
    let resigned = user.status == Some(UserStatus::Resigned);
    (user.blocked == Some(true) || resigned).then(|| ApiError::new(Code::UserLocked))
}

/// Marks users resigned and ends their sessions; 2004 (nothing changed) when one of them does not exist.
pub(crate) fn resign(state: &State, user_ids: &[String]) -> Result<(), ApiError> {
    {
        let users = state.users_read();
        if user_ids.iter().any(|id| users.get(id).is_none()) {
            return Err(ApiError::new(Code::UserNotFound));
        }
    }
    for id in user_ids {
        state.update_user(id, |user| {
            user.status = Some(UserStatus::Resigned);
            Ok(())
        })?;
        state.sessions().revoke(id, None);
    }
    Ok(())
}
