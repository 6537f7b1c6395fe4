//! The user-action log served at `GET /api/v2/analysis/user-action`.
//!
//! Recorded operations (`operation_name`): `createUser`, `updateUser`, `deleteUser`, `refreshToken`,
//! `kick` and `logout`. The operator of an entry (`operator_arn`, `user`) is the user the operation was
//! about, so that the log can be filtered by user the way the official SDKs do it.

use serde_json::{Value, json};

use crate::store::common::{now_iso, random_hex};
use crate::store::log_filter::{LogRecord, now_ms};
use crate::store::users::User;

/// Where a request came from.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origin {
    /// The client IP: the first `x-forwarded-for` entry, else `x-real-ip`, else the peer address.
    pub(crate) ip: String,
    pub(crate) user_agent: String,
    /// The `host` header.
    pub(crate) host: String,
    /// The path of the request.
    pub(crate) path: String,
}

/// One recorded action.
#[derive(Clone, Debug)]
pub(crate) struct Action {
    pub(crate) operation_name: &'static str,
    pub(crate) user_id: String,
    pub(crate) user_arn: String,
    pub(crate) display_name: String,
    pub(crate) photo: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) origin: Origin,
    pub(crate) timestamp: String,
    /// Milliseconds since the epoch, for `start` and `end`.
    pub(crate) at_ms: u64,
    pub(crate) request_id: String,
}

impl Action {
    /// An action about `user`, happening now.
    pub(crate) fn new(operation_name: &'static str, user: &User, app_id: Option<String>, origin: &Origin) -> Self {
        let display_name = [&user.username, &user.nickname, &user.email, &user.phone, &user.name]
            .into_iter()
            .find_map(Clone::clone)
            .unwrap_or_else(|| user.id.clone());
        Action {
            operation_name,
            user_id: user.id.clone(),
            user_arn: user.arn.clone(),
            display_name,
            photo: user.photo.clone(),
            app_id,
            origin: origin.clone(),
            timestamp: now_iso(),
            at_ms: now_ms(),
            request_id: random_hex(16),
        }
    }

    /// The Chinese description of the operation (`operation_desc`).
    fn description(&self) -> &'static str {
        match self.operation_name {
            "createUser" => "创建用户",
            "updateUser" => "修改用户资料",
            "deleteUser" => "删除用户",
            "refreshToken" => "刷新用户 token",
            "kick" => "强制下线",
            "logout" => "退出登录",
            _ => "其他操作",
        }
    }

    /// What the log's filter looks at: the operator of an action is the user it was about.
    pub(crate) fn record(&self) -> LogRecord<'_> {
        LogRecord {
            ip: &self.origin.ip,
            event: self.operation_name,
            operator_id: &self.user_id,
            operator_arn: &self.user_arn,
            app_id: self.app_id.as_deref(),
            at_ms: self.at_ms,
        }
    }

    /// The entry as served (snake_case, like Authing's log documents); `app` is the application object
    /// when the entry has an application.
    pub(crate) fn to_json(&self, pool_id: &str, app: Option<Value>) -> Value {
        json!({
            "userpool_id": pool_id,
            "operator_arn": self.user_arn,
            "operation_name": self.operation_name,
            "operation_desc": self.description(),
            "timestamp": self.timestamp,
            "@timestamp": self.timestamp,
            "@version": "1",
            "app_id": self.app_id,
            "app": app,
            "clientip": self.origin.ip,
            "user_agent": self.origin.user_agent,
            "host": self.origin.host,
            "path": self.origin.path,
            "request_id": self.request_id,
            "message": "",
            "extra_data": "{}",
            "user": {
                "id": self.user_id,
                "userPoolId": pool_id,
                "displayName": self.display_name,
                "photo": self.photo,
            },
            "geoip": {
                "ip": self.origin.ip,
                "city_name": "",
                "region_name": "",
                "region_code": "",
                "country_name": "",
                "country_code2": "",
                "country_code3": "",
                "continent_code": "",
                "timezone": "",
                "latitude": 0.0,
                "longitude": 0.0,
                "location": { "lat": 0.0, "lon": 0.0 },
            },
            "ua": {
                "name": "Other",
                "os": "Other",
                "os_name": "Other",
                "device": "Other",
                "major": "",
                "minor": "",
                "patch": "",
                "build": "",
                "os_major": "",
                "os_minor": "",
            },
        })
    }
}
