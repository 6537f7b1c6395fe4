//! The end user's side: registration (`registerByEmail`, `registerByUsername`, `registerByPhoneCode`), login
//! (`loginByEmail`, `loginByUsername`, `loginByPhonePassword`, `loginByPhoneCode`, `loginBySubAccount`),
//! codes (`sendEmail`), passwords (`resetPassword`, `resetPasswordByFirstLoginToken`,
//! `resetPasswordByForceResetToken`, `updatePassword`, `checkPasswordStrength`) and contacts (`bindPhone`,
//! `bindEmail`, `unbindPhone`, `unbindEmail`, `updatePhone`, `updateEmail`), plus the rules by which other
//! resolvers accept a user token for the caller's own data.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use axum::http::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

use super::types;
use super::{CommonMessage, RequestMeta, enter};
use crate::crypto;
use crate::store::auth::{self, MAX_FAILURES, TicketKind};
use crate::store::common::{new_id, now_iso};
use crate::store::error::{ApiError, Code, Lang};
use crate::store::state::State;
use crate::store::tokens;
use crate::store::udf::TargetType;
use crate::store::users::User;

/// `UserDdfInput` of the official schema: a custom data value given at registration (JSON-encoded, like a
/// `setUdv` value).
#[derive(InputObject)]
#[graphql(name = "UserDdfInput")]
pub(crate) struct UserDdfInput {
    key: String,
    value: String,
}

/// `RegisterProfile` of the official schema.
#[derive(InputObject, Default)]
#[graphql(name = "RegisterProfile")]
pub(crate) struct RegisterProfile {
    ip: Option<String>,
    oauth: Option<String>,
    username: Option<String>,
    nickname: Option<String>,
    company: Option<String>,
    photo: Option<String>,
    device: Option<String>,
    browser: Option<String>,
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    middle_name: Option<String>,
    profile: Option<String>,
    preferred_username: Option<String>,
    website: Option<String>,
    gender: Option<String>,
    birthdate: Option<String>,
    zoneinfo: Option<String>,
    locale: Option<String>,
    address: Option<String>,
    formatted: Option<String>,
    street_address: Option<String>,
    locality: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    udf: Option<Vec<UserDdfInput>>,
    phone: Option<String>,
    email: Option<String>,
}

/// `RegisterByEmailInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "RegisterByEmailInput")]
pub(crate) struct RegisterByEmailInput {
    email: String,
    password: String,
    profile: Option<RegisterProfile>,
    force_login: Option<bool>,
    generate_token: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
    phone_token: Option<String>,
}

/// `RegisterByUsernameInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "RegisterByUsernameInput")]
pub(crate) struct RegisterByUsernameInput {
    username: String,
    password: String,
    profile: Option<RegisterProfile>,
    force_login: Option<bool>,
    generate_token: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
    phone_token: Option<String>,
    email_token: Option<String>,
}

/// `RegisterByPhoneCodeInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "RegisterByPhoneCodeInput")]
pub(crate) struct RegisterByPhoneCodeInput {
    phone: String,
    code: String,
    password: Option<String>,
    profile: Option<RegisterProfile>,
    force_login: Option<bool>,
    generate_token: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
    phone_country_code: Option<String>,
    email_token: Option<String>,
}

/// `LoginByEmailInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "LoginByEmailInput")]
pub(crate) struct LoginByEmailInput {
    email: String,
    password: String,
    captcha_code: Option<String>,
    auto_register: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
}

/// `LoginByUsernameInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "LoginByUsernameInput")]
pub(crate) struct LoginByUsernameInput {
    username: String,
    password: String,
    captcha_code: Option<String>,
    auto_register: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
}

/// `LoginByPhonePasswordInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "LoginByPhonePasswordInput")]
pub(crate) struct LoginByPhonePasswordInput {
    phone: String,
    password: String,
    captcha_code: Option<String>,
    auto_register: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
}

/// `LoginByPhoneCodeInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "LoginByPhoneCodeInput")]
pub(crate) struct LoginByPhoneCodeInput {
    phone: String,
    code: String,
    auto_register: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
    context: Option<String>,
    phone_country_code: Option<String>,
}

/// `EmailScene` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "EmailScene")]
pub(crate) enum EmailScene {
    ResetPassword,
    VerifyEmail,
    ChangeEmail,
    MfaVerify,
    ResetPasswordVerifyCode,
    FirstEmailLoginVerify,
    ConsoleConductedVerify,
    EmailBindVerifyCode,
    EmailUnbindVerifyCode,
    VerifyCode,
    RegisterVerifyCode,
    LoginVerifyCode,
    MfaVerifyCode,
    InformationCompletionVerifyCode,
}

/// `CheckPasswordStrengthResult` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "CheckPasswordStrengthResult")]
pub(crate) struct CheckPasswordStrengthResult {
    valid: bool,
    message: Option<String>,
}

/// The `x-authing-app-id` header of a request.
pub(crate) fn app_id_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-authing-app-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The application a login happens in: the `x-authing-app-id` header (2011 when the pool has no such
/// application), else the pool's default application.
fn login_app(state: &State, meta: &RequestMeta) -> Result<String, ApiError> {
    match meta.app_id.as_deref() {
        Some(id) if !state.app_exists(id) => Err(ApiError::new(Code::AppNotFound)),
        Some(id) => Ok(id.to_owned()),
        None => Ok(state.app.id.clone()),
    }
}

fn message(lang: Lang, zh: &str, en: &str) -> Option<String> {
    Some(
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
        .to_owned(),
    )
}

fn decrypt(state: &State, sent: &str) -> Result<String, ApiError> {
    Ok(crypto::decrypt_password(&state.keys.private, sent)?)
}

/// One `{key, value}` of `params`.
#[derive(Deserialize)]
struct Param {
    key: String,
    #[serde(default)]
    value: Value,
}

/// Parses `params`: the JSON text of `[{key, value}]` with raw values; null, empty or `"null"` is none.
fn parse_params(params: Option<&str>) -> Result<Vec<Param>, ApiError> {
    match params.map(str::trim) {
        None | Some("" | "null") => Ok(Vec::new()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            ApiError::with_message(
                Code::BadRequest,
                format!("params 必须是 [{{key, value}}] 的 JSON 文本: {e}"),
                format!("params must be the JSON text of [{{key, value}}]: {e}"),
            )
        }),
    }
}

/// Checked custom data values, ready to store: `params` (raw values) and `profile.udf` (JSON-encoded values).
fn check_custom_data(state: &State, params: &[Param], udf: &[UserDdfInput]) -> Result<Vec<(String, String)>, ApiError> {
    let store = state.udf_read();
    let mut values = Vec::new();
    for p in params {
        values.push((p.key.clone(), store.check_raw(TargetType::User, &p.key, &p.value)?));
    }
    for u in udf {
        values.push((u.key.clone(), store.check_encoded(TargetType::User, &u.key, &u.value)?));
    }
    Ok(values)
}

fn store_custom_data(state: &State, user_id: &str, values: Vec<(String, String)>) {
    if values.is_empty() {
        return;
    }
    let mut udf = state.udf_write();
    for (key, text) in values {
        udf.put(TargetType::User, user_id, &key, text);
    }
}

/// Copies the profile given at registration onto a new user.
fn apply_profile(user: &mut User, p: RegisterProfile) {
    macro_rules! copy {
        ($($field:ident),* $(,)?) => { $( if p.$field.is_some() { user.$field = p.$field; } )* };
    }
    copy!(
        oauth,
        username,
        nickname,
        company,
        photo,
        device,
        browser,
        name,
        given_name,
        family_name,
        middle_name,
        profile,
        preferred_username,
        website,
        gender,
        birthdate,
        zoneinfo,
        locale,
        address,
        formatted,
        street_address,
        locality,
        region,
        postal_code,
        country,
        phone,
        email,
    );
    if p.ip.is_some() {
        user.last_ip = p.ip;
    }
}

/// What a registration (or an automatic one at login) creates.
struct Registration {
    user: User,
    password: Option<String>,
    profile: Option<RegisterProfile>,
    params: Option<String>,
    force_login: bool,
    generate_token: bool,
    client_ip: Option<String>,
}

/// Creates the user, with its custom data; logs it in with `force_login`, signs a token with
/// `generate_token`.
fn register(state: &State, meta: &RequestMeta, reg: Registration) -> Result<User, ApiError> {
    let app_id = login_app(state, meta)?;
    let params = parse_params(reg.params.as_deref())?;
    let mut user = reg.user;
    state.userpool.check_registration(user.username.as_deref(), user.email.as_deref(), user.phone.as_deref())?;
    if let Some(clear) = &reg.password {
        state.userpool.check_password(clear)?;
    }
    let mut udf = Vec::new();
    if let Some(mut profile) = reg.profile {
        udf = profile.udf.take().unwrap_or_default();
        apply_profile(&mut user, profile);
    }
    if let Some(clear) = &reg.password {
        user.password_hash = Some(crypto::hash_password(clear));
    }
    let values = check_custom_data(state, &params, &udf)?;
    let created = state.users_write().insert(user)?;
    store_custom_data(state, &created.id, values);
    if let Some(clear) = &reg.password {
        state.auth.note_password(&created.id, clear);
    }
    if reg.force_login || reg.generate_token {
        return sign_in(state, meta, &created, &app_id, reg.client_ip, reg.force_login);
    }
    Ok(created)
}

/// Signs a login token for `user` and keeps it (`token`, `tokenExpiredAt`) on the user; a real login
/// (`count`) also updates `loginsCount`, `lastLogin` and `lastIP`.
fn sign_in(
    state: &State,
    meta: &RequestMeta,
    user: &User,
    app_id: &str,
    client_ip: Option<String>,
    count: bool,
) -> Result<User, ApiError> {
    let issued = tokens::issue_login_token(state, user, app_id);
    let ip = count.then(|| client_ip.unwrap_or_else(|| meta.origin().ip.clone()));
    state.users_write().update(&user.id, |user| {
        // Blocked or resigned between the check of the login and now.
        if let Some(refusal) = crate::store::identities::sign_in_refusal(user) {
            return Err(refusal);
        }
        if let Some(ip) = ip {
            user.logins_count = Some(user.logins_count.unwrap_or(0).saturating_add(1));
            user.last_login = Some(now_iso());
            user.last_ip = Some(ip);
        }
        user.token = Some(issued.token);
        user.token_expired_at = Some(crate::store::common::iso_from_unix(issued.exp));
        Ok(())
    })
}

/// A new user registered by the emulator itself, with a registration source.
fn new_user(state: &State, source: &str) -> User {
    let mut user = User::new(&state.pool.id, new_id(), now_iso());
    user.register_source = Some(vec![source.to_owned()]);
    user
}

/// The identifier a password login uses.
#[derive(Clone, Copy)]
enum By {
    Email,
    Username,
    Phone,
}

impl By {
    fn kind(self) -> &'static str {
        match self {
            By::Email => "email",
            By::Username => "username",
            By::Phone => "phone",
        }
    }
}

/// Everything a password login carries.
struct PasswordLogin {
    by: By,
    identifier: String,
    password: String,
    captcha_code: Option<String>,
    auto_register: Option<bool>,
    client_ip: Option<String>,
    params: Option<String>,
}

/// Refuses a correct login of a user who must reset the password first: 2058 with `data.token` (a one-time
/// reset ticket) and `data.scene` (`FIRST_LOGIN` or `FORCE_RESET`).
fn reset_refusal(state: &State, user: &User) -> Option<ApiError> {
    let (kind, scene, zh, en) = if user.reset_password_on_first_login {
        (TicketKind::FirstLogin, "FIRST_LOGIN", "首次登录需要重置密码", "The password must be reset at first login")
    } else if state.auth.must_reset(&user.id) {
        (TicketKind::ForceReset, "FORCE_RESET", "需要重置密码", "The password must be reset")
    } else {
        return None;
    };
    let token = state.auth.issue_ticket(&user.id, kind);
    let mut err = ApiError::with_message(Code::PasswordResetRequired, zh, en);
    err.data = Some(serde_json::json!({ "token": token, "scene": scene }));
    Some(err)
}

fn password_login(state: &State, meta: &RequestMeta, login: PasswordLogin) -> Result<User, ApiError> {
    let app_id = login_app(state, meta)?;
    let clear = decrypt(state, &login.password)?;
    let identifier = login.identifier.trim();
    let found = state.users_read().find_by(login.by.kind(), identifier).cloned();
    let Some(user) = found else {
        if !login.auto_register.unwrap_or(false) {
            return Err(ApiError::new(Code::UserNotFound));
        }
        let mut user = new_user(state, &format!("basic:{}", login.by.kind()));
        match login.by {
            By::Email => user.email = Some(identifier.to_owned()),
            By::Username => user.username = Some(identifier.to_owned()),
            By::Phone => user.phone = Some(identifier.to_owned()),
        }
        let reg = Registration {
            user,
            password: Some(clear),
            profile: None,
            params: login.params,
            force_login: true,
            generate_token: false,
            client_ip: login.client_ip,
        };
        let mut created = register(state, meta, reg)?;
        created.newly_created = Some(true);
        return Ok(created);
    };
    let key = format!("{}:{}", login.by.kind(), identifier.to_lowercase());
    let captcha = login.captcha_code.as_deref().is_some_and(|c| !c.trim().is_empty());
    if state.auth.failures(&key) >= MAX_FAILURES && !captcha {
        return Err(ApiError::new(Code::CaptchaRequired));
    }
    if !user.check_password(&clear) {
        state.auth.record_failure(&key);
        return Err(ApiError::new(Code::WrongCredentials));
    }
    state.auth.clear_failures(&key);
    if let Some(refusal) = crate::store::identities::sign_in_refusal(&user) {
        return Err(refusal);
    }
    if let Some(refusal) = reset_refusal(state, &user) {
        return Err(refusal);
    }
    if let Some(challenge) = state.mfa.login_challenge(&user, &app_id) {
        return Err(challenge);
    }
    let values = check_custom_data(state, &parse_params(login.params.as_deref())?, &[])?;
    store_custom_data(state, &user.id, values);
    let mut user = sign_in(state, meta, &user, &app_id, login.client_ip, true)?;
    user.newly_created = Some(false);
    Ok(user)
}

/// The logged-in caller (a valid user token), else 2020.
fn caller(state: &State, meta: &RequestMeta) -> Result<User, ApiError> {
    Ok(tokens::token_user(state, meta.token.as_deref())?.1)
}

/// Refuses an identifier another user already has: 2035 for a phone, 2026 for an e-mail.
fn ensure_free(state: &State, me: &str, kind: &str, value: &str) -> Result<(), ApiError> {
    match state.users_read().find_by(kind, value) {
        Some(other) if other.id != me => {
            Err(ApiError::new(if kind == "phone" { Code::PhoneExists } else { Code::UserExists }))
        }
        _ => Ok(()),
    }
}

fn bad_request(zh: &str, en: &str) -> ApiError {
    ApiError::with_message(Code::BadRequest, zh, en)
}

/// Whether a request may ask `isUserExists`: a management token, a valid user token, or the
/// `x-authing-app-id` of an application of the pool; else 2020.
pub(crate) fn may_ask_existence(state: &State, meta: &RequestMeta) -> Result<(), ApiError> {
    if meta.app_id.as_deref().is_some_and(|id| state.app_exists(id)) {
        return Ok(());
    }
    match meta.token.as_deref().map(|t| tokens::verify(state, t)) {
        Some(Ok(_)) => Ok(()),
        _ => Err(ApiError::new(Code::NotLoggedIn)),
    }
}

/// The user id a "self or management" call is about. A management token may name any `id` (or none); a
/// valid user token may name only its own user, and without `id` means its own user; another user's id gives
/// 1001. Without a valid token: 2020.
pub(crate) fn self_or_management(
    state: &State,
    meta: &RequestMeta,
    id: Option<String>,
) -> Result<Option<String>, ApiError> {
    let token = meta.token.as_deref().ok_or(ApiError::new(Code::NotLoggedIn))?;
    let claims = tokens::verify(state, token).map_err(|_| ApiError::new(Code::NotLoggedIn))?;
    match claims.data.kind.as_str() {
        "management" => Ok(id),
        "user" => match id {
            None => Ok(Some(claims.data.id.clone())),
            Some(id) if id == claims.data.id => Ok(Some(id)),
            Some(_) => Err(ApiError::new(Code::NoPermission)),
        },
        _ => Err(ApiError::new(Code::NotLoggedIn)),
    }
}

/// Like [`self_or_management`] for `updateUser`: with a user token, changing a `restricted` field (phone,
/// e-mail, unionid, openid, password, the verified flags) is refused with 1001.
pub(crate) fn self_or_management_update(
    state: &State,
    meta: &RequestMeta,
    id: Option<String>,
    restricted: bool,
) -> Result<Option<String>, ApiError> {
    let by_user =
        meta.token.as_deref().and_then(|t| tokens::verify(state, t).ok()).is_some_and(|c| c.data.kind == "user");
    let id = self_or_management(state, meta, id)?;
    if by_user && restricted {
        return Err(ApiError::with_message(
            Code::NoPermission,
            "终端用户不能通过此接口修改手机号、邮箱、unionid、openid、密码或仅管理员可修改的字段（锁定状态、登录记录、\
             token 过期时间、外部 ID 等），请使用绑定、修改或重置接口",
            "An end user cannot change the phone, e-mail, unionid, openid, password or the fields only an \
             administrator sets (blocked, login bookkeeping, token expiry, external id …) this way: use the bind, \
             update or reset calls",
        ));
    }
    Ok(id)
}

/// Custom data calls: a management token for any target; a user token only for `USER` and its own id (else
/// 1001).
pub(crate) fn self_or_management_target(
    state: &State,
    meta: &RequestMeta,
    target_type: TargetType,
    target_id: &str,
) -> Result<(), ApiError> {
    let token = meta.token.as_deref().ok_or(ApiError::new(Code::NotLoggedIn))?;
    let claims = tokens::verify(state, token).map_err(|_| ApiError::new(Code::NotLoggedIn))?;
    match claims.data.kind.as_str() {
        "management" => Ok(()),
        "user" if target_type == TargetType::User && target_id == claims.data.id => Ok(()),
        "user" => Err(ApiError::new(Code::NoPermission)),
        _ => Err(ApiError::new(Code::NotLoggedIn)),
    }
}

#[derive(Default)]
pub(crate) struct AuthQuery;

#[Object]
impl AuthQuery {
    /// Whether a password passes the pool's rule: at least 8 characters of at least 3 classes (lower-case,
    /// upper-case, digit, symbol). No token needed.
    async fn check_password_strength(&self, ctx: &Context<'_>, password: String) -> CheckPasswordStrengthResult {
        let (_, meta) = enter(ctx);
        if auth::password_is_strong(&password) {
            CheckPasswordStrengthResult {
                valid: true,
                message: message(meta.lang, "密码强度符合要求", "The password is strong enough"),
            }
        } else {
            CheckPasswordStrengthResult {
                valid: false,
                message: message(
                    meta.lang,
                    "密码至少 8 位，且至少包含大写字母、小写字母、数字和符号中的三种",
                    "A password needs at least 8 characters of at least three of: upper-case letters, lower-case \
                     letters, digits, symbols",
                ),
            }
        }
    }
}

#[derive(Default)]
pub(crate) struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Registers a user by e-mail and (RSA-encrypted) password. A token only with `forceLogin` (a login) or
    /// `generateToken` (a token without counting a login).
    async fn register_by_email(
        &self,
        ctx: &Context<'_>,
        input: RegisterByEmailInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        auth::check_email(&input.email)?;
        let mut user = new_user(state, "basic:email");
        user.email = Some(input.email.trim().to_owned());
        let reg = Registration {
            user,
            password: Some(decrypt(state, &input.password)?),
            profile: input.profile,
            params: input.params,
            force_login: input.force_login.unwrap_or(false),
            generate_token: input.generate_token.unwrap_or(false),
            client_ip: input.client_ip,
        };
        Ok(Some(register(state, meta, reg)?.into()))
    }

    /// Registers a user by username and (RSA-encrypted) password.
    async fn register_by_username(
        &self,
        ctx: &Context<'_>,
        input: RegisterByUsernameInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        if input.username.trim().is_empty() {
            return Err(bad_request("用户名不能为空", "The username must not be empty").into());
        }
        let mut user = new_user(state, "basic:username");
        user.username = Some(input.username.trim().to_owned());
        let reg = Registration {
            user,
            password: Some(decrypt(state, &input.password)?),
            profile: input.profile,
            params: input.params,
            force_login: input.force_login.unwrap_or(false),
            generate_token: input.generate_token.unwrap_or(false),
            client_ip: input.client_ip,
        };
        Ok(Some(register(state, meta, reg)?.into()))
    }

    /// Registers a user by phone and the code sent to it (the password is optional). A taken phone gives
    /// 2035 and leaves the code unused.
    async fn register_by_phone_code(
        &self,
        ctx: &Context<'_>,
        input: RegisterByPhoneCodeInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        let phone = input.phone.trim().to_owned();
        let password = input.password.as_deref().map(|p| decrypt(state, p)).transpose()?;
        state.auth.check_code(&phone, &input.code)?;
        if state.users_read().find_by("phone", &phone).is_some() {
            return Err(ApiError::new(Code::PhoneExists).into());
        }
        // Refused before the code is used, so that the code stays valid.
        state.userpool.check_registration(None, None, Some(&phone))?;
        if let Some(clear) = &password {
            state.userpool.check_password(clear)?;
        }
        state.auth.consume_code(&phone, &input.code)?;
        let mut user = new_user(state, "basic:phone-code");
        user.set_verified_phone(phone, input.phone_country_code);
        let reg = Registration {
            user,
            password,
            profile: input.profile,
            params: input.params,
            force_login: input.force_login.unwrap_or(false),
            generate_token: input.generate_token.unwrap_or(false),
            client_ip: input.client_ip,
        };
        Ok(Some(register(state, meta, reg)?.into()))
    }

    /// Logs in by e-mail and password. Unknown e-mail: 2004, or a new user with `autoRegister`; wrong
    /// password: 2333; after 5 of them in a row: 2000 until a correct login with `captchaCode`.
    async fn login_by_email(
        &self,
        ctx: &Context<'_>,
        input: LoginByEmailInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        auth::check_email(&input.email)?;
        let login = PasswordLogin {
            by: By::Email,
            identifier: input.email,
            password: input.password,
            captcha_code: input.captcha_code,
            auto_register: input.auto_register,
            client_ip: input.client_ip,
            params: input.params,
        };
        Ok(Some(password_login(state, meta, login)?.into()))
    }

    /// Logs in by username and password (see `loginByEmail`).
    async fn login_by_username(
        &self,
        ctx: &Context<'_>,
        input: LoginByUsernameInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        let login = PasswordLogin {
            by: By::Username,
            identifier: input.username,
            password: input.password,
            captcha_code: input.captcha_code,
            auto_register: input.auto_register,
            client_ip: input.client_ip,
            params: input.params,
        };
        Ok(Some(password_login(state, meta, login)?.into()))
    }

    /// Logs in by phone and password (see `loginByEmail`).
    async fn login_by_phone_password(
        &self,
        ctx: &Context<'_>,
        input: LoginByPhonePasswordInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        let login = PasswordLogin {
            by: By::Phone,
            identifier: input.phone,
            password: input.password,
            captcha_code: input.captcha_code,
            auto_register: input.auto_register,
            client_ip: input.client_ip,
            params: input.params,
        };
        Ok(Some(password_login(state, meta, login)?.into()))
    }

    /// Logs in by phone and the code sent to it; an unknown phone gives 2004, or a new user with
    /// `autoRegister`.
    async fn login_by_phone_code(
        &self,
        ctx: &Context<'_>,
        input: LoginByPhoneCodeInput,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        let app_id = login_app(state, meta)?;
        let phone = input.phone.trim().to_owned();
        state.auth.consume_code(&phone, &input.code)?;
        let found = state.users_read().find_by("phone", &phone).cloned();
        let Some(user) = found else {
            if !input.auto_register.unwrap_or(false) {
                return Err(ApiError::new(Code::UserNotFound).into());
            }
            let mut user = new_user(state, "basic:phone-code");
            user.set_verified_phone(phone, input.phone_country_code);
            let reg = Registration {
                user,
                password: None,
                profile: None,
                params: input.params,
                force_login: true,
                generate_token: false,
                client_ip: input.client_ip,
            };
            let mut created = register(state, meta, reg)?;
            created.newly_created = Some(true);
            return Ok(Some(created.into()));
        };
        if let Some(refusal) = crate::store::identities::sign_in_refusal(&user) {
            return Err(refusal.into());
        }
        let values = check_custom_data(state, &parse_params(input.params.as_deref())?, &[])?;
        store_custom_data(state, &user.id, values);
        if user.phone_verified != Some(true) {
            state.update_user(&user.id, |user| {
                user.phone_verified = Some(true);
                Ok(())
            })?;
        }
        let mut user = sign_in(state, meta, &user, &app_id, input.client_ip, true)?;
        user.newly_created = Some(false);
        Ok(Some(user.into()))
    }

    /// Logs in with a sub-account's username and password (the rules are in `store::directory`): 2004 for an
    /// account that is not a sub-account, 2333 for a wrong password.
    async fn login_by_sub_account(
        &self,
        ctx: &Context<'_>,
        account: String,
        password: String,
        captcha_code: Option<String>,
        client_ip: Option<String>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let _ = captcha_code;
        login_app(state, meta)?;
        let clear = decrypt(state, &password)?;
        let ip = client_ip.unwrap_or_else(|| meta.origin().ip.clone());
        Ok(crate::store::directory::sub_account_login(state, &account, &clear, &ip)?.into())
    }

    /// "Sends" an e-mail with a 6-digit code for any scene: the code is kept in the emulator's outbox.
    async fn send_email(
        &self,
        ctx: &Context<'_>,
        email: String,
        scene: EmailScene,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        let _ = scene;
        auth::check_email(&email)?;
        state.auth.send_code(&email);
        Ok(CommonMessage::ok(meta.lang, "发送成功", "Sent successfully"))
    }

    /// Sets a new password with a code sent to the phone or e-mail. Code first (2001), then the user (2004).
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        phone: Option<String>,
        email: Option<String>,
        code: String,
        new_password: String,
        phone_country_code: Option<String>,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        let _ = phone_country_code;
        let (kind, to) = match (phone.filter(|p| !p.trim().is_empty()), email.filter(|e| !e.trim().is_empty())) {
            (Some(phone), _) => ("phone", phone.trim().to_owned()),
            (None, Some(email)) => ("email", email.trim().to_owned()),
            (None, None) => return Err(bad_request("缺少手机号或邮箱", "A phone or an e-mail is required").into()),
        };
        let clear = decrypt(state, &new_password)?;
        state.userpool.check_password(&clear)?;
        state.auth.consume_code(&to, &code)?;
        let id =
            state.users_read().find_by(kind, &to).map(|u| u.id.clone()).ok_or(ApiError::new(Code::UserNotFound))?;
        let hash = crypto::hash_password(&clear);
        let user = state.update_user(&id, |user| {
            user.password_hash = Some(hash);
            Ok(())
        })?;
        state.auth.note_password(&user.id, &clear);
        Ok(Some(CommonMessage::ok(meta.lang, "重置密码成功", "The password was reset")))
    }

    /// Sets the password of a user who had to reset it at first login, with the ticket of the 2058 refusal.
    /// An unknown, used or expired ticket gives 2020.
    async fn reset_password_by_first_login_token(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        let clear = decrypt(state, &password)?;
        let user_id = state.auth.ticket_user(&token, &[TicketKind::FirstLogin]).ok_or_else(bad_ticket)?;
        set_reset_password(state, &user_id, &clear)?;
        Ok(Some(CommonMessage::ok(meta.lang, "重置密码成功", "The password was reset")))
    }

    /// Changes a password that must be changed, with the ticket of a 2058 refusal (of either kind) or a valid
    /// user token of the user; the old password must match (2006).
    async fn reset_password_by_force_reset_token(
        &self,
        ctx: &Context<'_>,
        token: String,
        old_password: String,
        new_password: String,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        let old = decrypt(state, &old_password)?;
        let clear = decrypt(state, &new_password)?;
        let user_id = state
            .auth
            .ticket_user(&token, &[TicketKind::FirstLogin, TicketKind::ForceReset])
            .or_else(|| tokens::user_claims(state, Some(&token)).ok().map(|c| c.data.id.clone()))
            .ok_or_else(bad_ticket)?;
        let user = state.users_read().get(&user_id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
        if !user.check_password(&old) {
            return Err(wrong_old_password().into());
        }
        set_reset_password(state, &user_id, &clear)?;
        Ok(Some(CommonMessage::ok(meta.lang, "重置密码成功", "The password was reset")))
    }

    /// Changes the caller's password. When a password is set, `oldPassword` must match it (2006).
    async fn update_password(
        &self,
        ctx: &Context<'_>,
        new_password: String,
        old_password: Option<String>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let seen = caller(state, meta)?;
        let clear = decrypt(state, &new_password)?;
        state.userpool.check_password(&clear)?;
        if seen.password_hash.is_some() {
            let old = old_password.as_deref().map(|p| decrypt(state, p)).transpose()?;
            if !old.is_some_and(|old| seen.check_password(&old)) {
                return Err(wrong_old_password().into());
            }
        }
        // Hashed outside the lock; stored only if the password checked above is still the user's.
        let hash = crypto::hash_password(&clear);
        let user = state.update_user(&seen.id, |user| {
            if user.password_hash != seen.password_hash {
                return Err(wrong_old_password());
            }
            user.password_hash = Some(hash);
            Ok(())
        })?;
        state.auth.note_password(&user.id, &clear);
        Ok(user.into())
    }

    /// Binds a phone to the caller, with the code sent to it. The caller must not have a phone yet (400); a
    /// phone of another user gives 2035.
    async fn bind_phone(
        &self,
        ctx: &Context<'_>,
        phone: String,
        phone_code: String,
        phone_country_code: Option<String>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let user = caller(state, meta)?;
        let has_phone = || bad_request("用户已绑定手机号", "The user already has a phone");
        if user.phone.is_some() {
            return Err(has_phone().into());
        }
        let phone = phone.trim().to_owned();
        ensure_free(state, &user.id, "phone", &phone)?;
        state.auth.consume_code(&phone, &phone_code)?;
        let user = state.update_user(&user.id, |user| {
            if user.phone.is_some() {
                return Err(has_phone());
            }
            user.set_verified_phone(phone, phone_country_code);
            Ok(())
        })?;
        Ok(user.into())
    }

    /// Binds an e-mail to the caller, with the code sent to it. The caller must not have an e-mail yet (400);
    /// an e-mail of another user gives 2026.
    async fn bind_email(
        &self,
        ctx: &Context<'_>,
        email: String,
        email_code: String,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let user = caller(state, meta)?;
        let has_email = || bad_request("用户已绑定邮箱", "The user already has an e-mail");
        if user.email.is_some() {
            return Err(has_email().into());
        }
        auth::check_email(&email)?;
        let email = email.trim().to_owned();
        ensure_free(state, &user.id, "email", &email)?;
        state.auth.consume_code(&email, &email_code)?;
        let user = state.update_user(&user.id, |user| {
            if user.email.is_some() {
                return Err(has_email());
            }
            user.set_verified_email(email);
            Ok(())
        })?;
        Ok(user.into())
    }

    /// Removes the caller's phone; 400 when there is none or when the user would have no way left to log in.
    async fn unbind_phone(&self, ctx: &Context<'_>) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let id = caller(state, meta)?.id;
        let user = state.update_user(&id, |user| {
            if user.phone.is_none() {
                return Err(bad_request("用户未绑定手机号", "The user has no phone"));
            }
            user.phone = None;
            user.phone_verified = Some(false);
            user.phone_country_code = None;
            if !auth::can_log_in(user) {
                return Err(last_login_method());
            }
            Ok(())
        })?;
        Ok(user.into())
    }

    /// Removes the caller's e-mail; 400 when there is none or when the user would have no way left to log in.
    async fn unbind_email(&self, ctx: &Context<'_>) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let id = caller(state, meta)?.id;
        let user = state.update_user(&id, |user| {
            if user.email.is_none() {
                return Err(bad_request("用户未绑定邮箱", "The user has no e-mail"));
            }
            user.email = None;
            user.email_verified = Some(false);
            if !auth::can_log_in(user) {
                return Err(last_login_method());
            }
            Ok(())
        })?;
        Ok(user.into())
    }

    /// Replaces the caller's phone, with the code sent to the new one; with `oldPhone`, it must be the current
    /// phone (400) and `oldPhoneCode` its code. A phone of another user gives 2035.
    #[allow(clippy::too_many_arguments)]
    async fn update_phone(
        &self,
        ctx: &Context<'_>,
        phone: String,
        phone_code: String,
        old_phone: Option<String>,
        old_phone_code: Option<String>,
        phone_country_code: Option<String>,
        old_phone_country_code: Option<String>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let _ = old_phone_country_code;
        let user = caller(state, meta)?;
        let phone = phone.trim().to_owned();
        ensure_free(state, &user.id, "phone", &phone)?;
        let old = old_phone.as_deref().map(str::trim).filter(|o| !o.is_empty());
        let not_old = || bad_request("旧手机号不正确", "The old phone is not the user's");
        if let Some(old) = old {
            if user.phone.as_deref() != Some(old) {
                return Err(not_old().into());
            }
            state.auth.check_code(old, old_phone_code.as_deref().unwrap_or_default())?;
            state.auth.check_code(&phone, &phone_code)?;
            state.auth.consume_code(old, old_phone_code.as_deref().unwrap_or_default())?;
        }
        state.auth.consume_code(&phone, &phone_code)?;
        let user = state.update_user(&user.id, |user| {
            if old.is_some_and(|old| user.phone.as_deref() != Some(old)) {
                return Err(not_old());
            }
            user.set_verified_phone(phone, phone_country_code);
            Ok(())
        })?;
        Ok(user.into())
    }

    /// Replaces the caller's e-mail, with the code sent to the new one; with `oldEmail`, it must be the
    /// current e-mail (400) and `oldEmailCode` its code. An e-mail of another user gives 2026.
    async fn update_email(
        &self,
        ctx: &Context<'_>,
        email: String,
        email_code: String,
        old_email: Option<String>,
        old_email_code: Option<String>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let user = caller(state, meta)?;
        auth::check_email(&email)?;
        let email = email.trim().to_owned();
        ensure_free(state, &user.id, "email", &email)?;
        let old = old_email.as_deref().map(str::trim).filter(|o| !o.is_empty()).map(str::to_lowercase);
        let not_old = || bad_request("旧邮箱不正确", "The old e-mail is not the user's");
        if let Some(old) = old.as_deref() {
            if user.email.as_deref() != Some(old) {
                return Err(not_old().into());
            }
            let sent_old = old_email.as_deref().map(str::trim).unwrap_or_default();
            state.auth.check_code(sent_old, old_email_code.as_deref().unwrap_or_default())?;
            state.auth.check_code(&email, &email_code)?;
            state.auth.consume_code(sent_old, old_email_code.as_deref().unwrap_or_default())?;
        }
        state.auth.consume_code(&email, &email_code)?;
        let user = state.update_user(&user.id, |user| {
            if old.as_deref().is_some_and(|old| user.email.as_deref() != Some(old)) {
                return Err(not_old());
            }
            user.set_verified_email(email);
            Ok(())
        })?;
        Ok(user.into())
    }
}

fn bad_ticket() -> ApiError {
    ApiError::with_message(
        Code::NotLoggedIn,
        "重置密码的 token 无效或已过期",
        "The password-reset token is invalid or expired",
    )
}

fn wrong_old_password() -> ApiError {
    ApiError::with_message(Code::WrongPassword, "旧密码错误", "The old password is wrong")
}

fn last_login_method() -> ApiError {
    bad_request("解绑后用户将没有可用的登录方式", "The user would have no way left to log in")
}

/// Sets a password after a reset flow: the first-login flag, the reset mark and the open tickets go.
fn set_reset_password(state: &State, user_id: &str, clear: &str) -> Result<(), ApiError> {
    state.userpool.check_password(clear)?;
    let hash = crypto::hash_password(clear);
    state.update_user(user_id, |user| {
        user.password_hash = Some(hash);
        user.reset_password_on_first_login = false;
        Ok(())
    })?;
    state.auth.reset_done(user_id);
    state.auth.note_password(user_id, clear);
    Ok(())
}
