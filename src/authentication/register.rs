//! Registration by e-mail, username or phone code.

use serde::Serialize;

use super::AuthenticationClient;
use crate::error::Result;
use crate::models::{CustomData, RegisterProfile, UdfValue, User};
use crate::secret::Password;
use crate::transport::Operation;

const REGISTER_BY_EMAIL: Operation<'static> =
    operation!("authentication", "register_by_email", "register_by_email.graphql", "user.graphql");
const REGISTER_BY_USERNAME: Operation<'static> =
    operation!("authentication", "register_by_username", "register_by_username.graphql", "user.graphql");
const REGISTER_BY_PHONE_CODE: Operation<'static> =
    operation!("authentication", "register_by_phone_code", "register_by_phone_code.graphql", "user.graphql");

/// The identifier a registration is made with.
#[derive(Debug)]
enum Identifier {
    Email(String),
    Username(String),
    PhoneCode { phone: String, code: String },
}

impl AuthenticationClient {
    /// Registers a user with an e-mail address and a password.
    ///
    /// GraphQL: `registerByEmail`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// use authing::models::RegisterProfile;
    /// let user = app
    ///     .register_by_email("ada@example.com", "Passw0rd!")
    ///     .profile(RegisterProfile::default().nickname("Ada"))
    ///     .force_login(true)
    ///     .send()
    ///     .await?;
    /// assert_eq!(user.nickname.as_deref(), Some("Ada"));
    /// assert!(app.token().is_some(), "force_login: the client is logged in");
    /// # Ok(())
    /// # }
    /// ```
    pub fn register_by_email(&self, email: &str, password: impl Into<Password>) -> RegisterBuilder<'_> {
        RegisterBuilder::new(self, Identifier::Email(email.to_owned()), Some(password.into()))
    }

    /// Registers a user with a username and a password.
    ///
    /// GraphQL: `registerByUsername`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// let user = app.register_by_username("ada", "Passw0rd!").send().await?;
    /// assert_eq!(user.username.as_deref(), Some("ada"));
    /// assert!(user.token.is_none(), "no token without force_login or generate_token");
    /// # Ok(())
    /// # }
    /// ```
    pub fn register_by_username(&self, username: &str, password: impl Into<Password>) -> RegisterBuilder<'_> {
        RegisterBuilder::new(self, Identifier::Username(username.to_owned()), Some(password.into()))
    }

    /// Registers a user with a phone number and the code sent to it by [`send_sms_code`](Self::send_sms_code).
    ///
    /// GraphQL: `registerByPhoneCode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.send_sms_code("13800000000").await?;
    /// let code = emulator.verification_code("13800000000").expect("the emulator keeps the code");
    /// let user = app.register_by_phone_code("13800000000", &code).password("Passw0rd!").send().await?;
    /// assert_eq!(user.phone.as_deref(), Some("13800000000"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn register_by_phone_code(&self, phone: &str, code: &str) -> RegisterBuilder<'_> {
        RegisterBuilder::new(self, Identifier::PhoneCode { phone: phone.to_owned(), code: code.to_owned() }, None)
    }
}

/// Builds the `register_by_*` calls of [`AuthenticationClient`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct RegisterBuilder<'a> {
    client: &'a AuthenticationClient,
    identifier: Identifier,
    password: Option<Password>,
    profile: Option<RegisterProfile>,
    force_login: Option<bool>,
    generate_token: Option<bool>,
    client_ip: Option<String>,
    custom_data: CustomData,
    context: Option<serde_json::Map<String, serde_json::Value>>,
}

impl<'a> RegisterBuilder<'a> {
    fn new(client: &'a AuthenticationClient, identifier: Identifier, password: Option<Password>) -> Self {
        Self {
            client,
            identifier,
            password,
            profile: None,
            force_login: None,
            generate_token: None,
            client_ip: None,
            custom_data: CustomData::new(),
            context: None,
        }
    }

    /// A password (optional when registering by phone code).
    pub fn password(mut self, password: impl Into<Password>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Profile fields of the new user.
    pub fn profile(mut self, profile: RegisterProfile) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Logs the new user in: the user comes back with a token this client keeps.
    pub fn force_login(mut self, force: bool) -> Self {
        self.force_login = Some(force);
        self
    }

    /// Issues a token for the new user without logging in.
    pub fn generate_token(mut self, generate: bool) -> Self {
        self.generate_token = Some(generate);
        self
    }

    /// The IP of the end user, for Authing's risk checks.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.client_ip = Some(ip.into());
        self
    }

    /// Sets one custom data value of the new user (the field must be defined).
    pub fn custom_data(mut self, key: impl Into<String>, value: impl Into<UdfValue>) -> Self {
        self.custom_data.insert(key.into(), value.into());
        self
    }

    /// Context passed to the pool's pipeline functions.
    pub fn context(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.context.get_or_insert_with(Default::default).insert(key.into(), value.into());
        self
    }

    /// Registers the user. With a token (`force_login`, `generate_token`), this client keeps it.
    ///
    /// # Errors
    /// Authing's refusal (the identifier is taken: 2026, 2034 ...; a wrong or used code; a weak password), or
    /// encryption and transport errors.
    pub async fn send(self) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Input<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            email: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            username: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            phone: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            password: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            profile: Option<&'v RegisterProfile>,
            #[serde(skip_serializing_if = "Option::is_none")]
            force_login: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            generate_token: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_ip: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            params: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            context: Option<String>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            input: Input<'v>,
            with_custom_data: bool,
        }
        let password = match &self.password {
            Some(password) => Some(self.client.encrypt_password(password).await?),
            None => None,
        };
        let params = crate::models::custom_data_params(&self.custom_data);
        let (email, username, phone, code, operation) = match &self.identifier {
            Identifier::Email(email) => (Some(email.as_str()), None, None, None, REGISTER_BY_EMAIL),
            Identifier::Username(username) => (None, Some(username.as_str()), None, None, REGISTER_BY_USERNAME),
            Identifier::PhoneCode { phone, code } => {
                (None, None, Some(phone.as_str()), Some(code.as_str()), REGISTER_BY_PHONE_CODE)
            }
        };
        let input = Input {
            email,
            username,
            phone,
            code,
            password,
            profile: self.profile.as_ref(),
            force_login: self.force_login,
            generate_token: self.generate_token,
            client_ip: self.client_ip.as_deref(),
            params,
            context: self.context.as_ref().map(|c| serde_json::Value::Object(c.clone()).to_string()),
        };
        let vars = Vars { with_custom_data: input.params.is_some(), input };
        self.client.sign_in(operation, &vars).await
    }
}
