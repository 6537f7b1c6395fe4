//! The audit log of administrator actions, served at `GET /api/v2/analysis/audit`: who (the administrator
//! of the management token), what (`eventType`: the operation), when, on what (`target`: the id or code the
//! operation was given) and with what result (`eventResultCode`, `eventResultMsg`). The GraphQL and REST
//! front ends record every management mutation in one place each; nothing else writes here.

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Value, json};

use crate::store::activity::Origin;
use crate::store::common::{now_iso, random_hex};
use crate::store::log_filter::{LogFilter, LogRecord, now_ms};

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
            at_ms: now_ms(),
            request_id: random_hex(16),
        }
    }

    /// What the log's filter looks at.
    fn record(&self) -> LogRecord<'_> {
        LogRecord {
            ip: &self.origin.ip,
            event: &self.event_type,
            operator_id: &self.operator_id,
            operator_arn: &self.operator_arn,
            app_id: self.app_id.as_deref(),
            at_ms: self.at_ms,
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
    pub(crate) fn page(&self, filter: &LogFilter, page: usize, limit: usize) -> (usize, Vec<AuditEntry>) {
        let entries = self.lock();
        let matching: Vec<&AuditEntry> = entries.iter().rev().filter(|e| filter.accepts(&e.record())).collect();
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
        let (total, list) = log.page(&LogFilter::default(), 1, 2);
        assert_eq!((total, list.len()), (3, 2));
        assert_eq!(list[0].operator_id, "other");
        let filter = LogFilter { event_types: vec!["createUser".into()], ..LogFilter::default() };
        assert_eq!(log.page(&filter, 1, 10).0, 2);
        let filter = LogFilter { arns: vec!["arn:cn:authing:user:admin".into()], ..filter };
        assert_eq!(log.page(&filter, 1, 10).0, 1);
        let filter = LogFilter { start: Some(u64::MAX), ..LogFilter::default() };
        assert_eq!(log.page(&filter, 1, 10).0, 0);
    }
}
