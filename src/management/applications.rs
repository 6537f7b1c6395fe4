//! `management.applications()`: the pool's applications, their secrets, active users and sign-in agreements, and
//! the permissions of each application's own namespace (whose code is the application id), through the
//! [`Acl`](super::Acl) and [`Roles`](super::Roles) calls with that namespace.

use serde::Serialize;

use super::ManagementClient;
use super::acl::{AppAccessBuilder, ListResourcesBuilder, ResourceBuilder};
use super::paging::{PageLimit, WireFuture, WirePage, first_page, page_setters, paged_vars, strings};
use super::roles::{
    CreateRoleBuilder, ListRoleResourcesBuilder, ListRoleUsersBuilder, ListRolesBuilder, Roles, UpdateRoleBuilder,
};
use crate::error::Result;
use crate::models::{
    Agreement, AgreementUpdate, Application, ApplicationAccessPolicy, ApplicationType, CommonMessage, DefaultStrategy,
    PolicyAssignmentTargetType, ResourceAction, ResourceType, Role, User,
};
use crate::page::Page;
use crate::transport::{PageQuery, RestCall};

/// The pool's applications: `management.applications()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// let apps = management.applications();
/// let shop = apps.create("Shop", "shop", ["https://shop.example/callback"]).send().await?;
/// assert_eq!(shop.name.as_deref(), Some("Shop"));
/// let found = apps.find_by_id(&shop.id).await?;
/// assert_eq!(found.redirect_uris, ["https://shop.example/callback"]);
/// assert_eq!(apps.list().send().await?.total_count, 2, "the default application and the new one");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Applications<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// The pool's applications.
    pub fn applications(&self) -> Applications<'_> {
        Applications { client: self }
    }
}

/// The body of `POST /api/v2/applications/{appId}`: the fields it changes.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct UpdateBody<'b> {
    #[serde(skip_serializing_if = "Option::is_none")]
    permission_strategy: Option<StrategyBody<'b>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_type: Option<&'b ApplicationType>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StrategyBody<'b> {
    default_strategy: &'b DefaultStrategy,
}

impl<'a> Applications<'a> {
    /// Lists the pool's applications, newest first.
    ///
    /// REST: `GET /api/v2/applications?page=&limit=`
    ///
    /// See [`Applications`] for an example.
    pub fn list(&self) -> ListApplicationsBuilder<'a> {
        ListApplicationsBuilder { client: self.client, vars: ListVars { page: PageLimit::default() } }
    }

    /// Creates an application with its name, identifier (second-level domain) and redirect URIs.
    ///
    /// REST: `POST /api/v2/applications`
    ///
    /// See [`Applications`] for an example.
    pub fn create<I, S>(&self, name: &str, identifier: &str, redirect_uris: I) -> CreateApplicationBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CreateApplicationBuilder {
            client: self.client,
            name: name.to_owned(),
            identifier: identifier.to_owned(),
            redirect_uris: strings(redirect_uris),
            logo: None,
        }
    }

    /// An application by id.
    ///
    /// REST: `GET /api/v2/applications/{appId}`
    ///
    /// See [`Applications`] for an example.
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn find_by_id(&self, app_id: &str) -> Result<Application> {
        self.client.rest(RestCall::get("applications.find_by_id", &["applications", app_id])).await
    }

    /// Deletes an application.
    ///
    /// REST: `DELETE /api/v2/applications/{appId}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let apps = management.applications();
    /// let shop = apps.create("Shop", "shop", ["https://shop.example/cb"]).send().await?;
    /// apps.delete(&shop.id).await?;
    /// assert!(apps.find_by_id(&shop.id).await.is_err());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport errors.
    pub async fn delete(&self, app_id: &str) -> Result<()> {
        self.send(RestCall::delete("applications.delete", &["applications", app_id])).await
    }

    /// Gives an application a new secret; the old one no longer authenticates its clients.
    ///
    /// REST: `PATCH /api/v2/application/{appId}/refresh-secret`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let refreshed = management.applications().refresh_application_secret(emulator.app_id()).await?;
    /// let secret = refreshed.secret.expect("management answers carry the secret");
    /// assert_eq!(secret.expose(), emulator.app_secret());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn refresh_application_secret(&self, app_id: &str) -> Result<Application> {
        let call =
            RestCall::patch("applications.refresh_application_secret", &["application", app_id, "refresh-secret"]);
        self.client.rest(call).await
    }

    /// The users signed in to an application (holding a live token of it).
    ///
    /// REST: `GET /api/v2/applications/{appId}/active-users?page=&limit=`. The official Python SDK loses the
    /// `limit` parameter on the way; this one sends it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let page = management.applications().active_users(emulator.app_id()).limit(50).send().await?;
    /// assert_eq!(page.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn active_users(&self, app_id: &str) -> ActiveUsersBuilder<'a> {
        ActiveUsersBuilder {
            client: self.client,
            vars: ActiveUsersVars { app_id: app_id.to_owned(), page: PageLimit::default() },
        }
    }

    /// Sets whom an application serves (JS `changeApplicationType`).
    ///
    /// REST: `POST /api/v2/applications/{appId}` `{appType}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::ApplicationType;
    /// let app = management.applications().change_application_type(emulator.app_id(), ApplicationType::Both).await?;
    /// assert_eq!(app.app_type, Some(ApplicationType::Both));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn change_application_type(&self, app_id: &str, app_type: ApplicationType) -> Result<Application> {
        let body = UpdateBody { app_type: Some(&app_type), ..UpdateBody::default() };
        self.update(app_id, "applications.change_application_type", &body).await
    }

    async fn update(&self, app_id: &str, op: &'static str, body: &UpdateBody<'_>) -> Result<Application> {
        self.client.rest(RestCall::post(op, &["applications", app_id]).json(body)?).await
    }

    // ---- agreements ----------------------------------------------------------------------------------------

    /// Adds an agreement shown at sign-in (required, in `zh-CN`, unless the builder says otherwise).
    ///
    /// REST: `POST /api/v2/applications/{appId}/agreements`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::AgreementUpdate;
    /// let (apps, app) = (management.applications(), emulator.app_id());
    /// let terms = apps.create_agreement(app, "Terms").send().await?;
    /// let privacy = apps.create_agreement(app, "Privacy").required(false).lang("en-US").send().await?;
    /// apps.sort_agreement(app, [privacy.id, terms.id]).await?;
    /// let titles: Vec<String> = apps.list_agreements(app).await?.into_iter().map(|a| a.title).collect();
    /// assert_eq!(titles, ["Privacy", "Terms"]);
    /// let terms = apps.modify_agreement(app, terms.id, AgreementUpdate::default().title("Terms v2")).await?;
    /// assert_eq!(terms.title, "Terms v2");
    /// apps.delete_agreement(app, privacy.id).await?;
    /// assert_eq!(apps.list_agreements(app).await?.len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_agreement(&self, app_id: &str, title: &str) -> CreateAgreementBuilder<'a> {
        CreateAgreementBuilder {
            client: self.client,
            app_id: app_id.to_owned(),
            title: title.to_owned(),
            required: true,
            lang: "zh-CN".to_owned(),
        }
    }

    /// The agreements of an application, in display order.
    ///
    /// REST: `GET /api/v2/applications/{appId}/agreements`
    ///
    /// See [`create_agreement`](Self::create_agreement) for an example.
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn list_agreements(&self, app_id: &str) -> Result<Vec<Agreement>> {
        let call = RestCall::get("applications.list_agreements", &["applications", app_id, "agreements"]);
        let found: WirePage<Agreement> = self.client.rest(call).await?;
        Ok(found.list)
    }

    /// Changes an agreement's title, `required` flag or language (only the fields the update sets).
    ///
    /// REST: `PUT /api/v2/applications/{appId}/agreements/{agreementId}`. The official Python SDK resets
    /// `required` and `lang` to their defaults when they are not given; this one leaves them.
    ///
    /// See [`create_agreement`](Self::create_agreement) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application or agreement), or transport and decode errors.
    pub async fn modify_agreement(
        &self,
        app_id: &str,
        agreement_id: i64,
        update: AgreementUpdate,
    ) -> Result<Agreement> {
        let id = agreement_id.to_string();
        let call = RestCall::put("applications.modify_agreement", &["applications", app_id, "agreements", &id]);
        self.client.rest(call.json(&update)?).await
    }

    /// Removes an agreement.
    ///
    /// REST: `DELETE /api/v2/applications/{appId}/agreements/{agreementId}`
    ///
    /// See [`create_agreement`](Self::create_agreement) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application or agreement), or transport errors.
    pub async fn delete_agreement(&self, app_id: &str, agreement_id: i64) -> Result<()> {
        let id = agreement_id.to_string();
        self.send(RestCall::delete("applications.delete_agreement", &["applications", app_id, "agreements", &id])).await
    }

    /// Sets the display order of the agreements: those given first, in that order.
    ///
    /// REST: `POST /api/v2/applications/{appId}/agreements/sort` `{ids}`
    ///
    /// See [`create_agreement`](Self::create_agreement) for an example.
    ///
    /// # Errors
    /// Authing's refusal (an unknown application or agreement), or transport errors.
    pub async fn sort_agreement<I: IntoIterator<Item = i64>>(&self, app_id: &str, order: I) -> Result<()> {
        #[derive(Serialize)]
        struct Body {
            ids: Vec<i64>,
        }
        let body = Body { ids: order.into_iter().collect() };
        let call = RestCall::post("applications.sort_agreement", &["applications", app_id, "agreements", "sort"]);
        self.send(call.json(&body)?).await
    }

    // ---- the application's namespace: resources -----------------------------------------------------------

    /// Lists the resources of the application's namespace ([`Acl::list_resources`](super::Acl::list_resources)
    /// with the app id as namespace).
    ///
    /// REST: `GET /api/v2/resources?namespace={appId}`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{ResourceAction, ResourceType};
    /// let (apps, app) = (management.applications(), emulator.app_id());
    /// let actions = [ResourceAction::new("books:read", "Read")];
    /// let books = apps.create_resource(app, "books", ResourceType::Data, actions).send().await?;
    /// assert_eq!(books.code, "books");
    /// apps.update_resource(app, "books").description("All the books").send().await?;
    /// let page = apps.list_resources(app).send().await?;
    /// assert_eq!(page.items[0].description.as_deref(), Some("All the books"));
    /// apps.delete_resource(app, "books").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_resources(&self, app_id: &str) -> ListResourcesBuilder<'a> {
        self.client.acl().list_resources(app_id)
    }

    /// Creates a resource in the application's namespace.
    ///
    /// REST: `POST /api/v2/resources` with `namespace` = the app id
    ///
    /// See [`list_resources`](Self::list_resources) for an example.
    pub fn create_resource<I>(
        &self,
        app_id: &str,
        code: &str,
        resource_type: ResourceType,
        actions: I,
    ) -> ResourceBuilder<'a>
    where
        I: IntoIterator<Item = ResourceAction>,
    {
        self.client.acl().create_resource(app_id, code, resource_type, actions)
    }

    /// Changes a resource of the application's namespace (its actions are replaced when given).
    ///
    /// REST: `POST /api/v2/resources/{code}` with `namespace` = the app id
    ///
    /// See [`list_resources`](Self::list_resources) for an example.
    pub fn update_resource(&self, app_id: &str, code: &str) -> ResourceBuilder<'a> {
        self.client.acl().update_resource(app_id, code)
    }

    /// Deletes a resource of the application's namespace.
    ///
    /// REST: `DELETE /api/v2/resources/{code}?namespace={appId}`
    ///
    /// See [`list_resources`](Self::list_resources) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete_resource(&self, app_id: &str, code: &str) -> Result<()> {
        self.client.acl().delete_resource(app_id, code).await
    }

    // ---- the application's namespace: roles -------------------------------------------------------------

    /// The roles of the application's namespace: [`Roles`] with the app id as namespace.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let app = emulator.app_id();
    /// let role = management.applications().roles(app).create("editor").send().await?;
    /// assert_eq!(role.namespace, app);
    /// # Ok(())
    /// # }
    /// ```
    pub fn roles(&self, app_id: &'a str) -> Roles<'a> {
        self.client.roles().namespace(app_id)
    }

    /// Creates a role in the application's namespace (JS `createRole`).
    ///
    /// GraphQL: `createRole` with `namespace` = the app id
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let (apps, app) = (management.applications(), emulator.app_id());
    /// apps.create_role(app, "editor").description("Edits").send().await?;
    /// apps.update_role(app, "editor").new_code("reviewer").send().await?;
    /// assert!(apps.find_role(app, "editor").await?.is_none());
    /// assert_eq!(apps.get_roles(app).send().await?.items[0].code, "reviewer");
    /// apps.delete_role(app, "reviewer").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_role(&self, app_id: &'a str, code: &str) -> CreateRoleBuilder<'a> {
        self.roles(app_id).create(code)
    }

    /// Deletes a role of the application's namespace (JS `deleteRole`).
    ///
    /// GraphQL: `deleteRole`
    ///
    /// See [`create_role`](Self::create_role) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn delete_role(&self, app_id: &'a str, code: &str) -> Result<CommonMessage> {
        self.roles(app_id).delete(code).await
    }

    /// Deletes roles of the application's namespace (JS `deleteRoles`).
    ///
    /// GraphQL: `deleteRoles`
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn delete_roles<I, S>(&self, app_id: &'a str, codes: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.roles(app_id).delete_many(codes).await
    }

    /// Changes or renames a role of the application's namespace (JS `updateRole`).
    ///
    /// GraphQL: `updateRole`
    ///
    /// See [`create_role`](Self::create_role) for an example.
    pub fn update_role(&self, app_id: &'a str, code: &str) -> UpdateRoleBuilder<'a> {
        self.roles(app_id).update(code)
    }

    /// A role of the application's namespace, or `None` (JS `findRole`).
    ///
    /// GraphQL: `role`
    ///
    /// See [`create_role`](Self::create_role) for an example.
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn find_role(&self, app_id: &'a str, code: &str) -> Result<Option<Role>> {
        self.roles(app_id).detail(code).await
    }

    /// Lists the roles of the application's namespace, newest first (JS `getRoles`).
    ///
    /// GraphQL: `roles`
    ///
    /// See [`create_role`](Self::create_role) for an example.
    pub fn get_roles(&self, app_id: &'a str) -> ListRolesBuilder<'a> {
        self.roles(app_id).list()
    }

    /// The users holding a role of the application's namespace (JS `getUsersByRoleCode`).
    ///
    /// GraphQL: `roleWithUsers`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::CreateUserInput;
    /// let (apps, app) = (management.applications(), emulator.app_id());
    /// let ada = management.users().create(CreateUserInput::default().username("ada")).send().await?;
    /// apps.create_role(app, "editor").send().await?;
    /// apps.add_users_to_role(app, "editor", [ada.id.as_str()]).await?;
    /// assert_eq!(apps.get_users_by_role_code(app, "editor").send().await?.total_count, 1);
    /// apps.remove_users_from_role(app, "editor", [ada.id.as_str()]).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_users_by_role_code(&self, app_id: &'a str, code: &str) -> ListRoleUsersBuilder<'a> {
        self.roles(app_id).list_users(code)
    }

    /// Gives users a role of the application's namespace (JS `addUsersToRole`).
    ///
    /// GraphQL: `assignRole`
    ///
    /// See [`get_users_by_role_code`](Self::get_users_by_role_code) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn add_users_to_role<I, S>(
        &self,
        app_id: &'a str,
        code: &str,
        user_ids: I,
    ) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.roles(app_id).add_users(code, user_ids).await
    }

    /// Takes a role of the application's namespace from users (JS `removeUsersFromRole`).
    ///
    /// GraphQL: `revokeRole`
    ///
    /// See [`get_users_by_role_code`](Self::get_users_by_role_code) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn remove_users_from_role<I, S>(
        &self,
        app_id: &'a str,
        code: &str,
        user_ids: I,
    ) -> Result<Option<CommonMessage>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.roles(app_id).remove_users(code, user_ids).await
    }

    /// The resources a role of the application's namespace is granted (JS `listAuthorizedResourcesByRole`).
    ///
    /// GraphQL: `listRoleAuthorizedResources`
    pub fn list_authorized_resources_by_role(&self, app_id: &'a str, code: &str) -> ListRoleResourcesBuilder<'a> {
        self.roles(app_id).list_authorized_resources(code)
    }

    // ---- access policies --------------------------------------------------------------------------------

    /// Lets targets use the application (JS `allowAccess`); role targets are roles of its namespace.
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/allow` with `namespace` = the app id
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{DefaultStrategy, PolicyAssignmentTargetType as Target};
    /// let (apps, app) = (management.applications(), emulator.app_id());
    /// apps.create_role(app, "staff").send().await?;
    /// apps.update_default_access_policy(app, DefaultStrategy::DenyAll).await?;
    /// apps.allow_access(app, Target::Role, ["staff"]).send().await?;
    /// apps.disable_access_policy(app, Target::Role, ["staff"]).send().await?;
    /// apps.enable_access_policy(app, Target::Role, ["staff"]).send().await?;
    /// let records = apps.get_access_policies(app, 1, 10).await?;
    /// assert_eq!(records.items[0].target_identifier, "staff");
    /// apps.delete_access_policy(app, Target::Role, ["staff"]).send().await?;
    /// apps.deny_access(app, Target::Role, ["staff"]).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn allow_access<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.acl().allow_access_application(app_id, target_type, targets).namespace(app_id)
    }

    /// Keeps targets from using the application (JS `denyAccess`).
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/deny`
    ///
    /// See [`allow_access`](Self::allow_access) for an example.
    pub fn deny_access<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.acl().deny_access_application(app_id, target_type, targets).namespace(app_id)
    }

    /// Puts targets' access policies back in effect (JS `enableAccessPolicy`).
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/enable-effect`
    ///
    /// See [`allow_access`](Self::allow_access) for an example.
    pub fn enable_access_policy<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.acl().enable_application_access_policies(app_id, target_type, targets).namespace(app_id)
    }

    /// Takes targets' access policies out of effect without removing them (JS `disableAccessPolicy`).
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/disable-effect`
    ///
    /// See [`allow_access`](Self::allow_access) for an example.
    pub fn disable_access_policy<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.acl().disable_application_access_policies(app_id, target_type, targets).namespace(app_id)
    }

    /// Removes targets' access policies (JS `deleteAccessPolicy`).
    ///
    /// REST: `POST /api/v2/applications/{appId}/authorization/revoke`
    ///
    /// See [`allow_access`](Self::allow_access) for an example.
    pub fn delete_access_policy<I, S>(
        &self,
        app_id: &str,
        target_type: PolicyAssignmentTargetType,
        targets: I,
    ) -> AppAccessBuilder<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.acl().delete_application_access_policies(app_id, target_type, targets).namespace(app_id)
    }

    /// The access policy records of the application (JS `getAccessPolicies`).
    ///
    /// REST: `GET /api/v2/applications/{appId}/authorization/records`
    ///
    /// See [`allow_access`](Self::allow_access) for an example.
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn get_access_policies(
        &self,
        app_id: &str,
        page: u32,
        limit: u32,
    ) -> Result<Page<ApplicationAccessPolicy>> {
        self.client.acl().get_application_access_policies(app_id, page, limit).await
    }

    /// What the application allows when no access policy matches (JS `updateDefaultAccessPolicy`); answers the
    /// updated application.
    ///
    /// REST: `POST /api/v2/applications/{appId}` `{permissionStrategy: {defaultStrategy}}`
    ///
    /// See [`allow_access`](Self::allow_access) for an example.
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn update_default_access_policy(&self, app_id: &str, strategy: DefaultStrategy) -> Result<Application> {
        let body = UpdateBody {
            permission_strategy: Some(StrategyBody { default_strategy: &strategy }),
            ..UpdateBody::default()
        };
        self.update(app_id, "applications.update_default_access_policy", &body).await
    }

    /// A management REST call whose `data` does not matter.
    async fn send<Q: Serialize + ?Sized>(&self, call: RestCall<'_, Q>) -> Result<()> {
        let _: serde::de::IgnoredAny = self.client.rest(call).await?;
        Ok(())
    }
}

#[derive(Debug, Clone)]
struct ListVars {
    page: PageLimit,
}

paged_vars!(ListVars);

/// Builds [`Applications::list`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListApplicationsBuilder<'a> {
    client: &'a ManagementClient,
    vars: ListVars,
}

impl ListApplicationsBuilder<'_> {
    page_setters!();

    /// Fetches the page; [`Page::into_stream`] follows the next ones.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<Application>> {
        first_page(self.client, self.vars, fetch_applications).await
    }
}

fn fetch_applications(client: ManagementClient, vars: ListVars) -> WireFuture<Application> {
    Box::pin(async move {
        let query = PageQuery { page: vars.page.page, limit: vars.page.limit };
        client.rest(RestCall::get("applications.list", &["applications"]).query(&query)).await
    })
}

#[derive(Debug, Clone)]
struct ActiveUsersVars {
    app_id: String,
    page: PageLimit,
}

paged_vars!(ActiveUsersVars);

/// Builds [`Applications::active_users`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ActiveUsersBuilder<'a> {
    client: &'a ManagementClient,
    vars: ActiveUsersVars,
}

impl ActiveUsersBuilder<'_> {
    page_setters!();

    /// Fetches the page; [`Page::into_stream`] follows the next ones.
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn send(self) -> Result<Page<User>> {
        first_page(self.client, self.vars, fetch_active_users).await
    }
}

fn fetch_active_users(client: ManagementClient, vars: ActiveUsersVars) -> WireFuture<User> {
    Box::pin(async move {
        let query = PageQuery { page: vars.page.page, limit: vars.page.limit };
        let call = RestCall::get("applications.active_users", &["applications", &vars.app_id, "active-users"]);
        client.rest(call.query(&query)).await
    })
}

/// Builds [`Applications::create`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateApplicationBuilder<'a> {
    client: &'a ManagementClient,
    name: String,
    identifier: String,
    redirect_uris: Vec<String>,
    logo: Option<String>,
}

impl CreateApplicationBuilder<'_> {
    /// The logo URL.
    pub fn logo(mut self, logo: impl Into<String>) -> Self {
        self.logo = Some(logo.into());
        self
    }

    /// Creates the application.
    ///
    /// # Errors
    /// Authing's refusal (2007 for an empty name, 2008 when the name is taken, 3829 when the identifier is), or
    /// transport and decode errors.
    pub async fn send(self) -> Result<Application> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'b> {
            name: &'b str,
            identifier: &'b str,
            redirect_uris: &'b [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            logo: Option<&'b str>,
        }
        let body = Body {
            name: &self.name,
            identifier: &self.identifier,
            redirect_uris: &self.redirect_uris,
            logo: self.logo.as_deref(),
        };
        self.client.rest(RestCall::post("applications.create", &["applications"]).json(&body)?).await
    }
}

/// Builds [`Applications::create_agreement`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreateAgreementBuilder<'a> {
    client: &'a ManagementClient,
    app_id: String,
    title: String,
    required: bool,
    lang: String,
}

impl CreateAgreementBuilder<'_> {
    /// Whether the user must accept it (default true).
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Its language (default `zh-CN`).
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = lang.into();
        self
    }

    /// Adds the agreement.
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn send(self) -> Result<Agreement> {
        #[derive(Serialize)]
        struct Body<'b> {
            title: &'b str,
            required: bool,
            lang: &'b str,
        }
        let body = Body { title: &self.title, required: self.required, lang: &self.lang };
        let call = RestCall::post("applications.create_agreement", &["applications", &self.app_id, "agreements"]);
        self.client.rest(call.json(&body)?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_bodies_carry_only_their_field() {
        let strategy = DefaultStrategy::DenyAll;
        let body = UpdateBody {
            permission_strategy: Some(StrategyBody { default_strategy: &strategy }),
            ..UpdateBody::default()
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"permissionStrategy": {"defaultStrategy": "DENY_ALL"}})
        );
        let kind = ApplicationType::Tenant;
        let body = UpdateBody { app_type: Some(&kind), ..UpdateBody::default() };
        assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({"appType": "Tenant"}));
    }
}
