//! The audit log of administrator actions, served at `GET /api/v2/analysis/audit`: who (the administrator
//! of the management token), what (`eventType`: the operation), when, on what (`target`: the id or code the
//! operation was given) and with what result (`eventResultCode`, `eventResultMsg`). The GraphQL and REST
//! front ends record every management mutation in one place each; nothing else writes here.

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Value, json};

use crate::store::activity::Origin;
use crate::store::common::{now_iso, random_hex};

/// One administrator action.
#[derive(Clone, Debug)]
pub(crate) struct AuditEntry {
    /// The operation (`createUser`, `userpool:UpdateConfig`, `addEnv` ...).
    pub(crate) event_type: String,
    pub(crate) operator_id: String,
    pub(crate) operator_arn: String,
    /// The id, code or key the operation was about, when it names one.
    pub(crate) target: Option<String>,
    pub(crate) result_code: i32,
    pub(crate) result_message: String,
    pub(crate) app_id: Option<String>,
    pub(crate) origin: Origin,
    pub(crate) timestamp: String,
    /// Milliseconds since the epoch, for `start` and `end`.
    pub(crate) at_ms: u64,
    pub(crate) request_id: String,
}

impl AuditEntry {
    /// An action of the administrator `operator_id`, happening now.
    pub(crate) fn new(
        pool_id: &str,
        operator_id: &str,
        event_type: String,
        target: Option<String>,
        result: (i32, String),
        origin: &Origin,
    ) -> Self {
        let at_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        AuditEntry {
            event_type,
            operator_id: operator_id.to_owned(),
            operator_arn: format!("arn:cn:authing:{pool_id}:user:{operator_id}"),
            target,
            result_code: result.0,
            result_message: result.1,
            app_id: None,
            origin: origin.clone(),
            timestamp: now_iso(),
            at_ms,
            request_id: random_hex(16),
        }
    }

    /// The entry with both key styles the JS SDK reads: `AuditLog` (camelCase) and the raw log record
    /// (snake_case).
    pub(crate) fn to_json(&self, pool_id: &str) -> Value {
        json!({
            "timestamp": self.timestamp,
            "@timestamp": self.timestamp,
            "userPoolId": pool_id,
            "userpool_id": pool_id,
            "userId": self.operator_id,
            "operator_arn": self.operator_arn,
            "eventType": self.event_type,
            "operation_name": self.event_type,
            "operationMode": "API",
            "operationParam": self.target,
            "target": self.target,
            "eventResultCode": self.result_code,
            "eventResultMsg": self.result_message,
            "eventDetails": format!("{} {}", self.event_type, self.target.as_deref().unwrap_or("")).trim_end(),
            "clientIp": self.origin.ip,
            "clientip": self.origin.ip,
            "user_agent": self.origin.user_agent,
            "ua": { "device": "Other", "name": "Other", "os": "Other" },
            "geoip": { "ip": self.origin.ip },
            "appId": self.app_id,
            "app_id": self.app_id,
            "host": self.origin.host,
            "path": self.origin.path,
            "request_id": self.request_id,
        })
    }
}

/// What a reader of the log asks for; an empty filter lets everything through, the filters combine with AND.
#[derive(Clone, Debug, Default)]
pub(crate) struct AuditFilter {
    pub(crate) client_ip: Option<String>,
    /// `eventType` and `operation_name` values.
    pub(crate) event_types: Vec<String>,
    /// Operator ids (`userId`).
    pub(crate) user_ids: Vec<String>,
    /// Operator ARNs, `arn:cn:authing:<pool>:user:<id>` or `arn:cn:authing:user:<id>`.
    pub(crate) arns: Vec<String>,
    pub(crate) app_ids: Vec<String>,
    /// Milliseconds since the epoch, inclusive.
    pub(crate) start: Option<u64>,
    pub(crate) end: Option<u64>,
    /// Only entries that have an application.
    pub(crate) app_records_only: bool,
}

impl AuditFilter {
    fn matches(&self, entry: &AuditEntry) -> bool {
        let by_arn = |arn: &String| {
            *arn == entry.operator_arn || arn.strip_prefix("arn:cn:authing:user:") == Some(entry.operator_id.as_str())
        };
        self.client_ip.as_ref().is_none_or(|ip| *ip == entry.origin.ip)
            && (self.event_types.is_empty() || self.event_types.contains(&entry.event_type))
            && (self.user_ids.is_empty() || self.user_ids.contains(&entry.operator_id))
            && (self.arns.is_empty() || self.arns.iter().any(by_arn))
            && (self.app_ids.is_empty() || entry.app_id.as_ref().is_some_and(|a| self.app_ids.contains(a)))
            && self.start.is_none_or(|start| entry.at_ms >= start)
            && self.end.is_none_or(|end| entry.at_ms <= end)
            && (!self.app_records_only || entry.app_id.is_some())
    }
}

/// The log, oldest first.
#[derive(Debug, Default)]
pub(crate) struct AuditLog {
    entries: Mutex<Vec<AuditEntry>>,
}

impl AuditLog {
    fn lock(&self) -> MutexGuard<'_, Vec<AuditEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn record(&self, entry: AuditEntry) {
        self.lock().push(entry);
    }

    /// One page of the matching entries, newest first, and how many match.
    pub(crate) fn page(&self, filter: &AuditFilter, page: usize, limit: usize) -> (usize, Vec<AuditEntry>) {
        let entries = self.lock();
        let matching: Vec<&AuditEntry> = entries.iter().rev().filter(|e| filter.matches(e)).collect();
        let list = matching
            .iter()
            .skip(page.saturating_sub(1).saturating_mul(limit))
            .take(limit)
            .map(|e| (*e).clone())
            .collect();
        (matching.len(), list)
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event: &str, operator: &str) -> AuditEntry {
        AuditEntry::new("pool", operator, event.to_owned(), None, (200, String::new()), &Origin::default())
    }

    #[test]
    fn filters_combine_and_pages_are_newest_first() {
        let log = AuditLog::default();
        log.record(entry("createUser", "admin"));
        log.record(entry("deleteUser", "admin"));
        log.record(entry("createUser", "other"));
        let (total, list) = log.page(&AuditFilter::default(), 1, 2);
        assert_eq!((total, list.len()), (3, 2));
        assert_eq!(list[0].operator_id, "other");
        let filter = AuditFilter { event_types: vec!["createUser".into()], ..AuditFilter::default() };
        assert_eq!(log.page(&filter, 1, 10).0, 2);
        let filter = AuditFilter { arns: vec!["arn:cn:authing:user:admin".into()], ..filter };
        assert_eq!(log.page(&filter, 1, 10).0, 1);
        let filter = AuditFilter { start: Some(u64::MAX), ..AuditFilter::default() };
        assert_eq!(log.page(&filter, 1, 10).0, 0);
    }
}
