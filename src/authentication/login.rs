//! Login by e-mail, username, phone and password, phone code, or sub-account.

use serde::Serialize;

use super::AuthenticationClient;
use crate::error::Result;
use crate::models::{CustomData, UdfValue, User};
use crate::secret::Password;
use crate::transport::Operation;

const LOGIN_BY_EMAIL: Operation<'static> =
    operation!("authentication", "login_by_email", "login_by_email.graphql", "user.graphql");
const LOGIN_BY_USERNAME: Operation<'static> =
    operation!("authentication", "login_by_username", "login_by_username.graphql", "user.graphql");
const LOGIN_BY_PHONE_PASSWORD: Operation<'static> =
    operation!("authentication", "login_by_phone_password", "login_by_phone_password.graphql", "user.graphql");
const LOGIN_BY_PHONE_CODE: Operation<'static> =
    operation!("authentication", "login_by_phone_code", "login_by_phone_code.graphql", "user.graphql");
const LOGIN_BY_SUB_ACCOUNT: Operation<'static> =
    operation!("authentication", "login_by_sub_account", "login_by_sub_account.graphql", "user.graphql");

/// The identifier a password login is made with.
#[derive(Debug, Clone, Copy)]
enum By {
    Email,
    Username,
    Phone,
}

impl AuthenticationClient {
    /// Logs in with an e-mail address and a password; this client keeps the user's token.
    ///
    /// GraphQL: `loginByEmail`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_email("ada@example.com", "Passw0rd!").send().await?;
    /// let user = app.login_by_email("ada@example.com", "Passw0rd!").send().await?;
    /// assert!(user.token.is_some() && app.token().is_some());
    ///
    /// let wrong = app.login_by_email("ada@example.com", "nope").send().await.unwrap_err();
    /// assert_eq!(wrong.code(), Some(2333));
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_email(&self, email: &str, password: impl Into<Password>) -> LoginBuilder<'_> {
        LoginBuilder::new(self, By::Email, email, password.into())
    }

    /// Logs in with a username and a password; this client keeps the user's token.
    ///
    /// GraphQL: `loginByUsername`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// let user = app.login_by_username("newcomer", "Passw0rd!").auto_register(true).send().await?;
    /// assert_eq!(user.username.as_deref(), Some("newcomer"), "auto_register created the user");
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_username(&self, username: &str, password: impl Into<Password>) -> LoginBuilder<'_> {
        LoginBuilder::new(self, By::Username, username, password.into())
    }

    /// Logs in with a phone number and a password; this client keeps the user's token.
    ///
    /// GraphQL: `loginByPhonePassword`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.send_sms_code("13800000001").await?;
    /// let code = emulator.verification_code("13800000001").unwrap();
    /// app.register_by_phone_code("13800000001", &code).password("Passw0rd!").send().await?;
    /// let user = app.login_by_phone_password("13800000001", "Passw0rd!").send().await?;
    /// assert!(user.token.is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_phone_password(&self, phone: &str, password: impl Into<Password>) -> LoginBuilder<'_> {
        LoginBuilder::new(self, By::Phone, phone, password.into())
    }

    /// Logs in with a phone number and the code sent to it; this client keeps the user's token.
    ///
    /// GraphQL: `loginByPhoneCode`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.send_sms_code("13800000002").await?;
    /// let code = emulator.verification_code("13800000002").unwrap();
    /// let user = app.login_by_phone_code("13800000002", &code).auto_register(true).send().await?;
    /// assert_eq!(user.phone.as_deref(), Some("13800000002"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_phone_code(&self, phone: &str, code: &str) -> LoginByPhoneCodeBuilder<'_> {
        LoginByPhoneCodeBuilder {
            client: self,
            phone: phone.to_owned(),
            code: code.to_owned(),
            auto_register: None,
            phone_country_code: None,
            extras: Extras::default(),
        }
    }

    /// Logs in with a sub-account and its password; this client keeps the user's token. When the user must give
    /// a second factor the answer is [`AuthingError::MfaRequired`](crate::AuthingError::MfaRequired), finished
    /// with it as for the other logins.
    ///
    /// GraphQL: `loginBySubAccount`
    ///
    /// ```no_run
    /// # async fn demo(app: authing::AuthenticationClient) -> authing::Result<()> {
    /// let user = app.login_by_sub_account("ada-ops", "Passw0rd!").send().await?;
    /// # let _ = user;
    /// # Ok(())
    /// # }
    /// ```
    pub fn login_by_sub_account(&self, account: &str, password: impl Into<Password>) -> LoginBySubAccountBuilder<'_> {
        LoginBySubAccountBuilder {
            client: self,
            account: account.to_owned(),
            password: password.into(),
            captcha_code: None,
            client_ip: None,
        }
    }
}

/// What every login may carry besides the credentials.
#[derive(Debug, Default)]
struct Extras {
    client_ip: Option<String>,
    custom_data: CustomData,
    context: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Extras {
    fn context_text(&self) -> Option<String> {
        self.context.as_ref().map(|c| serde_json::Value::Object(c.clone()).to_string())
    }
}

macro_rules! extras_setters {
    () => {
        /// The IP of the end user, for Authing's risk checks.
        pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
            self.extras.client_ip = Some(ip.into());
            self
        }

        /// Sets one custom data value of the user (the field must be defined).
        pub fn custom_data(mut self, key: impl Into<String>, value: impl Into<UdfValue>) -> Self {
            self.extras.custom_data.insert(key.into(), value.into());
            self
        }

        /// Context passed to the pool's pipeline functions.
        pub fn context(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
            self.extras.context.get_or_insert_with(Default::default).insert(key.into(), value.into());
            self
        }
    };
}

/// Builds the password logins of [`AuthenticationClient`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct LoginBuilder<'a> {
    client: &'a AuthenticationClient,
    by: By,
    identifier: String,
    password: Password,
    auto_register: Option<bool>,
    captcha_code: Option<String>,
    extras: Extras,
}

impl<'a> LoginBuilder<'a> {
    fn new(client: &'a AuthenticationClient, by: By, identifier: &str, password: Password) -> Self {
        Self {
            client,
            by,
            identifier: identifier.to_owned(),
            password,
            auto_register: None,
            captcha_code: None,
            extras: Extras::default(),
        }
    }

    /// Registers the user first when nobody has this identifier.
    pub fn auto_register(mut self, auto_register: bool) -> Self {
        self.auto_register = Some(auto_register);
        self
    }

    /// The captcha, once Authing asks for one (code 2000) after repeated failures.
    pub fn captcha_code(mut self, code: impl Into<String>) -> Self {
        self.captcha_code = Some(code.into());
        self
    }

    extras_setters!();

    /// Logs in; this client keeps the returned token.
    ///
    /// # Errors
    /// Authing's refusal (2333 wrong username or password, 2004 unknown user, 2000 captcha needed), or encryption
    /// and transport errors.
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
            password: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            auto_register: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            captcha_code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_ip: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            params: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            context: Option<String>,
        }
        let password = self.client.encrypt_password(&self.password).await?;
        let id = Some(self.identifier.as_str());
        let (email, username, phone, operation) = match self.by {
            By::Email => (id, None, None, LOGIN_BY_EMAIL),
            By::Username => (None, id, None, LOGIN_BY_USERNAME),
            By::Phone => (None, None, id, LOGIN_BY_PHONE_PASSWORD),
        };
        let input = Input {
            email,
            username,
            phone,
            password,
            auto_register: self.auto_register,
            captcha_code: self.captcha_code.as_deref(),
            client_ip: self.extras.client_ip.as_deref(),
            params: crate::models::custom_data_params(&self.extras.custom_data),
            context: self.extras.context_text(),
        };
        let vars = LoginVars { with_custom_data: input.params.is_some(), input };
        self.client.sign_in(operation, &vars).await
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginVars<I> {
    input: I,
    with_custom_data: bool,
}

/// Builds [`AuthenticationClient::login_by_phone_code`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct LoginByPhoneCodeBuilder<'a> {
    client: &'a AuthenticationClient,
    phone: String,
    code: String,
    auto_register: Option<bool>,
    phone_country_code: Option<String>,
    extras: Extras,
}

impl LoginByPhoneCodeBuilder<'_> {
    /// Registers the user first when nobody has this phone number.
    pub fn auto_register(mut self, auto_register: bool) -> Self {
        self.auto_register = Some(auto_register);
        self
    }

    /// The country code of the phone number (`+86` ...).
    pub fn phone_country_code(mut self, code: impl Into<String>) -> Self {
        self.phone_country_code = Some(code.into());
        self
    }

    extras_setters!();

    /// Logs in; this client keeps the returned token.
    ///
    /// # Errors
    /// Authing's refusal (a wrong, used or expired code; an unknown user without `auto_register`), or transport
    /// errors.
    pub async fn send(self) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Input<'v> {
            phone: &'v str,
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            auto_register: Option<bool>,
            #[serde(skip_serializing_if = "Option::is_none")]
            phone_country_code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_ip: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            params: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            context: Option<String>,
        }
        let input = Input {
            phone: &self.phone,
            code: &self.code,
            auto_register: self.auto_register,
            phone_country_code: self.phone_country_code.as_deref(),
            client_ip: self.extras.client_ip.as_deref(),
            params: crate::models::custom_data_params(&self.extras.custom_data),
            context: self.extras.context_text(),
        };
        let vars = LoginVars { with_custom_data: input.params.is_some(), input };
        self.client.sign_in(LOGIN_BY_PHONE_CODE, &vars).await
    }
}

/// Builds [`AuthenticationClient::login_by_sub_account`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct LoginBySubAccountBuilder<'a> {
    client: &'a AuthenticationClient,
    account: String,
    password: Password,
    captcha_code: Option<String>,
    client_ip: Option<String>,
}

impl LoginBySubAccountBuilder<'_> {
    /// The captcha, once Authing asks for one.
    pub fn captcha_code(mut self, code: impl Into<String>) -> Self {
        self.captcha_code = Some(code.into());
        self
    }

    /// The IP of the end user.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.client_ip = Some(ip.into());
        self
    }

    /// Logs in; this client keeps the returned token.
    ///
    /// # Errors
    /// Authing's refusal, or encryption and transport errors.
    pub async fn send(self) -> Result<User> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            account: &'v str,
            password: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            captcha_code: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_ip: Option<&'v str>,
            with_custom_data: bool,
        }
        let vars = Vars {
            account: &self.account,
            password: self.client.encrypt_password(&self.password).await?,
            captcha_code: self.captcha_code.as_deref(),
            client_ip: self.client_ip.as_deref(),
            with_custom_data: false,
        };
        self.client.sign_in(LOGIN_BY_SUB_ACCOUNT, &vars).await
    }
}
