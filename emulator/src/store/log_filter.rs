//! The filters of the two logs Authing serves under `/api/v2/analysis/`: the audit log of administrator
//! actions and the user-action log. Both answer the same query keys, so one filter reads both; each log
//! entry shows the filter its parts as a [`LogRecord`].

/// What a reader of a log asks for; an empty filter lets everything through, the filters combine with AND.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogFilter {
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

/// The parts of a log entry the filter looks at.
pub(crate) struct LogRecord<'a> {
    pub(crate) ip: &'a str,
    pub(crate) event: &'a str,
    pub(crate) operator_id: &'a str,
    pub(crate) operator_arn: &'a str,
    pub(crate) app_id: Option<&'a str>,
    /// Milliseconds since the epoch.
    pub(crate) at_ms: u64,
}

impl LogFilter {
    /// Whether the entry passes every filter given.
    pub(crate) fn accepts(&self, entry: &LogRecord<'_>) -> bool {
        let by_arn = |arn: &String| {
            arn == entry.operator_arn || arn.strip_prefix("arn:cn:authing:user:") == Some(entry.operator_id)
        };
        let listed = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
        self.client_ip.as_deref().is_none_or(|ip| ip == entry.ip)
            && listed(&self.event_types, entry.event)
            && listed(&self.user_ids, entry.operator_id)
            && (self.arns.is_empty() || self.arns.iter().any(by_arn))
            && (self.app_ids.is_empty() || entry.app_id.is_some_and(|a| self.app_ids.iter().any(|id| id == a)))
            && self.start.is_none_or(|start| entry.at_ms >= start)
            && self.end.is_none_or(|end| entry.at_ms <= end)
            && (!self.app_records_only || entry.app_id.is_some())
    }
}

/// Now, in milliseconds since the epoch.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
