//! `management.udf()`: the definitions of custom fields, and custom data of any kind of target.

use serde::Serialize;

use super::ManagementClient;
use crate::error::Result;
use crate::models::{CommonMessage, UdfDataType, UdfEntry, UdfTargetType, UdfValue, UserDefinedField};
use crate::transport::Operation;

const UDF: Operation<'static> = operation!("udf", "list", "udf.graphql");
const SET_UDF: Operation<'static> = operation!("udf", "set", "set_udf.graphql");
const REMOVE_UDF: Operation<'static> = operation!("udf", "remove", "remove_udf.graphql");

/// Custom field definitions: `management.udf()`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::models::{UdfDataType, UdfTargetType};
///
/// management.udf().set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await?;
/// let fields = management.udf().list(UdfTargetType::User).await?;
/// assert_eq!(fields[0].key, "school");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Udf<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// Custom field definitions.
    pub fn udf(&self) -> Udf<'_> {
        Udf { client: self }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TargetVars<'v> {
    target_type: &'v UdfTargetType,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'v str>,
}

impl<'a> Udf<'a> {
    /// The custom fields defined for a kind of target.
    ///
    /// GraphQL: `udf`
    ///
    /// See [`Udf`] for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list(&self, target_type: UdfTargetType) -> Result<Vec<UserDefinedField>> {
        self.client.root(UDF, &TargetVars { target_type: &target_type, key: None }).await
    }

    /// Defines a custom field, or redefines it when the key exists (an upsert).
    ///
    /// GraphQL: `setUdf`
    ///
    /// See [`Udf`] for an example.
    pub fn set(&self, target_type: UdfTargetType, key: &str, data_type: UdfDataType, label: &str) -> SetUdfBuilder<'a> {
        SetUdfBuilder {
            client: self.client,
            target_type,
            key: key.to_owned(),
            data_type,
            label: label.to_owned(),
            options: None,
        }
    }

    /// Removes a custom field and its values.
    ///
    /// GraphQL: `removeUdf`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{UdfDataType, UdfTargetType};
    /// management.udf().set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await?;
    /// let removed = management.udf().remove(UdfTargetType::User, "age").await?;
    /// assert!(removed.is_some_and(|message| message.is_success()));
    /// assert!(management.udf().list(UdfTargetType::User).await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove(&self, target_type: UdfTargetType, key: &str) -> Result<Option<CommonMessage>> {
        self.client.root(REMOVE_UDF, &TargetVars { target_type: &target_type, key: Some(key) }).await
    }

    /// The custom data of one target (a user, a role ...), with each field's type and label.
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
    /// use authing::models::UdfTargetType;
    /// let values = management.udf().list_udf_value(UdfTargetType::User, "nobody").await?;
    /// assert!(values.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn list_udf_value(&self, target_type: UdfTargetType, target_id: &str) -> Result<Vec<UdfEntry>> {
        self.client.udv(&target_type, target_id).await
    }

    /// Sets several custom data values of one target and returns all its values.
    ///
    /// GraphQL: `setUdvBatch`
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
    /// let all = management.udf().set_udf_value_batch(UdfTargetType::User, &user.id, [("age", 36.into())]).await?;
    /// assert_eq!(all[0].value.as_i64(), Some(36));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (an undefined key, a value of the wrong type, an unknown target), or transport errors.
    pub async fn set_udf_value_batch<I, K>(
        &self,
        target_type: UdfTargetType,
        target_id: &str,
        values: I,
    ) -> Result<Vec<UdfEntry>>
    where
        I: IntoIterator<Item = (K, UdfValue)>,
        K: Into<String>,
    {
        self.client.set_udv_batch(&target_type, target_id, values).await
    }
}

/// Builds [`Udf::set`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct SetUdfBuilder<'a> {
    client: &'a ManagementClient,
    target_type: UdfTargetType,
    key: String,
    data_type: UdfDataType,
    label: String,
    options: Option<String>,
}

impl SetUdfBuilder<'_> {
    /// Free-form options of the field (a JSON text, for example the choices of a select box).
    pub fn options(mut self, options: impl Into<String>) -> Self {
        self.options = Some(options.into());
        self
    }

    /// Defines the field.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<UserDefinedField> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            target_type: &'v UdfTargetType,
            key: &'v str,
            data_type: &'v UdfDataType,
            label: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            options: Option<&'v str>,
        }
        let vars = Vars {
            target_type: &self.target_type,
            key: &self.key,
            data_type: &self.data_type,
            label: &self.label,
            options: self.options.as_deref(),
        };
        self.client.root(SET_UDF, &vars).await
    }
}
