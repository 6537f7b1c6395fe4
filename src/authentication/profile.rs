//! The logged-in user: profile, phone and e-mail, linked accounts, custom data, and what the user may see.

use serde::{Deserialize, Serialize};

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::{
    Application, AuthorizedResource, CustomData, OrgPath, ResourceType, Role, SecurityLevel, UdfEntry, UdfTargetType,
    UdfValue, UpdateUserInput, User, UserDepartment, custom_data_from_entries,
};
use crate::page::{Page, WirePage};
use crate::secret::AccessToken;
use crate::transport::{Operation, PageQuery, RestCall};

const UPDATE_PROFILE: Operation<'static> =
    operation!("authentication", "update_profile", "update_profile.graphql", "user.graphql");
const UPDATE_PHONE: Operation<'static> =
    operation!("authentication", "update_phone", "update_phone.graphql", "user.graphql");
const UPDATE_EMAIL: Operation<'static> =
    operation!("authentication", "update_email", "update_email.graphql", "user.graphql");
const BIND_PHONE: Operation<'static> = operation!("authentication", "bind_phone", "bind_phone.graphql", "user.graphql");
const BIND_EMAIL: Operation<'static> = operation!("authentication", "bind_email", "bind_email.graphql", "user.graphql");
const UNBIND_PHONE: Operation<'static> =
    operation!("authentication", "unbind_phone", "unbind_phone.graphql", "user.graphql");
const UNBIND_EMAIL: Operation<'static> =
    operation!("authentication", "unbind_email", "unbind_email.graphql", "user.graphql");
const UDV: Operation<'static> = operation!("authentication", "get_udf_value", "udv.graphql");
const SET_UDV_BATCH: Operation<'static> = operation!("authentication", "set_udf_value", "set_udv_batch.graphql");
const REMOVE_UDV: Operation<'static> = operation!("authentication", "remove_udf_value", "remove_udv.graphql");
const USER_ROLES: Operation<'static> =
    operation!("authentication", "list_roles", "get_user_roles.graphql", "role.graphql");
const USER_RESOURCES: Operation<'static> = operation!(
    "authentication",
    "list_authorized_resources",
    "list_user_authorized_resources.graphql",
    "authorized_resource.graphql"
);
const USER_DEPARTMENTS: Operation<'static> =
    operation!("authentication", "list_departments", "get_user_departments.graphql");
const IS_USER_EXISTS: Operation<'static> = operation!("authentication", "is_user_exists", "is_user_exists.graphql");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserTarget<'v> {
    target_type: UdfTargetType,
    target_id: &'v str,
}

impl AuthenticationClient {
    /// The logged-in user, as the server sees the held token.
    ///
    /// REST: `GET /api/v2/users/me`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// let registered = app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let me = app.get_current_user().await?;
    /// assert_eq!(me.id, registered.id);
    /// assert!(app.without_token().get_current_user().await.is_err(), "nobody is logged in there");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (2020
    /// for an invalid token).
    pub async fn get_current_user(&self) -> Result<User> {
        self.rest(Auth::User, RestCall::get("authentication.get_current_user", &["users", "me"])).await
    }

    /// Changes the logged-in user's profile. Phone, e-mail, union id and open id cannot change this way (use the
    /// bind and update calls with a code), nor can the password (use [`update_password`](Self::update_password)):
    /// a password set in `updates` is not sent.
    ///
    /// GraphQL: `updateUser`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::UpdateUserInput;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let me = app.update_profile(UpdateUserInput::default().nickname("Countess")).await?;
    /// assert_eq!(me.nickname.as_deref(), Some("Countess"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (a
    /// field an end user may not change), or transport errors.
    pub async fn update_profile(&self, updates: UpdateUserInput) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            id: String,
            input: &'v UpdateUserInput,
            with_custom_data: bool,
        }
        let id = self.current_user_id().await?;
        self.root(Auth::User, UPDATE_PROFILE, &Vars { id, input: &updates, with_custom_data: false }).await
    }

    /// Replaces the logged-in user's phone number, with the code sent to the new number (and, when the pool asks
    /// for it, the old number and its code).
    ///
    /// GraphQL: `updatePhone`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.send_sms_code("13800000000").await?;
    /// let code = emulator.verification_code("13800000000").unwrap();
    /// app.login_by_phone_code("13800000000", &code).auto_register(true).send().await?;
    /// app.send_sms_code("13900000000").await?;
    /// let code = emulator.verification_code("13900000000").unwrap();
    /// let me = app.update_phone("13900000000", &code).send().await?;
    /// assert_eq!(me.phone.as_deref(), Some("13900000000"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_phone(&self, phone: &str, code: &str) -> UpdateContactBuilder<'_> {
        UpdateContactBuilder::new(self, Contact::Phone, phone, code)
    }

    /// Replaces the logged-in user's e-mail address, with the code sent to the new address (and, when the pool
    /// asks for it, the old address and its code).
    ///
    /// GraphQL: `updateEmail`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::EmailScene;
    /// app.register_by_email("ada@example.com", "Passw0rd!").force_login(true).send().await?;
    /// app.send_email("countess@example.com", EmailScene::ChangeEmail).await?;
    /// let code = emulator.verification_code("countess@example.com").unwrap();
    /// let me = app.update_email("countess@example.com", &code).send().await?;
    /// assert_eq!(me.email.as_deref(), Some("countess@example.com"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_email(&self, email: &str, code: &str) -> UpdateContactBuilder<'_> {
        UpdateContactBuilder::new(self, Contact::Email, email, code)
    }

    /// Binds a phone number to the logged-in user, with the code sent to it.
    ///
    /// GraphQL: `bindPhone`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_email("ada@example.com", "Passw0rd!").force_login(true).send().await?;
    /// app.send_sms_code("13800000000").await?;
    /// let code = emulator.verification_code("13800000000").unwrap();
    /// assert_eq!(app.bind_phone("13800000000", &code).await?.phone.as_deref(), Some("13800000000"));
    /// assert!(app.unbind_phone().await?.phone.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (a wrong
    /// code, the number bound to someone else: 2035), or transport errors.
    pub async fn bind_phone(&self, phone: &str, code: &str) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            phone: &'v str,
            phone_code: &'v str,
            with_custom_data: bool,
        }
        self.root(Auth::User, BIND_PHONE, &Vars { phone, phone_code: code, with_custom_data: false }).await
    }

    /// Removes the phone number of the logged-in user, who must keep another way to log in.
    ///
    /// GraphQL: `unbindPhone`
    ///
    /// See [`bind_phone`](Self::bind_phone) for an example.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (no other
    /// way to log in), or transport errors.
    pub async fn unbind_phone(&self) -> Result<User> {
        self.root(Auth::User, UNBIND_PHONE, &WithoutCustomData::default()).await
    }

    /// Binds an e-mail address to the logged-in user, with the code sent to it.
    ///
    /// GraphQL: `bindEmail`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::EmailScene;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// app.send_email("ada@example.com", EmailScene::EmailBindVerifyCode).await?;
    /// let code = emulator.verification_code("ada@example.com").unwrap();
    /// assert_eq!(app.bind_email("ada@example.com", &code).await?.email.as_deref(), Some("ada@example.com"));
    /// assert!(app.unbind_email().await?.email.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (a wrong
    /// code, the address taken), or transport errors.
    pub async fn bind_email(&self, email: &str, code: &str) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            email: &'v str,
            email_code: &'v str,
            with_custom_data: bool,
        }
        self.root(Auth::User, BIND_EMAIL, &Vars { email, email_code: code, with_custom_data: false }).await
    }

    /// Removes the e-mail address of the logged-in user, who must keep another way to log in.
    ///
    /// GraphQL: `unbindEmail`
    ///
    /// See [`bind_email`](Self::bind_email) for an example.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal, or
    /// transport errors.
    pub async fn unbind_email(&self) -> Result<User> {
        self.root(Auth::User, UNBIND_EMAIL, &WithoutCustomData::default()).await
    }

    /// Links a secondary account (a social identity's user) into the primary user, given both users' tokens.
    ///
    /// REST: `POST /api/v2/users/link`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// use authing::AccessToken;
    /// app.link_account(&AccessToken::new("primary user's token"), &AccessToken::new("secondary user's token")).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an invalid token), or transport errors.
    pub async fn link_account(
        &self,
        primary_user_token: &AccessToken,
        secondary_user_token: &AccessToken,
    ) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            primary_user_token: &'b str,
            secondary_user_token: &'b str,
        }
        let body = Body {
            primary_user_token: primary_user_token.expose(),
            secondary_user_token: secondary_user_token.expose(),
        };
        let _: serde::de::IgnoredAny = self
            .rest(Auth::Anonymous, RestCall::post("authentication.link_account", &["users", "link"]).json(&body)?)
            .await?;
        Ok(())
    }

    /// Unlinks the identity of a provider from the primary user.
    ///
    /// REST: `POST /api/v2/users/unlink`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// use authing::AccessToken;
    /// app.unlink_account(&AccessToken::new("primary user's token"), "github").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an invalid token, no such identity), or transport errors.
    pub async fn unlink_account(&self, primary_user_token: &AccessToken, provider: &str) -> Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            primary_user_token: &'b str,
            provider: &'b str,
        }
        let body = Body { primary_user_token: primary_user_token.expose(), provider };
        let _: serde::de::IgnoredAny = self
            .rest(Auth::Anonymous, RestCall::post("authentication.unlink_account", &["users", "unlink"]).json(&body)?)
            .await?;
        Ok(())
    }

    /// The custom data of the logged-in user, key → typed value.
    ///
    /// GraphQL: `udv`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::{UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// app.set_udf_value([("school", "ucla".into())]).await?;
    /// assert_eq!(app.get_udf_value().await?["school"].as_str(), Some("ucla"));
    /// app.remove_udf_value("school").await?;
    /// assert!(app.get_udf_value().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn get_udf_value(&self) -> Result<CustomData> {
        let id = self.current_user_id().await?;
        let entries: Vec<UdfEntry> =
            self.root(Auth::User, UDV, &UserTarget { target_type: UdfTargetType::User, target_id: &id }).await?;
        Ok(custom_data_from_entries(entries))
    }

    /// Sets custom data values of the logged-in user; each key must be a defined field. An empty set sends nothing.
    ///
    /// GraphQL: `setUdvBatch`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (an
    /// undefined key, a value of the wrong type), or transport errors.
    pub async fn set_udf_value<I, K>(&self, data: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, UdfValue)>,
        K: Into<String>,
    {
        #[derive(Serialize)]
        struct Udv {
            key: String,
            value: String,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            #[serde(flatten)]
            target: UserTarget<'v>,
            udv_list: Vec<Udv>,
        }
        let udv_list: Vec<Udv> =
            data.into_iter().map(|(key, value)| Udv { key: key.into(), value: value.to_wire() }).collect();
        if udv_list.is_empty() {
            return Ok(());
        }
        let id = self.current_user_id().await?;
        let vars = Vars { target: UserTarget { target_type: UdfTargetType::User, target_id: &id }, udv_list };
        let _: Option<Vec<UdfEntry>> = self.root(Auth::User, SET_UDV_BATCH, &vars).await?;
        Ok(())
    }

    /// Removes one custom data value of the logged-in user.
    ///
    /// GraphQL: `removeUdv`
    ///
    /// See [`get_udf_value`](Self::get_udf_value) for an example.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn remove_udf_value(&self, key: &str) -> Result<()> {
        #[derive(Serialize)]
        struct Vars<'v> {
            #[serde(flatten)]
            target: UserTarget<'v>,
            key: &'v str,
        }
        let id = self.current_user_id().await?;
        let vars = Vars { target: UserTarget { target_type: UdfTargetType::User, target_id: &id }, key };
        let _: Option<Vec<UdfEntry>> = self.root(Auth::User, REMOVE_UDV, &vars).await?;
        Ok(())
    }

    /// The roles of the logged-in user (every namespace, or only `namespace`).
    ///
    /// GraphQL: `getUserRoles`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// management.roles().create("editor").send().await?;
    /// let ada = app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// management.users().add_roles(&ada.id, ["editor"]).send().await?;
    /// assert_eq!(app.list_roles(None).await?[0].code, "editor");
    /// assert!(app.has_role("editor", None).await?);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn list_roles(&self, namespace: Option<&str>) -> Result<Vec<Role>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        #[derive(Deserialize)]
        struct Roles {
            roles: Option<WirePage<Role>>,
        }
        let id = self.current_user_id().await?;
        let user: Option<Roles> = self.root(Auth::User, USER_ROLES, &Vars { id: &id, namespace }).await?;
        Ok(user.and_then(|u| u.roles).map(|r| r.list).unwrap_or_default())
    }

    /// Whether the logged-in user has a role (in the `default` namespace unless told otherwise).
    ///
    /// GraphQL: `getUserRoles`, compared here.
    ///
    /// See [`list_roles`](Self::list_roles) for an example.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn has_role(&self, code: &str, namespace: Option<&str>) -> Result<bool> {
        let namespace = namespace.unwrap_or("default");
        let roles = self.list_roles(Some(namespace)).await?;
        Ok(roles.iter().any(|role| role.code == code && role.namespace == namespace))
    }

    /// The resources the logged-in user is authorized on in a namespace.
    ///
    /// GraphQL: `listUserAuthorizedResources`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// assert!(app.list_authorized_resources("default", None).await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn list_authorized_resources(
        &self,
        namespace: &str,
        resource_type: Option<ResourceType>,
    ) -> Result<Vec<AuthorizedResource>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            id: &'v str,
            namespace: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            resource_type: Option<ResourceType>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Resources {
            authorized_resources: Option<WirePage<AuthorizedResource>>,
        }
        let id = self.current_user_id().await?;
        let user: Option<Resources> =
            self.root(Auth::User, USER_RESOURCES, &Vars { id: &id, namespace, resource_type }).await?;
        Ok(user.and_then(|u| u.authorized_resources).map(|r| r.list).unwrap_or_default())
    }

    /// The applications the logged-in user may use.
    ///
    /// REST: `GET /api/v2/users/me/applications/allowed`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let apps = app.list_applications().send().await?;
    /// assert!(apps.items.iter().any(|a| a.id == emulator.app_id()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_applications(&self) -> ListApplicationsBuilder<'_> {
        ListApplicationsBuilder { client: self, page: 1, limit: 10 }
    }

    /// The organizations of the logged-in user, each as the path of nodes from its root.
    ///
    /// REST: `GET /api/v2/users/me/orgs`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// assert!(app.list_orgs().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn list_orgs(&self) -> Result<Vec<OrgPath>> {
        let orgs: Option<Vec<OrgPath>> =
            self.rest(Auth::User, RestCall::get("authentication.list_orgs", &["users", "me", "orgs"])).await?;
        Ok(orgs.unwrap_or_default())
    }

    /// The departments of the logged-in user.
    ///
    /// GraphQL: `getUserDepartments`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// assert!(app.list_departments().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn list_departments(&self) -> Result<Vec<UserDepartment>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            id: &'v str,
        }
        #[derive(Deserialize)]
        struct Departments {
            departments: Option<WirePage<UserDepartment>>,
        }
        let id = self.current_user_id().await?;
        let user: Option<Departments> = self.root(Auth::User, USER_DEPARTMENTS, &Vars { id: &id }).await?;
        Ok(user.and_then(|u| u.departments).map(|d| d.list).unwrap_or_default())
    }

    /// How secure the logged-in user's account is.
    ///
    /// REST: `GET /api/v2/users/me/security-level`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_email("ada@example.com", "Passw0rd!").force_login(true).send().await?;
    /// let level = app.get_security_level().await?;
    /// assert!(level.email && level.password && !level.mfa);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn get_security_level(&self) -> Result<SecurityLevel> {
        self.rest(Auth::User, RestCall::get("authentication.get_security_level", &["users", "me", "security-level"]))
            .await
    }

    /// Whether a user with any of the identifiers given exists.
    ///
    /// GraphQL: `isUserExists`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").send().await?;
    /// assert!(app.is_user_exists(Some("ada"), None, None).await?);
    /// assert!(!app.is_user_exists(None, Some("nobody@example.com"), None).await?);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport errors.
    pub async fn is_user_exists(
        &self,
        username: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<bool> {
        #[derive(Serialize)]
        struct Vars<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            username: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            email: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            phone: Option<&'v str>,
        }
        let exists: Option<bool> = self.root(Auth::Anonymous, IS_USER_EXISTS, &Vars { username, email, phone }).await?;
        Ok(exists.unwrap_or(false))
    }
}

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct WithoutCustomData {
    with_custom_data: bool,
}

/// Which contact [`UpdateContactBuilder`] replaces.
#[derive(Debug, Clone, Copy)]
enum Contact {
    Phone,
    Email,
}

/// Builds [`AuthenticationClient::update_phone`] and [`AuthenticationClient::update_email`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UpdateContactBuilder<'a> {
    client: &'a AuthenticationClient,
    contact: Contact,
    new: String,
    code: String,
    old: Option<String>,
    old_code: Option<String>,
}

impl<'a> UpdateContactBuilder<'a> {
    fn new(client: &'a AuthenticationClient, contact: Contact, new: &str, code: &str) -> Self {
        Self { client, contact, new: new.to_owned(), code: code.to_owned(), old: None, old_code: None }
    }

    /// The current phone number or address and the code sent to it, when the pool requires both.
    pub fn old(mut self, old: impl Into<String>, old_code: impl Into<String>) -> Self {
        self.old = Some(old.into());
        self.old_code = Some(old_code.into());
        self
    }

    /// Replaces the phone number or address.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; Authing's refusal (a wrong,
    /// used or expired code; the new one taken), or transport errors.
    pub async fn send(self) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct PhoneVars<'v> {
            phone: &'v str,
            phone_code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            old_phone: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            old_phone_code: Option<&'v str>,
            with_custom_data: bool,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct EmailVars<'v> {
            email: &'v str,
            email_code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            old_email: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            old_email_code: Option<&'v str>,
            with_custom_data: bool,
        }
        let (old, old_code) = (self.old.as_deref(), self.old_code.as_deref());
        match self.contact {
            Contact::Phone => {
                let vars = PhoneVars {
                    phone: &self.new,
                    phone_code: &self.code,
                    old_phone: old,
                    old_phone_code: old_code,
                    with_custom_data: false,
                };
                self.client.root(Auth::User, UPDATE_PHONE, &vars).await
            }
            Contact::Email => {
                let vars = EmailVars {
                    email: &self.new,
                    email_code: &self.code,
                    old_email: old,
                    old_email_code: old_code,
                    with_custom_data: false,
                };
                self.client.root(Auth::User, UPDATE_EMAIL, &vars).await
            }
        }
    }
}

/// Builds [`AuthenticationClient::list_applications`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListApplicationsBuilder<'a> {
    client: &'a AuthenticationClient,
    page: u32,
    limit: u32,
}

impl ListApplicationsBuilder<'_> {
    /// The page to fetch, from 1 (default 1).
    pub fn page(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    /// The page size (default 10).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// Fetches the page.
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token; transport errors.
    pub async fn send(self) -> Result<Page<Application>> {
        let query = PageQuery { page: self.page, limit: self.limit };
        let call = RestCall::get("authentication.list_applications", &["users", "me", "applications", "allowed"]);
        let wire: WirePage<Application> = self.client.rest(Auth::User, call.query(&query)).await?;
        Ok(Page::new(wire.list, wire.total_count, self.page, self.limit))
    }
}

impl AuthenticationClient {
    /// The logged-in user's custom data: the legacy name of [`get_udf_value`](Self::get_udf_value).
    ///
    /// # Errors
    /// As [`get_udf_value`](Self::get_udf_value).
    #[deprecated(note = "use `get_udf_value`")]
    pub async fn list_udv(&self) -> Result<CustomData> {
        self.get_udf_value().await
    }

    /// Sets one custom data value of the logged-in user: the legacy form of
    /// [`set_udf_value`](Self::set_udf_value).
    ///
    /// # Errors
    /// As [`set_udf_value`](Self::set_udf_value).
    #[deprecated(note = "use `set_udf_value`")]
    pub async fn set_udv(&self, key: &str, value: UdfValue) -> Result<()> {
        self.set_udf_value([(key, value)]).await
    }

    /// Removes one custom data value of the logged-in user: the legacy name of
    /// [`remove_udf_value`](Self::remove_udf_value).
    ///
    /// # Errors
    /// As [`remove_udf_value`](Self::remove_udf_value).
    #[deprecated(note = "use `remove_udf_value`")]
    pub async fn remove_udv(&self, key: &str) -> Result<()> {
        self.remove_udf_value(key).await
    }
}
