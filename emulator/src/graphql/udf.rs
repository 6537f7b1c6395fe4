//! Custom data: the queries `udf`, `udv`, `udfValueBatch` and the mutations `setUdf`, `removeUdf`,
//! `setUdv`, `setUdvBatch`, `removeUdv`, `setUdfValueBatch`. The rules for values are in
//! [`crate::store::udf`].

use async_graphql::{Context, InputObject, Object, SimpleObject};

use super::types;
use super::{CommonMessage, enter, require_management};
use crate::store::error::{ApiError, Code};
use crate::store::state::State;
use crate::store::udf::{DataType, Entry, Field, TargetType};

/// `UserDefinedField` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "UserDefinedField")]
pub(crate) struct UserDefinedField {
    target_type: types::TargetType,
    data_type: types::DataType,
    key: String,
    label: Option<String>,
    options: Option<String>,
}

impl From<Field> for UserDefinedField {
    fn from(f: Field) -> Self {
        UserDefinedField {
            target_type: f.target_type.into(),
            data_type: f.data_type.into(),
            key: f.key,
            label: Some(f.label),
            options: f.options,
        }
    }
}

/// `UserDefinedData` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "UserDefinedData")]
pub(crate) struct UserDefinedData {
    key: String,
    data_type: types::DataType,
    value: String,
    label: Option<String>,
}

impl From<Entry> for UserDefinedData {
    fn from(e: Entry) -> Self {
        UserDefinedData { key: e.key, data_type: e.data_type.into(), value: e.value, label: e.label }
    }
}

/// `UserDefinedDataMap` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "UserDefinedDataMap")]
pub(crate) struct UserDefinedDataMap {
    target_id: String,
    data: Vec<UserDefinedData>,
}

/// `UserDefinedDataInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "UserDefinedDataInput")]
pub(crate) struct UserDefinedDataInput {
    key: String,
    value: Option<String>,
}

/// `SetUdfValueBatchInput` of the official schema.
#[derive(InputObject)]
#[graphql(name = "SetUdfValueBatchInput")]
pub(crate) struct SetUdfValueBatchInput {
    target_id: String,
    key: String,
    value: String,
}

fn entries(state: &State, target_type: TargetType, target_id: &str) -> Vec<UserDefinedData> {
    state.udf_read().entries(target_type, target_id).into_iter().map(Into::into).collect()
}

/// Refuses values for a USER target that does not exist (2004) and for a ROLE target (a role id) that
/// does not exist (2101). Other target types are not checked.
fn check_target(state: &State, target_type: TargetType, target_id: &str) -> Result<(), ApiError> {
    match target_type {
        TargetType::User if state.users_read().get(target_id).is_none() => Err(ApiError::new(Code::UserNotFound)),
        TargetType::Role if state.access_read().role_by_id(target_id).is_none() => {
            Err(ApiError::new(Code::RoleNotFound))
        }
        _ => Ok(()),
    }
}

#[derive(Default)]
pub(crate) struct UdfQuery;

#[Object]
impl UdfQuery {
    /// The field definitions of a target type.
    async fn udf(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
    ) -> async_graphql::Result<Vec<UserDefinedField>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let fields = state.udf_read().fields(target_type);
        Ok(fields.into_iter().map(Into::into).collect())
    }

    /// The values of one target; `[]` for an unknown target.
    async fn udv(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        target_id: String,
    ) -> async_graphql::Result<Vec<UserDefinedData>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        super::auth::self_or_management_target(state, meta, target_type, &target_id)?;
        Ok(entries(state, target_type, &target_id))
    }

    /// The values of several targets, in the order of `targetIds`.
    async fn udf_value_batch(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        target_ids: Vec<Option<String>>,
    ) -> async_graphql::Result<Vec<UserDefinedDataMap>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(target_ids
            .into_iter()
            .flatten()
            .map(|id| UserDefinedDataMap { data: entries(state, target_type, &id), target_id: id })
            .collect())
    }
}

#[derive(Default)]
pub(crate) struct UdfMutation;

#[Object]
impl UdfMutation {
    /// Creates or replaces a field definition.
    async fn set_udf(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        key: String,
        data_type: types::DataType,
        label: String,
        options: Option<String>,
    ) -> async_graphql::Result<UserDefinedField> {
        let data_type = DataType::from(data_type);
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        if key.trim().is_empty() {
            return Err(ApiError::with_message(Code::BadRequest, "key 不能为空", "The key must not be empty").into());
        }
        let field = state.udf_write().set_field(Field { target_type, key, data_type, label, options });
        Ok(field.into())
    }

    /// Deletes a field definition and all its values (code 200 even when it did not exist).
    async fn remove_udf(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        key: String,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        state.udf_write().remove_field(target_type, &key);
        Ok(Some(CommonMessage::ok(meta.lang, "删除成功", "Deleted")))
    }

    /// Sets one value (JSON-encoded); returns the target's full list.
    async fn set_udv(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        target_id: String,
        key: String,
        value: String,
    ) -> async_graphql::Result<Option<Vec<UserDefinedData>>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        super::auth::self_or_management_target(state, meta, target_type, &target_id)?;
        check_target(state, target_type, &target_id)?;
        {
            let mut udf = state.udf_write();
            let text = udf.check_encoded(target_type, &key, &value)?;
            udf.put(target_type, &target_id, &key, text);
        }
        Ok(Some(entries(state, target_type, &target_id)))
    }

    /// Sets several values of one target, all or nothing; a null value removes the key. Returns the
    /// target's full list.
    async fn set_udv_batch(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        target_id: String,
        udv_list: Option<Vec<UserDefinedDataInput>>,
    ) -> async_graphql::Result<Option<Vec<UserDefinedData>>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        super::auth::self_or_management_target(state, meta, target_type, &target_id)?;
        check_target(state, target_type, &target_id)?;
        {
            let mut udf = state.udf_write();
            let checked = udv_list
                .unwrap_or_default()
                .into_iter()
                .map(|item| {
                    let text = match &item.value {
                        Some(v) => Some(udf.check_encoded(target_type, &item.key, v)?),
                        None => None,
                    };
                    Ok((item.key, text))
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            for (key, text) in checked {
                match text {
                    Some(text) => udf.put(target_type, &target_id, &key, text),
                    None => udf.remove(target_type, &target_id, &key),
                }
            }
        }
        Ok(Some(entries(state, target_type, &target_id)))
    }

    /// Removes one value; returns the remaining list.
    async fn remove_udv(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        target_id: String,
        key: String,
    ) -> async_graphql::Result<Option<Vec<UserDefinedData>>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        super::auth::self_or_management_target(state, meta, target_type, &target_id)?;
        state.udf_write().remove(target_type, &target_id, &key);
        Ok(Some(entries(state, target_type, &target_id)))
    }

    /// Sets values of several targets, all or nothing.
    async fn set_udf_value_batch(
        &self,
        ctx: &Context<'_>,
        target_type: types::TargetType,
        input: Vec<SetUdfValueBatchInput>,
    ) -> async_graphql::Result<Option<CommonMessage>> {
        let target_type = TargetType::from(target_type);
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        for item in &input {
            check_target(state, target_type, &item.target_id)?;
        }
        {
            let mut udf = state.udf_write();
            let checked = input
                .into_iter()
                .map(|item| {
                    let text = udf.check_encoded(target_type, &item.key, &item.value)?;
                    Ok((item.target_id, item.key, text))
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            for (target_id, key, text) in checked {
                udf.put(target_type, &target_id, &key, text);
            }
        }
        Ok(Some(CommonMessage::ok(meta.lang, "设置成功", "Saved")))
    }
}
