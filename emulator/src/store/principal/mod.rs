//! Principal (real-name) authentication: one record per user of the person (type `P`) or the enterprise
//! (type `E`) behind the account. No HTTP here; `rest::principal` calls these functions.
//!
//! Emulated: nothing is checked with an outside authority (identity-card, bank or enterprise registry). The
//! submission is checked for form only, with 400 when it does not fit:
//!
//! * `type` is `P` or `E`;
//! * `name` is non-empty;
//! * `P`: `idCard` is a resident identity-card number (17 digits and a digit or `X`), `ext` (the bank card) is
//!   12 to 19 digits;
//! * `E`: `idCard` is a unified social credit code (18 digits or capital letters), `ext` (the legal
//!   representative) is non-empty.
//!
//! An accepted submission replaces the user's record: `principalType`, `principalName` and `principalCode` are
//! the `type`, `name` and `idCard` submitted, `authenticationTime` the time of the submission.

use serde_json::Value;

use crate::store::common::{new_id, now_iso};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;

pub(crate) mod records;

pub(crate) use records::{Principal, Submission};

fn invalid(zh: &str, en: &str) -> ApiError {
    ApiError::with_message(Code::BadRequest, zh, en)
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn is_id_card(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 18
        && bytes[..17].iter().all(u8::is_ascii_digit)
        && (bytes[17].is_ascii_digit() || bytes[17].eq_ignore_ascii_case(&b'x'))
}

fn is_bank_card(number: &str) -> bool {
    (12..=19).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
}

fn is_credit_code(code: &str) -> bool {
    code.len() == 18 && code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// Checks the form of a submission (see the module docs); returns `(type, name, idCard, ext)`.
fn check(sub: &Submission) -> Result<(String, String, String, String), ApiError> {
    let kind = given(sub.kind.as_deref()).map(str::to_ascii_uppercase);
    let kind = match kind.as_deref() {
        Some(k @ ("P" | "E")) => k.to_owned(),
        _ => return Err(invalid("认证类型必须是 P 或 E", "The type must be P (person) or E (enterprise)")),
    };
    let name = given(sub.name.as_deref()).ok_or_else(|| invalid("缺少认证主体名称", "The name is missing"))?;
    let code = given(sub.id_card.as_deref()).unwrap_or_default();
    let ext = given(sub.ext.as_deref()).unwrap_or_default();
    if kind == "P" {
        if !is_id_card(code) {
            return Err(invalid("身份证号格式不正确", "The identity-card number is malformed"));
        }
        if !is_bank_card(ext) {
            return Err(invalid("银行卡号格式不正确", "The bank card number is malformed"));
        }
    } else {
        if !is_credit_code(code) {
            return Err(invalid("统一社会信用代码格式不正确", "The unified social credit code is malformed"));
        }
        if ext.is_empty() {
            return Err(invalid("缺少法人姓名", "The legal representative's name is missing"));
        }
    }
    Ok((kind, name.to_owned(), code.to_owned(), ext.to_owned()))
}

/// The user's principal record, or null when it has none. 2004 for an unknown user.
pub(crate) fn detail(state: &State, user_id: &str) -> Result<Value, ApiError> {
    if state.users_read().get(user_id).is_none() {
        return Err(ApiError::new(Code::UserNotFound));
    }
    Ok(state.principal.records().get(user_id).map_or(Value::Null, |p| p.to_json(&state.pool.id)))
}

/// Records a principal authentication of the user (see the module docs): 2004 for an unknown user, 400 for a
/// submission that does not fit. Returns the record.
pub(crate) fn authenticate(state: &State, user_id: &str, sub: &Submission) -> Result<Value, ApiError> {
    if state.users_read().get(user_id).is_none() {
        return Err(ApiError::new(Code::UserNotFound));
    }
    let (kind, name, code, _ext) = check(sub)?;
    let now = now_iso();
    let mut records = state.principal.records();
    let created_at = records.get(user_id).map_or_else(|| now.clone(), |p| p.created_at.clone());
    let id = records.get(user_id).map_or_else(new_id, |p| p.id.clone());
    let record = Principal {
        id,
        user_id: user_id.to_owned(),
        kind,
        name,
        code,
        authentication_time: now.clone(),
        created_at,
        updated_at: now,
    };
    let json = record.to_json(&state.pool.id);
    records.insert(user_id.to_owned(), record);
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(kind: &str, code: &str, ext: &str) -> Submission {
        Submission {
            kind: Some(kind.into()),
            name: Some("n".into()),
            id_card: Some(code.into()),
            ext: Some(ext.into()),
        }
    }

    #[test]
    fn forms_are_checked_by_type() {
        assert!(check(&sub("P", "11010119900307123X", "6222020000000000000")).is_ok());
        assert!(check(&sub("p", "110101199003071234", "622202000000")).is_ok());
        assert!(check(&sub("P", "1101011990030712", "6222020000000000000")).is_err());
        assert!(check(&sub("P", "110101199003071234", "62-22")).is_err());
        assert!(check(&sub("E", "91350100M000100Y43", "Ada")).is_ok());
        assert!(check(&sub("E", "91350100M000100Y43", "")).is_err());
        assert!(check(&sub("X", "91350100M000100Y43", "Ada")).is_err());
    }
}
