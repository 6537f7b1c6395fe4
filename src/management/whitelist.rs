//! `management.whitelist()`: the registration whitelists. While a type's whitelist is on, self-registration
//! with an identifier of that type succeeds only when the identifier is listed (else code 2031); the
//! administrator's own `create` is not restricted.

use serde::Serialize;

use super::ManagementClient;
use super::paging::strings;
use crate::error::Result;
use crate::models::{UpdateUserpoolInput, UserPool, WhitelistConfig, WhitelistEntry, WhitelistType};
use crate::transport::Operation;

const WHITELIST: Operation<'static> = operation!("whitelist", "list", "whitelist.graphql");
const ADD_WHITELIST: Operation<'static> = operation!("whitelist", "add", "add_whitelist.graphql");
const REMOVE_WHITELIST: Operation<'static> = operation!("whitelist", "remove", "remove_whitelist.graphql");

/// The registration whitelists: `management.whitelist()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::models::WhitelistType;
///
/// let whitelist = management.whitelist();
/// whitelist.add(WhitelistType::Email, ["Ada@Example.com"]).await?;
/// let pool = whitelist.enable(WhitelistType::Email).await?;
/// assert_eq!(pool.whitelist.and_then(|w| w.email_enabled), Some(true));
/// assert_eq!(whitelist.list(WhitelistType::Email).await?[0].value, "ada@example.com");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Whitelist<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// The registration whitelists.
    pub fn whitelist(&self) -> Whitelist<'_> {
        Whitelist { client: self }
    }
}

#[derive(Serialize)]
struct TypeVars<'v> {
    #[serde(rename = "type")]
    kind: &'v WhitelistType,
}

#[derive(Serialize)]
struct ListVars<'v> {
    #[serde(rename = "type")]
    kind: &'v WhitelistType,
    list: Vec<String>,
}

impl Whitelist<'_> {
    /// The identifiers on the whitelist of a type, in the order they were added.
    ///
    /// GraphQL: `whitelist`
    ///
    /// See [`Whitelist`] for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list(&self, kind: WhitelistType) -> Result<Vec<WhitelistEntry>> {
        self.client.root(WHITELIST, &TypeVars { kind: &kind }).await
    }

    /// Adds identifiers to the whitelist of a type (e-mail addresses are lower-cased, a listed one is kept
    /// once); answers the list Authing returns.
    ///
    /// GraphQL: `addWhitelist`
    ///
    /// See [`Whitelist`] for an example.
    ///
    /// # Errors
    /// Authing's refusal (400 for a blank value), or transport and decode errors.
    pub async fn add<I, S>(&self, kind: WhitelistType, values: I) -> Result<Vec<WhitelistEntry>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let entries: Vec<Option<WhitelistEntry>> =
            self.client.root(ADD_WHITELIST, &ListVars { kind: &kind, list: strings(values) }).await?;
        Ok(entries.into_iter().flatten().collect())
    }

    /// Removes identifiers from the whitelist of a type (an unlisted one is not an error); answers the list
    /// Authing returns.
    ///
    /// GraphQL: `removeWhitelist`
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn remove<I, S>(&self, kind: WhitelistType, values: I) -> Result<Vec<WhitelistEntry>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let entries: Vec<Option<WhitelistEntry>> =
            self.client.root(REMOVE_WHITELIST, &ListVars { kind: &kind, list: strings(values) }).await?;
        Ok(entries.into_iter().flatten().collect())
    }

    /// Turns the whitelist of a type on (the other types' flags keep their values); answers the pool.
    ///
    /// GraphQL: `updateUserpool`
    ///
    /// See [`Whitelist`] for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn enable(&self, kind: WhitelistType) -> Result<UserPool> {
        self.switch(kind, true).await
    }

    /// Turns the whitelist of a type off; answers the pool.
    ///
    /// GraphQL: `updateUserpool`
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn disable(&self, kind: WhitelistType) -> Result<UserPool> {
        self.switch(kind, false).await
    }

    async fn switch(&self, kind: WhitelistType, on: bool) -> Result<UserPool> {
        let mut flags = WhitelistConfig::default();
        match kind {
            WhitelistType::Username => flags.username_enabled = Some(on),
            WhitelistType::Email => flags.email_enabled = Some(on),
            WhitelistType::Phone => flags.phone_enabled = Some(on),
            WhitelistType::Unknown(other) => {
                return Err(crate::error::AuthingError::request(
                    "an unknown whitelist type",
                    format!("{other} is not USERNAME, EMAIL or PHONE"),
                ));
            }
        }
        self.client.userpool().update(UpdateUserpoolInput::default().whitelist(flags)).await
    }
}
