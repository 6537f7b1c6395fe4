//! `management.statistics()`: the audit log of administrator actions, the log of user actions, and counts of
//! users.

use serde::{Deserialize, Serialize};

use super::ManagementClient;
use super::paging::{PageLimit, first_page, page_setters, paged_vars};
use super::users::ListUserActionsBuilder;
use crate::error::Result;
use crate::models::AuditLog;
use crate::page::Page;
use crate::transport::RestCall;

/// Logs and counts: `management.statistics()`.
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
/// management.users().create(CreateUserInput::default().username("ada")).send().await?;
/// let logs = management.statistics().list_audit_logs().event_type("createUser").send().await?;
/// assert_eq!(logs.total_count, 1);
/// assert_eq!(logs.items[0].event_result_code, Some(200));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Statistics<'a> {
    client: &'a ManagementClient,
}

impl ManagementClient {
    /// The audit log, the user-action log and counts of users.
    pub fn statistics(&self) -> Statistics<'_> {
        Statistics { client: self }
    }
}

/// A count as Authing answers it: a number, or an object with `count` or `totalCount`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Count {
    Number(u64),
    Object {
        #[serde(alias = "totalCount")]
        count: u64,
    },
}

impl From<Count> for u64 {
    fn from(count: Count) -> Self {
        match count {
            Count::Number(n) | Count::Object { count: n } => n,
        }
    }
}

impl<'a> Statistics<'a> {
    /// The audit log of administrator actions, newest first, with its filters.
    ///
    /// REST: `GET /api/v2/analysis/audit`
    ///
    /// See [`Statistics`] for an example.
    pub fn list_audit_logs(&self) -> ListAuditLogsBuilder<'a> {
        ListAuditLogsBuilder { client: self.client, vars: AuditVars::default() }
    }

    /// The log of user actions, newest first: the same list as
    /// [`Users::list_user_actions`](super::Users::list_user_actions).
    ///
    /// REST: `GET /api/v2/analysis/user-action`
    pub fn list_user_actions(&self) -> ListUserActionsBuilder<'a> {
        ListUserActionsBuilder::new(self.client)
    }

    /// How many users have logged in to an application.
    ///
    /// REST: `GET /api/v2/analysis/total-login-count?appId=`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let users = management.statistics().get_application_login_user_num(emulator.app_id()).await?;
    /// assert_eq!(users, 0);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn get_application_login_user_num(&self, app_id: &str) -> Result<u64> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Query<'q> {
            app_id: &'q str,
        }
        let call = RestCall::get("statistics.application_login_user_num", &["analysis", "total-login-count"]);
        let count: Count = self.client.rest(call.query(&Query { app_id })).await?;
        Ok(count.into())
    }

    /// How many users have a value for the user custom field `defined_field_key`.
    ///
    /// REST: `GET /api/v2/analysis/exist-defined-field-count?definedFieldKey=&appId=`
    ///
    /// # Errors
    /// Authing's refusal (2011 for an unknown application), or transport and decode errors.
    pub async fn get_udf_field_user_num(&self, defined_field_key: &str, app_id: &str) -> Result<u64> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Query<'q> {
            defined_field_key: &'q str,
            app_id: &'q str,
        }
        let call = RestCall::get("statistics.udf_field_user_num", &["analysis", "exist-defined-field-count"]);
        let count: Count = self.client.rest(call.query(&Query { defined_field_key, app_id })).await?;
        Ok(count.into())
    }
}

/// The query of `GET /api/v2/analysis/audit`.
#[derive(Debug, Clone, Default, Serialize)]
struct AuditVars {
    #[serde(flatten)]
    page: PageLimit,
    #[serde(rename = "clientip", skip_serializing_if = "Option::is_none")]
    client_ip: Option<String>,
    #[serde(rename = "eventType", skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
    #[serde(rename = "userId", skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(rename = "app_id", skip_serializing_if = "Option::is_none")]
    app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<u64>,
}

paged_vars!(AuditVars);

/// Builds [`Statistics::list_audit_logs`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListAuditLogsBuilder<'a> {
    client: &'a ManagementClient,
    vars: AuditVars,
}

impl ListAuditLogsBuilder<'_> {
    page_setters!();

    /// Only actions from this client IP.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.vars.client_ip = Some(ip.into());
        self
    }

    /// Only actions of this kind (`createUser`, `userpool:UpdateConfig` ...).
    pub fn event_type(mut self, event_type: impl Into<String>) -> Self {
        self.vars.event_type = Some(event_type.into());
        self
    }

    /// Only actions by this administrator.
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
    /// Authing's refusal (400 for a bad page, limit or time), or transport and decode errors.
    pub async fn send(self) -> Result<Page<AuditLog>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move {
                let call = RestCall::get("statistics.list_audit_logs", &["analysis", "audit"]);
                client.rest(call.query(&vars)).await
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_query_keeps_the_names_authing_reads() {
        let vars = AuditVars { event_type: Some("createUser".into()), start: Some(5), ..AuditVars::default() };
        let query = serde_json::to_value(&vars).unwrap();
        assert_eq!(query, serde_json::json!({ "page": 1, "limit": 10, "eventType": "createUser", "start": 5 }));
    }

    #[test]
    fn counts_decode_from_a_number_or_an_object() {
        let n: Count = serde_json::from_str("3").unwrap();
        assert_eq!(u64::from(n), 3);
        let n: Count = serde_json::from_str(r#"{"totalCount": 4}"#).unwrap();
        assert_eq!(u64::from(n), 4);
    }
}
