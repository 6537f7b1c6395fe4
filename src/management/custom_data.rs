//! Custom data values (UDV) of any kind of target, shared by `users()`, `roles()` and `udf()`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use crate::error::Result;
use crate::models::{CommonMessage, CustomData, UdfEntry, UdfTargetType, UdfValue, custom_data_from_entries};
use crate::transport::Operation;

const UDV: Operation<'static> = operation!("udf", "udv", "udv.graphql");
const UDF_VALUE_BATCH: Operation<'static> = operation!("udf", "udf_value_batch", "udf_value_batch.graphql");
const SET_UDV: Operation<'static> = operation!("udf", "set_udv", "set_udv.graphql");
const SET_UDV_BATCH: Operation<'static> = operation!("udf", "set_udv_batch", "set_udv_batch.graphql");
const SET_UDF_VALUE_BATCH: Operation<'static> = operation!("udf", "set_udf_value_batch", "set_udf_value_batch.graphql");
const REMOVE_UDV: Operation<'static> = operation!("udf", "remove_udv", "remove_udv.graphql");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target<'v> {
    target_type: &'v UdfTargetType,
    target_id: &'v str,
}

/// A key and its JSON-encoded value, as `setUdvBatch` takes them.
#[derive(Serialize)]
struct UdvInput {
    key: String,
    value: String,
}

impl ManagementClient {
    /// The custom data of one target, with each field's type and label.
    pub(super) async fn udv(&self, target_type: &UdfTargetType, target_id: &str) -> Result<Vec<UdfEntry>> {
        self.root(UDV, &Target { target_type, target_id }).await
    }

    /// The custom data of several targets: target id → key → value.
    pub(super) async fn udf_value_batch(
        &self,
        target_type: &UdfTargetType,
        target_ids: Vec<String>,
    ) -> Result<BTreeMap<String, CustomData>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            target_type: &'v UdfTargetType,
            target_ids: Vec<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Map {
            target_id: String,
            data: Vec<UdfEntry>,
        }
        let maps: Vec<Map> = self.root(UDF_VALUE_BATCH, &Vars { target_type, target_ids }).await?;
        Ok(maps.into_iter().map(|m| (m.target_id, custom_data_from_entries(m.data))).collect())
    }

    /// Sets one value and returns all the target's values.
    pub(super) async fn set_udv(
        &self,
        target_type: &UdfTargetType,
        target_id: &str,
        key: &str,
        value: &UdfValue,
    ) -> Result<Vec<UdfEntry>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            #[serde(flatten)]
            target: Target<'v>,
            key: &'v str,
            value: String,
        }
        let vars = Vars { target: Target { target_type, target_id }, key, value: value.to_wire() };
        let entries: Option<Vec<UdfEntry>> = self.root(SET_UDV, &vars).await?;
        Ok(entries.unwrap_or_default())
    }

    /// Sets several values of one target and returns all its values. An empty set sends nothing.
    pub(super) async fn set_udv_batch<I, K>(
        &self,
        target_type: &UdfTargetType,
        target_id: &str,
        values: I,
    ) -> Result<Vec<UdfEntry>>
    where
        I: IntoIterator<Item = (K, UdfValue)>,
        K: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            #[serde(flatten)]
            target: Target<'v>,
            udv_list: Vec<UdvInput>,
        }
        let udv_list: Vec<UdvInput> =
            values.into_iter().map(|(key, value)| UdvInput { key: key.into(), value: value.to_wire() }).collect();
        if udv_list.is_empty() {
            return self.udv(target_type, target_id).await;
        }
        let vars = Vars { target: Target { target_type, target_id }, udv_list };
        let entries: Option<Vec<UdfEntry>> = self.root(SET_UDV_BATCH, &vars).await?;
        Ok(entries.unwrap_or_default())
    }

    /// Sets values of several targets at once: target id → key → value. An empty set sends nothing.
    pub(super) async fn set_udf_value_batch<I, S>(&self, target_type: &UdfTargetType, data: I) -> Result<()>
    where
        I: IntoIterator<Item = (S, CustomData)>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Item {
            target_id: String,
            key: String,
            value: String,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            target_type: &'v UdfTargetType,
            input: Vec<Item>,
        }
        let input: Vec<Item> = data
            .into_iter()
            .flat_map(|(target_id, values)| {
                let target_id = target_id.into();
                values.into_iter().map(move |(key, value)| Item {
                    target_id: target_id.clone(),
                    key,
                    value: value.to_wire(),
                })
            })
            .collect();
        if input.is_empty() {
            return Ok(());
        }
        let _: Option<CommonMessage> = self.root(SET_UDF_VALUE_BATCH, &Vars { target_type, input }).await?;
        Ok(())
    }

    /// Removes one value and returns the values left.
    pub(super) async fn remove_udv(
        &self,
        target_type: &UdfTargetType,
        target_id: &str,
        key: &str,
    ) -> Result<Vec<UdfEntry>> {
        #[derive(Serialize)]
        struct Vars<'v> {
            #[serde(flatten)]
            target: Target<'v>,
            key: &'v str,
        }
        let vars = Vars { target: Target { target_type, target_id }, key };
        let entries: Option<Vec<UdfEntry>> = self.root(REMOVE_UDV, &vars).await?;
        Ok(entries.unwrap_or_default())
    }
}
