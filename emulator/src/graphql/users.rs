//! Users: the queries `users`, `archivedUsers`, `user`, `findUser`, `searchUser`, `userBatch`,
//! `isUserExists`, the mutations `createUser`, `updateUser`, `deleteUser`, `deleteUsers`, `refreshToken`,
//! `sendFirstLoginVerifyEmail`, and the computed fields of `User`.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, InputObject, Object, SimpleObject};
use serde::Deserialize;
use serde_json::Value;

use super::orgs::{Node, user_departments};
use super::pages::{PaginatedAuthorizedResources, PaginatedGroups, PaginatedRoles, PaginatedUsers, page_args, page_of};
use super::types;
use super::{CommonMessage, RequestMeta, enter, require_management};
use crate::crypto;
use crate::store::access::Target;
use crate::store::activity::Action;
use crate::store::common::{is_iso_datetime, new_id, now_iso};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::tokens::{self, Claims};
use crate::store::udf::TargetType;
use crate::store::users::{Identity, Memberships, SortBy, User, search_matches, sort_users};

/// `UserCustomData` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "UserCustomData")]
pub(crate) struct UserCustomData {
    key: String,
    value: Option<String>,
    label: Option<String>,
    data_type: types::DataType,
}

/// `UserDepartment` of the official schema.
#[derive(SimpleObject, Clone)]
#[graphql(name = "UserDepartment")]
pub(crate) struct UserDepartment {
    department: Node,
    is_main_department: bool,
    joined_at: Option<String>,
}

/// `PaginatedDepartments` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "PaginatedDepartments")]
pub(crate) struct PaginatedDepartments {
    list: Vec<UserDepartment>,
    total_count: i32,
}

/// `RefreshToken` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "RefreshToken")]
pub(crate) struct RefreshToken {
    token: Option<String>,
    iat: Option<i32>,
    exp: Option<i32>,
}

#[ComplexObject]
impl types::User {
    /// The user's custom data, with the field definitions.
    async fn custom_data(&self, ctx: &Context<'_>) -> Option<Vec<Option<UserCustomData>>> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let entries = state.udf_read().entries(TargetType::User, &self.id);
        Some(
            entries
                .into_iter()
                .map(|e| {
                    Some(UserCustomData {
                        key: e.key,
                        value: Some(e.value),
                        label: e.label,
                        data_type: e.data_type.into(),
                    })
                })
                .collect(),
        )
    }

    /// All the roles the user holds directly (not paginated): those of one namespace, or of every
    /// namespace when `namespace` is null.
    async fn roles(&self, ctx: &Context<'_>, namespace: Option<String>) -> Option<PaginatedRoles> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let ns = namespace.map(|ns| crate::store::access::namespace(Some(&ns)));
        Some(PaginatedRoles::all(state.access_read().user_roles(&self.id, ns.as_deref())))
    }

    /// All the groups of the user (not paginated), newest group first.
    async fn groups(&self, ctx: &Context<'_>) -> Option<PaginatedGroups> {
        let state = ctx.data_unchecked::<Arc<State>>();
        Some(PaginatedGroups::all(state.access_read().groups(Some(&self.id), SortBy::CreatedatDesc)))
    }

    /// The resources the user may act on in `namespace` (`default` when null), as the top-level
    /// `authorizedResources` lists them.
    async fn authorized_resources(
        &self,
        ctx: &Context<'_>,
        namespace: Option<String>,
        resource_type: Option<String>,
    ) -> Option<PaginatedAuthorizedResources> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let ns = crate::store::access::namespace(namespace.as_deref());
        let list = crate::store::authz::authorized_resources(
            &state.access_read(),
            &Target::User(self.id.clone()),
            Some(&ns),
            resource_type.as_deref(),
        );
        Some(PaginatedAuthorizedResources::all(list))
    }

    /// The user's departments (of one organization when `orgId` is given), in joining order.
    async fn departments(&self, ctx: &Context<'_>, org_id: Option<String>) -> Option<PaginatedDepartments> {
        let state = ctx.data_unchecked::<Arc<State>>();
        let list: Vec<UserDepartment> = user_departments(state, &self.id, org_id.as_deref())
            .into_iter()
            .map(|(department, is_main_department, joined_at)| UserDepartment {
                department,
                is_main_department,
                joined_at: Some(joined_at),
            })
            .collect();
        Some(PaginatedDepartments { total_count: super::pages::count(list.len()), list })
    }
}

/// `CreateUserInput` of the official schema.
#[derive(InputObject, Default)]
#[graphql(name = "CreateUserInput")]
pub(crate) struct CreateUserInput {
    username: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
    phone: Option<String>,
    phone_verified: Option<bool>,
    unionid: Option<String>,
    openid: Option<String>,
    nickname: Option<String>,
    photo: Option<String>,
    password: Option<String>,
    register_source: Option<Vec<String>>,
    browser: Option<String>,
    oauth: Option<String>,
    logins_count: Option<i32>,
    last_login: Option<String>,
    company: Option<String>,
    #[graphql(name = "lastIP")]
    last_ip: Option<String>,
    signed_up: Option<String>,
    blocked: Option<bool>,
    is_deleted: Option<bool>,
    device: Option<String>,
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
    external_id: Option<String>,
    phone_country_code: Option<String>,
}

/// `UpdateUserInput` of the official schema.
#[derive(InputObject, Default)]
#[graphql(name = "UpdateUserInput")]
pub(crate) struct UpdateUserInput {
    email: Option<String>,
    unionid: Option<String>,
    openid: Option<String>,
    email_verified: Option<bool>,
    phone: Option<String>,
    phone_verified: Option<bool>,
    username: Option<String>,
    nickname: Option<String>,
    password: Option<String>,
    photo: Option<String>,
    company: Option<String>,
    browser: Option<String>,
    device: Option<String>,
    oauth: Option<String>,
    token_expired_at: Option<String>,
    logins_count: Option<i32>,
    last_login: Option<String>,
    #[graphql(name = "lastIP")]
    last_ip: Option<String>,
    blocked: Option<bool>,
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
    city: Option<String>,
    province: Option<String>,
    country: Option<String>,
    external_id: Option<String>,
    phone_country_code: Option<String>,
    main_department_id: Option<String>,
    main_department_code: Option<String>,
    expired_at: Option<String>,
    direct_management: Option<String>,
}

/// `CreateUserIdentityInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "CreateUserIdentityInput")]
pub(crate) struct CreateUserIdentityInput {
    provider: String,
    user_id_in_idp: String,
    openid: Option<String>,
    is_social: Option<bool>,
    connection_id: Option<String>,
    access_token: Option<String>,
    refresh_token: Option<String>,
}

/// `FindUserByIdentityInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "FindUserByIdentityInput")]
pub(crate) struct FindUserByIdentityInput {
    identifier: Option<String>,
    user_id_in_idp: Option<String>,
    is_social: Option<bool>,
    provider: Option<String>,
}

/// `SearchUserDepartmentOpt` of the official schema.
#[derive(InputObject)]
#[graphql(name = "SearchUserDepartmentOpt")]
pub(crate) struct SearchUserDepartmentOpt {
    department_id: Option<String>,
    include_children_departments: Option<bool>,
}

/// `SearchUserGroupOpt` of the official schema.
#[derive(InputObject)]
#[graphql(name = "SearchUserGroupOpt")]
pub(crate) struct SearchUserGroupOpt {
    code: Option<String>,
}

/// `SearchUserRoleOpt` of the official schema.
#[derive(InputObject)]
#[graphql(name = "SearchUserRoleOpt")]
pub(crate) struct SearchUserRoleOpt {
    namespace: Option<String>,
    code: String,
}

/// Copies the given (non-null) fields of an input onto a user.
macro_rules! apply {
    ($input:expr => $user:expr; $($field:ident),* $(,)?) => {
        $( if let Some(v) = $input.$field { $user.$field = Some(v); } )*
    };
}

/// Unix seconds as a GraphQL `Int` (saturating in 2038).
fn int(secs: u64) -> i32 {
    i32::try_from(secs).unwrap_or(i32::MAX)
}

/// Refuses a caller-given date that is not ISO-8601 (a numeric string included) with 400.
fn check_date(name: &str, value: Option<&String>) -> Result<(), ApiError> {
    match value {
        Some(v) if !is_iso_datetime(v) => Err(ApiError::with_message(
            Code::BadRequest,
            format!("{name} 必须是 ISO-8601 格式的时间: {v}"),
            format!("{name} must be an ISO-8601 date-time: {v}"),
        )),
        _ => Ok(()),
    }
}

/// The password to hash: the RSA-decrypted text; with `keep`, the given text itself when it does not
/// decrypt.
fn clear_password(state: &State, sent: &str, keep: bool) -> Result<String, ApiError> {
    match crypto::decrypt_password(&state.keys.private, sent) {
        Ok(clear) => Ok(clear),
        Err(_) if keep => Ok(sent.to_owned()),
        Err(e) => Err(e.into()),
    }
}

/// One `{key, value}` of `createUser(params)`.
#[derive(Deserialize)]
struct Param {
    key: String,
    #[serde(default)]
    value: Value,
}

/// Parses `params`: a JSON string of `[{key, value}]` with raw values; null, empty or `"null"` is none.
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

/// Whether a user passes the membership filters of `searchUser` (an empty filter lets everyone in).
fn passes_membership(
    m: &Memberships,
    departments: &[Vec<String>],
    groups: &[&SearchUserGroupOpt],
    roles: &[&SearchUserRoleOpt],
) -> bool {
    let dept_ok =
        departments.is_empty() || departments.iter().any(|nodes| m.departments.iter().any(|d| nodes.contains(d)));
    let group_ok = groups.is_empty() || groups.iter().any(|g| g.code.as_ref().is_some_and(|c| m.groups.contains(c)));
    let role_ok = roles.is_empty()
        || roles.iter().any(|r| {
            let ns = r.namespace.as_deref().unwrap_or("default");
            m.roles.iter().any(|(n, c)| n == ns && *c == r.code)
        });
    dept_ok && group_ok && role_ok
}

/// The nodes each department option matches: the department, and its descendants with
/// `includeChildrenDepartments`.
fn department_nodes(state: &State, opts: &[&SearchUserDepartmentOpt]) -> Vec<Vec<String>> {
    let access = state.access_read();
    opts.iter()
        .map(|d| match d.department_id.as_deref().map(str::trim) {
            Some(id) if d.include_children_departments == Some(true) => access.orgs.subtree(id),
            Some(id) => vec![id.to_owned()],
            None => Vec::new(),
        })
        .collect()
}

fn flatten<T>(list: &Option<Vec<Option<T>>>) -> Vec<&T> {
    list.iter().flatten().flatten().collect()
}

/// The user that `refreshToken` without `id` refreshes: the one of the request's user token.
fn token_user(state: &State, meta: &RequestMeta) -> Result<Claims, ApiError> {
    let token = meta.token.as_deref().ok_or(ApiError::new(Code::NotLoggedIn))?;
    match tokens::verify(state, token) {
        Ok(claims) if claims.data.kind == "user" => Ok(claims),
        _ => Err(ApiError::new(Code::NotLoggedIn)),
    }
}

#[derive(Default)]
pub(crate) struct UserQuery;

#[Object]
impl UserQuery {
    /// Whether a user with any of the given identifiers exists (e-mails compare case-insensitively).
    /// Needs a management token, a valid user token or the `x-authing-app-id` of the emulator's application.
    async fn is_user_exists(
        &self,
        ctx: &Context<'_>,
        email: Option<String>,
        phone: Option<String>,
        username: Option<String>,
        external_id: Option<String>,
    ) -> async_graphql::Result<Option<bool>> {
        let (state, meta) = enter(ctx);
        super::auth::may_ask_existence(state, meta)?;
        let found = state
            .users_read()
            .find(email.as_deref(), phone.as_deref(), username.as_deref(), external_id.as_deref())
            .is_some();
        Ok(Some(found))
    }

    /// The users of the pool, one page (newest first by default).
    async fn users(
        &self,
        ctx: &Context<'_>,
        page: Option<i32>,
        limit: Option<i32>,
        sort_by: Option<types::SortBy>,
        exclude_users_in_org: Option<bool>,
    ) -> async_graphql::Result<PaginatedUsers> {
        let sort_by = sort_by.map(SortBy::from);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        // No user is in an organization yet, so `excludeUsersInOrg` changes nothing.
        let _ = exclude_users_in_org;
        let store = state.users_read();
        let all = store.all();
        let start = page.saturating_sub(1).saturating_mul(limit);
        let total = all.len();
        // The store keeps the users in creation order: sorting by creation needs no sort, and one page copies
        // only its own users even in a pool of a hundred thousand.
        let list = match sort_by.unwrap_or_default() {
            SortBy::CreatedatDesc => all.rev().skip(start).take(limit).map(|user| (&**user).into()).collect(),
            SortBy::CreatedatAsc => all.skip(start).take(limit).map(|user| (&**user).into()).collect(),
            sort => {
                let mut users: Vec<&User> = all.map(|u| &**u).collect();
                sort_users(&mut users, sort);
                return Ok(page_of(&users, page, limit));
            }
        };
        Ok(PaginatedUsers { total_count: i32::try_from(total).unwrap_or(i32::MAX), list })
    }

    /// The deleted users, newest deletion first.
    async fn archived_users(
        &self,
        ctx: &Context<'_>,
        page: Option<i32>,
        limit: Option<i32>,
    ) -> async_graphql::Result<PaginatedUsers> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let store = state.users_read();
        let mut users: Vec<&User> = store.archived().iter().collect();
        users.sort_by_key(|u| std::cmp::Reverse(u.deleted_seq));
        Ok(page_of(&users, page, limit))
    }

    /// One user by id; null when unknown. A user token may ask only for its own user (without `id` too).
    async fn user(&self, ctx: &Context<'_>, id: Option<String>) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        let id = super::auth::self_or_management(state, meta, id)?;
        Ok(id.and_then(|id| state.users_read().get(&id).map(Into::into)))
    }

    /// A user by any of the identifiers, or by an identity; null when none matches.
    async fn find_user(
        &self,
        ctx: &Context<'_>,
        email: Option<String>,
        phone: Option<String>,
        username: Option<String>,
        external_id: Option<String>,
        identity: Option<FindUserByIdentityInput>,
    ) -> async_graphql::Result<Option<types::User>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let store = state.users_read();
        let by_identifier = store.find(email.as_deref(), phone.as_deref(), username.as_deref(), external_id.as_deref());
        let found = by_identifier.or_else(|| {
            identity.as_ref().and_then(|i| {
                store.find_by_identity(
                    i.provider.as_deref(),
                    i.user_id_in_idp.as_deref(),
                    i.is_social,
                    i.identifier.as_deref(),
                )
            })
        });
        Ok(found.map(Into::into))
    }

    /// Users whose name fields contain `query` (case-insensitive), filtered by membership.
    #[allow(clippy::too_many_arguments)]
    async fn search_user(
        &self,
        ctx: &Context<'_>,
        query: String,
        fields: Option<Vec<Option<String>>>,
        page: Option<i32>,
        limit: Option<i32>,
        department_opts: Option<Vec<Option<SearchUserDepartmentOpt>>>,
        group_opts: Option<Vec<Option<SearchUserGroupOpt>>>,
        role_opts: Option<Vec<Option<SearchUserRoleOpt>>>,
    ) -> async_graphql::Result<PaginatedUsers> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let (page, limit) = page_args(state, page, limit)?;
        let fields: Vec<String> = fields.into_iter().flatten().flatten().collect();
        let departments = department_nodes(state, &flatten(&department_opts));
        let groups = flatten(&group_opts);
        let roles = flatten(&role_opts);
        let store = state.users_read();
        let mut users: Vec<&User> = store
            .all()
            .map(|u| &**u)
            .filter(|u| search_matches(u, &query, &fields))
            .filter(|u| passes_membership(&state.memberships(&u.id), &departments, &groups, &roles))
            .collect();
        sort_users(&mut users, SortBy::CreatedatDesc);
        Ok(page_of(&users, page, limit))
    }

    /// Users by a list of identifiers of one kind (`type`: id, username, phone, email or externalId), in
    /// the order of `ids`; unknown ones are skipped.
    async fn user_batch(
        &self,
        ctx: &Context<'_>,
        ids: Vec<String>,
        #[graphql(name = "type")] kind: Option<String>,
    ) -> async_graphql::Result<Vec<types::User>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let kind = kind.unwrap_or_else(|| "id".to_owned());
        if !["id", "username", "phone", "email", "externalId"].contains(&kind.as_str()) {
            return Err(ApiError::with_message(
                Code::BadRequest,
                format!("type 必须是 id、username、phone、email 或 externalId: {kind}"),
                format!("type must be id, username, phone, email or externalId: {kind}"),
            )
            .into());
        }
        let store = state.users_read();
        Ok(ids.iter().filter_map(|v| store.find_by(&kind, v)).map(Into::into).collect())
    }
}

#[derive(Default)]
pub(crate) struct UserMutation;

#[Object]
impl UserMutation {
    /// Creates a user. The password arrives RSA-encrypted (see `keepPassword`); `params` sets custom
    /// data; `identity` adds an identity.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        user_info: CreateUserInput,
        keep_password: Option<bool>,
        reset_password_on_first_login: Option<bool>,
        params: Option<String>,
        identity: Option<CreateUserIdentityInput>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let mut input = user_info;
        check_date("lastLogin", input.last_login.as_ref())?;
        check_date("signedUp", input.signed_up.as_ref())?;
        let params = parse_params(params.as_deref())?;
        let mut user = User::new(&state.pool.id, new_id(), now_iso());
        if let Some(sent) = input.password.take() {
            let clear = clear_password(state, &sent, keep_password.unwrap_or(false))?;
            user.password_hash = Some(crypto::hash_password(&clear));
            state.auth.note_password(&user.id, &clear);
        }
        user.reset_password_on_first_login = reset_password_on_first_login.unwrap_or(false);
        apply!(input => user;
            username, email, email_verified, phone, phone_verified, unionid, openid, nickname, photo,
            register_source, browser, oauth, logins_count, last_login, company, last_ip, signed_up,
            blocked, is_deleted, device, name, given_name, family_name, middle_name, profile,
            preferred_username, website, gender, birthdate, zoneinfo, locale, address, formatted,
            street_address, locality, region, postal_code, country, external_id, phone_country_code,
        );
        if let Some(i) = identity {
            user.identities = Some(vec![Some(Identity {
                openid: i.openid,
                user_id_in_idp: Some(i.user_id_in_idp),
                user_id: Some(user.id.clone()),
                is_social: Some(i.is_social.unwrap_or(false)),
                provider: Some(i.provider),
                user_pool_id: Some(state.pool.id.clone()),
                refresh_token: i.refresh_token,
                access_token: i.access_token,
                connection_id: i.connection_id,
                ..Identity::default()
            })]);
        }
        let created = {
            let mut store = state.users_write();
            let mut udf = state.udf_write();
            let values = params
                .iter()
                .map(|p| Ok((p.key.as_str(), udf.check_raw(TargetType::User, &p.key, &p.value)?)))
                .collect::<Result<Vec<_>, ApiError>>()?;
            let created = store.insert(user)?;
            for (key, text) in values {
                udf.put(TargetType::User, &created.id, key, text);
            }
            created
        };
        state.record(Action::new("createUser", &created, None, meta.origin()));
        Ok(created.into())
    }

    /// Changes a user's fields; a password arrives RSA-encrypted.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: Option<String>,
        input: UpdateUserInput,
        email_token: Option<String>,
        phone_token: Option<String>,
    ) -> async_graphql::Result<types::User> {
        let (state, meta) = enter(ctx);
        let restricted = input.email.is_some()
            || input.phone.is_some()
            || input.unionid.is_some()
            || input.openid.is_some()
            || input.password.is_some()
            || input.email_verified.is_some()
            || input.phone_verified.is_some()
            // What only an administrator sets: the account's state and its login bookkeeping.
            || input.blocked.is_some()
            || input.logins_count.is_some()
            || input.last_login.is_some()
            || input.last_ip.is_some()
            || input.token_expired_at.is_some()
            || input.expired_at.is_some()
            || input.external_id.is_some()
            || input.oauth.is_some()
            || input.main_department_id.is_some()
            || input.main_department_code.is_some()
            || input.direct_management.is_some();
        let id = super::auth::self_or_management_update(state, meta, id, restricted)?;
        // Verification tokens matter only to end users changing their own e-mail or phone.
        let _ = (email_token, phone_token);
        let id = id.ok_or_else(|| ApiError::with_message(Code::BadRequest, "缺少用户 ID", "The user id is missing"))?;
        let mut input = input;
        check_date("lastLogin", input.last_login.as_ref())?;
        check_date("tokenExpiredAt", input.token_expired_at.as_ref())?;
        check_date("expiredAt", input.expired_at.as_ref())?;
        let hash = match input.password.take() {
            Some(sent) => {
                let clear = clear_password(state, &sent, false)?;
                state.auth.note_password(&id, &clear);
                Some(crypto::hash_password(&clear))
            }
            None => None,
        };
        let blocks = input.blocked == Some(true);
        let updated = {
            let mut store = state.users_write();
            let mut user = store.get(&id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
            apply!(input => user;
                email, unionid, openid, email_verified, phone, phone_verified, username, nickname,
                photo, company, browser, device, oauth, token_expired_at, logins_count, last_login,
                last_ip, blocked, name, given_name, family_name, middle_name, profile,
                preferred_username, website, gender, birthdate, zoneinfo, locale, address, formatted,
                street_address, locality, region, postal_code, city, province, country, external_id,
                phone_country_code, main_department_id, main_department_code, expired_at,
                direct_management,
            );
            if hash.is_some() {
                user.password_hash = hash;
            }
            user.updated_at = Some(now_iso());
            store.replace(user)?
        };
        if blocks {
            // A blocked user is logged out everywhere at once: the tokens it holds are refused from now on.
            state.sessions().revoke(&id, None);
        }
        state.record(Action::new("updateUser", &updated, None, meta.origin()));
        Ok(updated.into())
    }

    /// Deletes a user: it moves to the archive, its identifiers become free and its tokens stop working.
    async fn delete_user(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let archived = state.users_write().archive(&id, now_iso()).ok_or(ApiError::new(Code::UserNotFound))?;
        state.forget_user(&id);
        state.sessions().revoke(&id, None);
        state.record(Action::new("deleteUser", &archived, None, meta.origin()));
        Ok(Some(CommonMessage::ok(meta.lang, "删除成功", "Deleted")))
    }

    /// Deletes several users; unknown ids are ignored.
    async fn delete_users(&self, ctx: &Context<'_>, ids: Vec<String>) -> async_graphql::Result<Option<CommonMessage>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let archived: Vec<User> = {
            let mut store = state.users_write();
            ids.iter().filter_map(|id| store.archive(id, now_iso())).collect()
        };
        for user in &archived {
            state.forget_user(&user.id);
            state.sessions().revoke(&user.id, None);
            state.record(Action::new("deleteUser", user, None, meta.origin()));
        }
        Ok(Some(CommonMessage::ok(meta.lang, "删除成功", "Deleted")))
    }

    /// Signs a new user token: for the user `id` with a management token, or, without `id`, for the
    /// user of the request's own user token.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        id: Option<String>,
    ) -> async_graphql::Result<Option<RefreshToken>> {
        let (state, meta) = enter(ctx);
        let (user_id, app_id) = match id {
            Some(id) => {
                require_management(state, meta)?;
                (id, state.app.id.clone())
            }
            None => {
                let claims = token_user(state, meta)?;
                let app = claims.data.app_id.clone().unwrap_or_else(|| state.app.id.clone());
                (claims.data.id.clone(), app)
            }
        };
        let user = state.users_read().get(&user_id).cloned().ok_or(ApiError::new(Code::UserNotFound))?;
        let issued = tokens::issue_user(state, &user, &app_id);
        state.record(Action::new("refreshToken", &user, Some(app_id), meta.origin()));
        Ok(Some(RefreshToken { token: Some(issued.token), iat: Some(int(issued.iat)), exp: Some(int(issued.exp)) }))
    }

    /// Pretends to send the first-login verification e-mail: checks the user and the application.
    async fn send_first_login_verify_email(
        &self,
        ctx: &Context<'_>,
        user_id: String,
        app_id: String,
    ) -> async_graphql::Result<CommonMessage> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        if state.users_read().get(&user_id).is_none() {
            return Err(ApiError::new(Code::UserNotFound).into());
        }
        if !state.app_exists(&app_id) {
            return Err(ApiError::new(Code::AppNotFound).into());
        }
        Ok(CommonMessage::ok(meta.lang, "发送成功", "Sent successfully"))
    }
}
