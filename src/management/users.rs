//! `management.users()`: create, find, update and delete the users of the pool, their sessions and custom data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::paging::{PageLimit, WirePage, first_page, page_setters, paged_vars};
use crate::error::Result;
use crate::models::{
    BatchField, CommonMessage, CreateUserInput, CustomData, IdentityInput, IdentityQuery, LoginStatus, OrgPath,
    RefreshedToken, SortBy, UdfEntry, UdfTargetType, UdfValue, UpdateUserInput, User, UserAction, UserDepartment,
    custom_data_from_entries,
};
use crate::page::Page;
use crate::transport::{Operation, RestCall};

/// The `users` list; the benchmarks use it too.
pub(crate) const USERS: Operation<'static> = operation!("users", "list", "users.graphql", "user.graphql");
const ARCHIVED_USERS: Operation<'static> =
    operation!("users", "list_archived_users", "archived_users.graphql", "user.graphql");
const CREATE_USER: Operation<'static> = operation!("users", "create", "create_user.graphql", "user.graphql");
const UPDATE_USER: Operation<'static> = operation!("users", "update", "update_user.graphql", "user.graphql");
const FIND_USER: Operation<'static> = operation!("users", "find", "find_user.graphql", "user.graphql");
const SEARCH_USER: Operation<'static> = operation!("users", "search", "search_user.graphql", "user.graphql");
const USER_BATCH: Operation<'static> = operation!("users", "batch_get", "user_batch.graphql", "user.graphql");
const DELETE_USER: Operation<'static> = operation!("users", "delete", "delete_user.graphql");
const DELETE_USERS: Operation<'static> = operation!("users", "delete_many", "delete_users.graphql");
const REFRESH_TOKEN: Operation<'static> = operation!("users", "refresh_token", "refresh_token.graphql");
const IS_USER_EXISTS: Operation<'static> = operation!("users", "exists", "is_user_exists.graphql");
const USER_DEPARTMENTS: Operation<'static> = operation!("users", "list_departments", "get_user_departments.graphql");
const FIRST_LOGIN_EMAIL: Operation<'static> =
    operation!("users", "send_first_login_verify_email", "send_first_login_verify_email.graphql");

/// The users of the pool: `management.users()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::models::CreateUserInput;
///
/// let users = management.users();
/// let ada = users.create(CreateUserInput::default().username("ada").password("s3cret!")).send().await?;
/// let found = users.find().username("ada").send().await?;
/// assert_eq!(found.map(|u| u.id), Some(ada.id));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    pub(super) client: &'a ManagementClient,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct ListVars {
    #[serde(flatten)]
    page: PageLimit,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<SortBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclude_users_in_org: Option<bool>,
    with_custom_data: bool,
}

paged_vars!(ListVars);

impl ManagementClient {
    /// The users of the pool.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

impl<'a> Users<'a> {
    /// Lists the users of the pool, newest first by default.
    ///
    /// GraphQL: `users`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let page = management.users().list().page(1).limit(20).with_custom_data(true).send().await?;
    /// assert_eq!(page.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListUsersBuilder<'a> {
        ListUsersBuilder { client: self.client, vars: ListVars::default() }
    }

    /// Lists the users deleted from the pool, most recently deleted first.
    ///
    /// GraphQL: `archivedUsers`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let archived = management.users().list_archived_users().limit(50).send().await?;
    /// assert!(archived.items.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_archived_users(&self) -> ListArchivedUsersBuilder<'a> {
        ListArchivedUsersBuilder { client: self.client, vars: ArchivedVars::default() }
    }

    /// Creates a user; its password (if any) is encrypted by the SDK.
    ///
    /// GraphQL: `createUser`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management
    ///     .users()
    ///     .create(CreateUserInput::default().email("Grace@Example.com").password("pa55word"))
    ///     .reset_password_on_first_login(true)
    ///     .send()
    ///     .await?;
    /// assert_eq!(user.email.as_deref(), Some("grace@example.com"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, input: CreateUserInput) -> CreateUserBuilder<'a> {
        CreateUserBuilder {
            client: self.client,
            input,
            keep_password: None,
            reset_password_on_first_login: None,
            identity: None,
            custom_data: CustomData::new(),
        }
    }

    /// Changes a user; only the fields set in `input` change. A new password is encrypted by the SDK.
    ///
    /// GraphQL: `updateUser`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{CreateUserInput, UpdateUserInput};
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let user = management.users().update(&user.id, UpdateUserInput::default().nickname("Countess")).await?;
    /// assert_eq!(user.nickname.as_deref(), Some("Countess"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an identifier taken: 2026, 2034, 2035; unknown user: 2004), or encryption and transport
    /// errors.
    pub async fn update(&self, user_id: &str, input: UpdateUserInput) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            id: &'v str,
            input: WireInput<'v, UpdateUserInput>,
            with_custom_data: bool,
        }
        let password = self.encrypt_optional(input.password.as_ref()).await?;
        let vars = Vars { id: user_id, input: WireInput { input: &input, password }, with_custom_data: false };
        self.client.root(UPDATE_USER, &vars).await
    }

    /// The user with this id, with its custom data when asked; `None` when there is none.
    ///
    /// REST: `GET /api/v2/users/{id}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let nobody = management.users().detail("000000000000000000000000").with_custom_data(true).send().await?;
    /// assert!(nobody.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn detail(&self, user_id: &str) -> UserDetailBuilder<'a> {
        UserDetailBuilder { client: self.client, user_id: user_id.to_owned(), with_custom_data: false }
    }

    /// The user with this id, without custom data; `None` when there is none. Same as `detail(id).send()`.
    ///
    /// REST: `GET /api/v2/users/{id}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.users().get("000000000000000000000000").await?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get(&self, user_id: &str) -> Result<Option<User>> {
        self.detail(user_id).send().await
    }

    /// Finds a user by one of its identifiers; `None` when nobody matches.
    ///
    /// GraphQL: `findUser`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let user = management.users().find().email("nobody@example.com").send().await?;
    /// assert!(user.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn find(&self) -> FindUserBuilder<'a> {
        FindUserBuilder { client: self.client, vars: FindVars::default() }
    }

    /// Searches users whose names, e-mail or phone contain `query`.
    ///
    /// GraphQL: `searchUser`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let page = management.users().search("ada").fields(["username", "email"]).limit(20).send().await?;
    /// assert_eq!(page.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self, query: &str) -> SearchUsersBuilder<'a> {
        SearchUsersBuilder {
            client: self.client,
            vars: SearchVars {
                query: query.to_owned(),
                fields: None,
                page: PageLimit::default(),
                with_custom_data: false,
                department_opts: Vec::new(),
                group_opts: Vec::new(),
                role_opts: Vec::new(),
            },
        }
    }

    /// The users with these identifiers (ids by default), in the order given; unknown ones are left out.
    ///
    /// GraphQL: `userBatch`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::BatchField;
    /// let users = management.users().batch_get(["ada", "grace"]).by(BatchField::Username).send().await?;
    /// assert!(users.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn batch_get<I, S>(&self, identifiers: I) -> BatchGetUsersBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        BatchGetUsersBuilder {
            client: self.client,
            ids: identifiers.into_iter().map(Into::into).collect(),
            field: BatchField::Id,
            with_custom_data: false,
        }
    }

    /// Deletes a user; it moves to the archive.
    ///
    /// GraphQL: `deleteUser`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let deleted = management.users().delete(&user.id).await?;
    /// assert!(deleted.is_some_and(|message| message.is_success()));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2004 for an unknown user), or transport errors.
    pub async fn delete(&self, user_id: &str) -> Result<Option<CommonMessage>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
        }
        self.client.root(DELETE_USER, &Vars { id: user_id }).await
    }

    /// Deletes several users; unknown ids are ignored.
    ///
    /// GraphQL: `deleteUsers`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let deleted = management.users().delete_many(["u1", "u2"]).await?;
    /// assert!(deleted.is_some_and(|message| message.is_success()));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete_many<I, S>(&self, user_ids: I) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        struct Vars {
            ids: Vec<String>,
        }
        let vars = Vars { ids: user_ids.into_iter().map(Into::into).collect() };
        self.client.root(DELETE_USERS, &vars).await
    }

    /// Issues a new token for a user, usable as that user's bearer token.
    ///
    /// GraphQL: `refreshToken`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let token = management.users().refresh_token(&user.id).await?;
    /// assert!(token.exp > token.iat);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2004 for an unknown user), or transport errors.
    pub async fn refresh_token(&self, user_id: &str) -> Result<RefreshedToken> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
        }
        self.client.root(REFRESH_TOKEN, &Vars { id: user_id }).await
    }

    /// Whether a user with any of the identifiers set exists.
    ///
    /// GraphQL: `isUserExists`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(!management.users().exists().username("ada").send().await?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn exists(&self) -> UserExistsBuilder<'a> {
        UserExistsBuilder { client: self.client, vars: ExistsVars::default() }
    }

    /// The organizations a user belongs to, each as the path of nodes from its root.
    ///
    /// REST: `GET /api/v2/users/{id}/orgs`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// assert!(management.users().list_orgs(&user.id).await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2004 for an unknown user), or transport errors.
    pub async fn list_orgs(&self, user_id: &str) -> Result<Vec<OrgPath>> {
        let orgs: Option<Vec<OrgPath>> =
            self.client.rest(RestCall::get("users.list_orgs", &["users", user_id, "orgs"])).await?;
        Ok(orgs.unwrap_or_default())
    }

    /// The departments a user belongs to; `None` when the user does not exist.
    ///
    /// GraphQL: `getUserDepartments`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// assert_eq!(management.users().list_departments(&user.id).await?.map(|d| d.len()), Some(0));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn list_departments(&self, user_id: &str) -> Result<Option<Vec<UserDepartment>>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
        }
        #[derive(Deserialize)]
        struct Departments {
            departments: Option<WirePage<UserDepartment>>,
        }
        let user: Option<Departments> = self.client.root(USER_DEPARTMENTS, &Vars { id: user_id }).await?;
        Ok(user.map(|u| u.departments.map(|d| d.list).unwrap_or_default()))
    }

    /// Ends every session of these users: their tokens stop being accepted.
    ///
    /// REST: `POST /api/v2/users/kick`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.users().kick([user.id.as_str()]).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn kick<I, S>(&self, user_ids: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body {
            user_ids: Vec<String>,
        }
        let body = Body { user_ids: user_ids.into_iter().map(Into::into).collect() };
        let _: serde::de::IgnoredAny = self.client.rest_post("users/kick", &body).await?;
        Ok(())
    }

    /// The audit log of user actions, newest first.
    ///
    /// REST: `GET /api/v2/analysis/user-action`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let actions = management.users().list_user_actions().operation_name("createUser").send().await?;
    /// assert_eq!(actions.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_user_actions(&self) -> ListUserActionsBuilder<'a> {
        ListUserActionsBuilder::new(self.client)
    }

    /// Sends the e-mail a user verifies at first login.
    ///
    /// GraphQL: `sendFirstLoginVerifyEmail`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().email("ada@example.com")).send().await?;
    /// let sent = management.users().send_first_login_verify_email(&user.id, emulator.app_id()).await?;
    /// assert!(sent.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2004 unknown user, 2011 unknown application), or transport errors.
    pub async fn send_first_login_verify_email(&self, user_id: &str, app_id: &str) -> Result<CommonMessage> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            user_id: &'v str,
            app_id: &'v str,
        }
        self.client.root(FIRST_LOGIN_EMAIL, &Vars { user_id, app_id }).await
    }

    /// Logs a user out, of one application or of all.
    ///
    /// REST: `GET /logout?appId=&userId=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.users().logout(&user.id).app_id(emulator.app_id()).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn logout(&self, user_id: &str) -> LogoutUserBuilder<'a> {
        LogoutUserBuilder { client: self.client, user_id: user_id.to_owned(), app_id: None }
    }

    /// Whether a user is logged in, and to which applications.
    ///
    /// REST: `GET /api/v2/users/login-status`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let status = management.users().check_login_status(&user.id).send().await?;
    /// assert!(!status.is_login);
    /// # Ok(())
    /// # }
    /// ```
    pub fn check_login_status(&self, user_id: &str) -> CheckLoginStatusBuilder<'a> {
        CheckLoginStatusBuilder { client: self.client, user_id: user_id.to_owned(), app_id: None, device_id: None }
    }

    /// The custom data of a user, key → typed value.
    ///
    /// GraphQL: `udv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{CreateUserInput, UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await?;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.users().set_udf_value(&user.id, [("age", 36.into())]).await?;
    /// let data = management.users().get_udf_value(&user.id).await?;
    /// assert_eq!(data["age"].as_i64(), Some(36));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_udf_value(&self, user_id: &str) -> Result<CustomData> {
        Ok(custom_data_from_entries(self.list_udv(user_id).await?))
    }

    /// The custom data of several users: user id → key → value.
    ///
    /// GraphQL: `udfValueBatch`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let data = management.users().get_udf_value_batch(["u1", "u2"]).await?;
    /// assert!(data.values().all(|d| d.is_empty()));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn get_udf_value_batch<I, S>(&self, user_ids: I) -> Result<BTreeMap<String, CustomData>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = user_ids.into_iter().map(Into::into).collect();
        self.client.udf_value_batch(&UdfTargetType::User, ids).await
    }

    /// Sets custom data values of a user; each key must be a defined field and each value of its type. An empty
    /// set sends nothing.
    ///
    /// GraphQL: `setUdvBatch`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an undefined key, a value of the wrong type, an unknown user), or transport errors.
    pub async fn set_udf_value<I, K>(&self, user_id: &str, data: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, UdfValue)>,
        K: Into<String>,
    {
        self.client.set_udv_batch(&UdfTargetType::User, user_id, data).await.map(drop)
    }

    /// Sets custom data values of several users at once: user id → key → value. All or nothing.
    ///
    /// GraphQL: `setUdfValueBatch`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{CreateUserInput, CustomData, UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await?;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let data = CustomData::from([("school".to_owned(), "ucla".into())]);
    /// management.users().set_udf_value_batch([(user.id.clone(), data)]).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an undefined key, a value of the wrong type), or transport errors.
    pub async fn set_udf_value_batch<I, S>(&self, data: I) -> Result<()>
    where
        I: IntoIterator<Item = (S, CustomData)>,
        S: Into<String>,
    {
        self.client.set_udf_value_batch(&UdfTargetType::User, data).await
    }

    /// Removes one custom data value of a user.
    ///
    /// GraphQL: `removeUdv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{CreateUserInput, UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await?;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// management.users().set_udf_value(&user.id, [("age", 36.into())]).await?;
    /// management.users().remove_udf_value(&user.id, "age").await?;
    /// assert!(management.users().get_udf_value(&user.id).await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_udf_value(&self, user_id: &str, key: &str) -> Result<()> {
        self.remove_udv(user_id, key).await.map(drop)
    }

    /// The custom data of a user with each field's data type and label (the `udv` list).
    /// [`get_udf_value`](Self::get_udf_value) gives the same values as a map.
    ///
    /// GraphQL: `udv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.users().list_udv("000000000000000000000000").await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn list_udv(&self, user_id: &str) -> Result<Vec<UdfEntry>> {
        self.client.udv(&UdfTargetType::User, user_id).await
    }

    /// Sets one custom data value and returns the user's whole list of values (the legacy `setUdv`; see
    /// [`set_udf_value`](Self::set_udf_value) for several at once).
    ///
    /// GraphQL: `setUdv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{CreateUserInput, UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::User, "vip", UdfDataType::Boolean, "VIP").send().await?;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// let all = management.users().set_udv(&user.id, "vip", true.into()).await?;
    /// assert_eq!(all[0].value.as_bool(), Some(true));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an undefined key, a value of the wrong type, an unknown user), or transport errors.
    pub async fn set_udv(&self, user_id: &str, key: &str, value: UdfValue) -> Result<Vec<UdfEntry>> {
        self.client.set_udv(&UdfTargetType::User, user_id, key, &value).await
    }

    /// Removes one custom data value and returns the values left (the legacy `removeUdv`; see
    /// [`remove_udf_value`](Self::remove_udf_value)).
    ///
    /// GraphQL: `removeUdv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let user = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// assert!(management.users().remove_udv(&user.id, "age").await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_udv(&self, user_id: &str, key: &str) -> Result<Vec<UdfEntry>> {
        self.client.remove_udv(&UdfTargetType::User, user_id, key).await
    }

    async fn encrypt_optional(&self, password: Option<&crate::Password>) -> Result<Option<String>> {
        match password {
            Some(password) => self.client.encrypt_password(password).await.map(Some),
            None => Ok(None),
        }
    }
}

/// A create or update input with its password replaced by the encrypted one.
#[derive(Serialize)]
struct WireInput<'i, I> {
    #[serde(flatten)]
    input: &'i I,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

/// Builds [`Users::list`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: ListVars,
}

impl ListUsersBuilder<'_> {
    page_setters!();

    /// The order (default newest first).
    pub fn sort_by(mut self, sort_by: SortBy) -> Self {
        self.vars.sort_by = Some(sort_by);
        self
    }

    /// Leaves out the users that belong to an organization.
    pub fn exclude_users_in_org(mut self, exclude: bool) -> Self {
        self.vars.exclude_users_in_org = Some(exclude);
        self
    }

    /// Includes each user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.vars.with_custom_data = with;
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| Box::pin(async move { client.root(USERS, &vars).await }))
            .await
    }
}

/// Builds [`Users::list_archived_users`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListArchivedUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: ArchivedVars,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArchivedVars {
    #[serde(flatten)]
    page: PageLimit,
    with_custom_data: bool,
}

paged_vars!(ArchivedVars);

impl ListArchivedUsersBuilder<'_> {
    page_setters!();

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move { client.root(ARCHIVED_USERS, &vars).await })
        })
        .await
    }
}

/// Builds [`Users::create`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateUserBuilder<'a> {
    client: &'a ManagementClient,
    input: CreateUserInput,
    keep_password: Option<bool>,
    reset_password_on_first_login: Option<bool>,
    identity: Option<IdentityInput>,
    custom_data: CustomData,
}

impl CreateUserBuilder<'_> {
    /// Stores the password as given (for migrations where it is already final).
    pub fn keep_password(mut self, keep: bool) -> Self {
        self.keep_password = Some(keep);
        self
    }

    /// Makes the user choose a new password at first login.
    pub fn reset_password_on_first_login(mut self, reset: bool) -> Self {
        self.reset_password_on_first_login = Some(reset);
        self
    }

    /// Attaches an identity at an identity provider.
    pub fn identity(mut self, identity: IdentityInput) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Sets one custom data value at creation (the field must be defined).
    pub fn custom_data(mut self, key: impl Into<String>, value: impl Into<UdfValue>) -> Self {
        self.custom_data.insert(key.into(), value.into());
        self
    }

    /// Creates the user. With custom data set, the returned user carries it.
    ///
    /// # Errors
    /// Authing's refusal (no identifier; an identifier taken: 2026, 2034, 2035; an undefined custom field or a
    /// value of the wrong type), or encryption and transport errors.
    pub async fn send(self) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            user_info: WireInput<'v, CreateUserInput>,
            #[serde(skip_serializing_if = "Option::is_none")]
            keep_password: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            reset_password_on_first_login: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            identity: Option<&'v IdentityInput>,
            #[serde(skip_serializing_if = "Option::is_none")]
            params: Option<String>,
            with_custom_data: bool,
        }
        let users = Users { client: self.client };
        let password = users.encrypt_optional(self.input.password.as_ref()).await?;
        let params = crate::models::custom_data_params(&self.custom_data);
        let vars = Vars {
            user_info: WireInput { input: &self.input, password },
            keep_password: self.keep_password,
            reset_password_on_first_login: self.reset_password_on_first_login,
            identity: self.identity.as_ref(),
            with_custom_data: params.is_some(),
            params,
        };
        self.client.root(CREATE_USER, &vars).await
    }
}

/// Builds [`Users::detail`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UserDetailBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    with_custom_data: bool,
}

impl UserDetailBuilder<'_> {
    /// Includes the user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.with_custom_data = with;
        self
    }

    /// Fetches the user; `None` when there is none.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn send(self) -> Result<Option<User>> {
        let flag = if self.with_custom_data { "1" } else { "0" };
        let query = [("with_custom_data", flag)];
        self.client.rest(RestCall::get("users.detail", &["users", &self.user_id]).query(&query)).await
    }
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct FindVars {
    email: Option<String>,
    phone: Option<String>,
    username: Option<String>,
    external_id: Option<String>,
    identity: Option<IdentityQuery>,
    with_custom_data: bool,
}

/// The setters of the lookups by one identifier of the user.
macro_rules! identifier_setters {
    () => {
        /// By e-mail address (case does not matter).
        pub fn email(mut self, email: impl Into<String>) -> Self {
            self.vars.email = Some(email.into());
            self
        }

        /// By phone number.
        pub fn phone(mut self, phone: impl Into<String>) -> Self {
            self.vars.phone = Some(phone.into());
            self
        }

        /// By username.
        pub fn username(mut self, username: impl Into<String>) -> Self {
            self.vars.username = Some(username.into());
            self
        }

        /// By external id.
        pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
            self.vars.external_id = Some(external_id.into());
            self
        }
    };
}

/// Builds [`Users::find`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct FindUserBuilder<'a> {
    client: &'a ManagementClient,
    vars: FindVars,
}

impl FindUserBuilder<'_> {
    identifier_setters!();

    /// By an identity at an identity provider.
    pub fn identity(mut self, identity: IdentityQuery) -> Self {
        self.vars.identity = Some(identity);
        self
    }

    /// Includes the user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.vars.with_custom_data = with;
        self
    }

    /// Finds the user; `None` when nobody matches.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Option<User>> {
        self.client.root(FIND_USER, &self.vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchVars {
    query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<String>>,
    #[serde(flatten)]
    page: PageLimit,
    with_custom_data: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    department_opts: Vec<DepartmentOpt>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    group_opts: Vec<GroupOpt>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    role_opts: Vec<RoleOpt>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct DepartmentOpt {
    department_id: String,
    include_children_departments: bool,
}

#[derive(Debug, Clone, Serialize)]
struct GroupOpt {
    code: String,
}

#[derive(Debug, Clone, Serialize)]
struct RoleOpt {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    code: String,
}

/// Builds [`Users::search`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct SearchUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: SearchVars,
}

paged_vars!(SearchVars);

impl SearchUsersBuilder<'_> {
    page_setters!();

    /// Searches only these fields (`username`, `email`, `phone`, `nickname` ...).
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.vars.fields = Some(fields.into_iter().map(Into::into).collect());
        self
    }

    /// Only users of this department (and of its children when `include_children`).
    pub fn department(mut self, department_id: impl Into<String>, include_children: bool) -> Self {
        self.vars.department_opts.push(DepartmentOpt {
            department_id: department_id.into(),
            include_children_departments: include_children,
        });
        self
    }

    /// Only members of this group.
    pub fn group(mut self, code: impl Into<String>) -> Self {
        self.vars.group_opts.push(GroupOpt { code: code.into() });
        self
    }

    /// Only users with this role (`None` namespace: the `default` one).
    pub fn role(mut self, namespace: Option<&str>, code: impl Into<String>) -> Self {
        self.vars.role_opts.push(RoleOpt { namespace: namespace.map(str::to_owned), code: code.into() });
        self
    }

    /// Includes each user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.vars.with_custom_data = with;
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move { client.root(SEARCH_USER, &vars).await })
        })
        .await
    }
}

/// Builds [`Users::batch_get`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct BatchGetUsersBuilder<'a> {
    client: &'a ManagementClient,
    ids: Vec<String>,
    field: BatchField,
    with_custom_data: bool,
}

impl BatchGetUsersBuilder<'_> {
    /// Which identifier the values are (default: user ids).
    pub fn by(mut self, field: BatchField) -> Self {
        self.field = field;
        self
    }

    /// Includes each user's custom data.
    pub fn with_custom_data(mut self, with: bool) -> Self {
        self.with_custom_data = with;
        self
    }

    /// Fetches the users, in the order of the identifiers given; an empty list sends nothing.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Vec<User>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            ids: &'v [String],
            #[serde(rename = "type")]
            field: BatchField,
            with_custom_data: bool,
        }
        if self.ids.is_empty() {
            return Ok(Vec::new());
        }
        let vars = Vars { ids: &self.ids, field: self.field, with_custom_data: self.with_custom_data };
        self.client.root(USER_BATCH, &vars).await
    }
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExistsVars {
    email: Option<String>,
    phone: Option<String>,
    username: Option<String>,
    external_id: Option<String>,
}

/// Builds [`Users::exists`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UserExistsBuilder<'a> {
    client: &'a ManagementClient,
    vars: ExistsVars,
}

impl UserExistsBuilder<'_> {
    identifier_setters!();

    /// Asks Authing.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<bool> {
        let exists: Option<bool> = self.client.root(IS_USER_EXISTS, &self.vars).await?;
        Ok(exists.unwrap_or(false))
    }
}

/// The query of `GET /api/v2/analysis/user-action`.
#[derive(Debug, Clone, Default, Serialize)]
struct ActionVars {
    #[serde(flatten)]
    page: PageLimit,
    #[serde(rename = "clientip")]
    client_ip: Option<String>,
    operation_name: Option<String>,
    operator_arn: Option<String>,
    #[serde(rename = "userId")]
    user_id: Option<String>,
    app_id: Option<String>,
    start: Option<u64>,
    end: Option<u64>,
}

/// Builds [`Users::list_user_actions`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListUserActionsBuilder<'a> {
    client: &'a ManagementClient,
    vars: ActionVars,
}

impl<'a> ListUserActionsBuilder<'a> {
    /// A builder of the whole log (also [`Statistics::list_user_actions`](super::Statistics::list_user_actions)).
    pub(super) fn new(client: &'a ManagementClient) -> Self {
        ListUserActionsBuilder { client, vars: ActionVars::default() }
    }

    page_setters!();

    /// Only actions from this client IP.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.vars.client_ip = Some(ip.into());
        self
    }

    /// Only actions of this kind (`createUser`, `login` ...).
    pub fn operation_name(mut self, name: impl Into<String>) -> Self {
        self.vars.operation_name = Some(name.into());
        self
    }

    /// Only actions by this operator (`arn:cn:authing:{pool}:user:{id}`).
    pub fn operator_arn(mut self, arn: impl Into<String>) -> Self {
        self.vars.operator_arn = Some(arn.into());
        self
    }

    /// Only actions of this user (by id; the JS SDK's `userId`).
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.vars.user_id = Some(user_id.into());
        self
    }

    /// Only actions in this application.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.vars.app_id = Some(app_id.into());
        self
    }

    /// Only actions at or after this time, in milliseconds since the Unix epoch.
    pub fn start(mut self, millis: u64) -> Self {
        self.vars.start = Some(millis);
        self
    }

    /// Only actions at or before this time, in milliseconds since the Unix epoch.
    pub fn end(mut self, millis: u64) -> Self {
        self.vars.end = Some(millis);
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<UserAction>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move {
                let call = RestCall::get("users.list_user_actions", &["analysis", "user-action"]);
                client.rest(call.query(&vars)).await
            })
        })
        .await
    }
}

paged_vars!(ActionVars);

/// Builds [`Users::logout`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct LogoutUserBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    app_id: Option<String>,
}

impl LogoutUserBuilder<'_> {
    /// Only from this application.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Logs the user out.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn send(self) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Query<'q> {
            app_id: Option<&'q str>,
            user_id: &'q str,
        }
        let query = Query { app_id: self.app_id.as_deref(), user_id: &self.user_id };
        let call = RestCall::get("users.logout", &[]).under_host_root(&["logout"]).query(&query);
        let _: serde::de::IgnoredAny = self.client.rest(call).await?;
        Ok(())
    }
}

/// Builds [`Users::check_login_status`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CheckLoginStatusBuilder<'a> {
    client: &'a ManagementClient,
    user_id: String,
    app_id: Option<String>,
    device_id: Option<String>,
}

impl CheckLoginStatusBuilder<'_> {
    /// In this application only.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// On this device only.
    pub fn device_id(mut self, device_id: impl Into<String>) -> Self {
        self.device_id = Some(device_id.into());
        self
    }

    /// Asks Authing.
    ///
    /// # Errors
    /// Authing's refusal (2004 for an unknown user), or transport and decode errors.
    pub async fn send(self) -> Result<LoginStatus> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Query<'q> {
            app_id: Option<&'q str>,
            user_id: &'q str,
            device_id: Option<&'q str>,
        }
        let query =
            Query { app_id: self.app_id.as_deref(), user_id: &self.user_id, device_id: self.device_id.as_deref() };
        self.client.rest(RestCall::get("users.login_status", &["users", "login-status"]).query(&query)).await
    }
}
