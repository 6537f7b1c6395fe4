//! `management.userpool()`: the user pool's settings and its environment variables.

use serde::Serialize;

use super::ManagementClient;
use crate::error::Result;
use crate::models::{EnvVar, UpdateUserpoolInput, UserPool};
use crate::transport::{Operation, RestCall};

const UPDATE_USERPOOL: Operation<'static> =
    operation!("userpool", "update", "update_userpool.graphql", "userpool.graphql");

/// The user pool itself: `management.userpool()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::models::UpdateUserpoolInput;
///
/// let pool = management.userpool().update(UpdateUserpoolInput::default().token_expires_after(3600)).await?;
/// assert_eq!(pool.token_expires_after, Some(3600));
/// assert_eq!(management.userpool().detail().await?.id, management.user_pool_id());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Pool<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// The user pool's settings and environment variables.
    pub fn userpool(&self) -> Pool<'_> {
        Pool { client: self }
    }
}

#[derive(Serialize)]
struct UpdateVars<'v> {
    input: &'v UpdateUserpoolInput,
}

#[derive(Serialize)]
struct EnvBody<'b, V: Serialize> {
    key: &'b str,
    value: &'b V,
}

impl Pool<'_> {
    /// The pool with all its settings.
    ///
    /// REST: `GET /api/v2/userpools/detail`
    ///
    /// See [`Pool`] for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn detail(&self) -> Result<UserPool> {
        self.client.rest(RestCall::get("userpool.detail", &["userpools", "detail"])).await
    }

    /// Changes the settings `updates` sets (and only those); answers the whole pool.
    ///
    /// GraphQL: `updateUserpool`
    ///
    /// See [`Pool`] for an example.
    ///
    /// # Errors
    /// Authing's refusal (400 for a value the pool cannot take), or transport and decode errors.
    pub async fn update(&self, updates: UpdateUserpoolInput) -> Result<UserPool> {
        self.client.root(UPDATE_USERPOOL, &UpdateVars { input: &updates }).await
    }

    /// The pool's environment variables, newest first.
    ///
    /// REST: `GET /api/v2/env`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let pool = management.userpool();
    /// pool.add_env("region", &"eu-west").await?;
    /// let vars = pool.remove_env("region").await?;
    /// assert!(vars.is_empty());
    /// assert!(pool.list_env().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list_env(&self) -> Result<Vec<EnvVar>> {
        self.client.rest(RestCall::get("userpool.list_env", &["env"])).await
    }

    /// Sets an environment variable to any JSON-serializable value; answers the variables after the change.
    ///
    /// REST: `POST /api/v2/env`
    ///
    /// See [`list_env`](Self::list_env) for an example.
    ///
    /// # Errors
    /// [`AuthingError::Request`](crate::AuthingError::Request) when `value` cannot be serialized (nothing is
    /// sent); Authing's refusal (400 for an empty key), or transport and decode errors.
    pub async fn add_env<V: Serialize>(&self, key: &str, value: &V) -> Result<Vec<EnvVar>> {
        let call = RestCall::post("userpool.add_env", &["env"]).json(&EnvBody { key, value })?;
        self.client.rest(call).await
    }

    /// Removes an environment variable (an unknown key is not an error); answers the variables after the change.
    ///
    /// REST: `DELETE /api/v2/env/{key}`
    ///
    /// See [`list_env`](Self::list_env) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn remove_env(&self, key: &str) -> Result<Vec<EnvVar>> {
        self.client.rest(RestCall::delete("userpool.remove_env", &["env", key])).await
    }
}
