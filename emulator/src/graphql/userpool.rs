//! The user pool and its registration whitelists: the queries `userpool` and `whitelist`, the mutations
//! `updateUserpool`, `addWhitelist` and `removeWhitelist`. The rules are in [`crate::store::pool`].
//!
//! `UserPool` is made from the store's JSON view of the pool ([`State::userpool_json`]), and
//! `UpdateUserpoolInput` is handed to the store as the JSON object of the fields it gives.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use serde::{Deserialize, Serialize};

use super::{enter, require_management};
use crate::store::error::{ApiError, Code};
use crate::store::pool::whitelist::{Entry, ListKind};
use crate::store::state::State;

/// Declares an object of the official schema and its input twin, with the same optional fields.
macro_rules! config_pair {
    ($name:literal, $object:ident, $input_name:literal, $input:ident { $($field:ident: $ty:ty),+ $(,)? }) => {
        #[derive(Clone, Debug, SimpleObject, Deserialize)]
        #[graphql(name = $name)]
        #[serde(rename_all = "camelCase")]
        pub(crate) struct $object {
            $(#[serde(default)] $field: Option<$ty>,)+
        }

        #[derive(Clone, Debug, InputObject, Serialize)]
        #[graphql(name = $input_name)]
        #[serde(rename_all = "camelCase")]
        pub(crate) struct $input {
            $($field: Option<$ty>,)+
        }
    };
}

config_pair!(
    "FrequentRegisterCheckConfig",
    FrequentRegisterCheckConfig,
    "FrequentRegisterCheckConfigInput",
    FrequentRegisterCheckConfigInput { time_interval: i32, limit: i32, enabled: bool }
);
config_pair!(
    "LoginFailCheckConfig",
    LoginFailCheckConfig,
    "LoginFailCheckConfigInput",
    LoginFailCheckConfigInput { time_interval: i32, limit: i32, enabled: bool }
);
config_pair!(
    "LoginPasswordFailCheckConfig",
    LoginPasswordFailCheckConfig,
    "LoginPasswordFailCheckConfigInput",
    LoginPasswordFailCheckConfigInput { time_interval: i32, limit: i32, enabled: bool }
);
config_pair!(
    "ChangePhoneStrategy",
    ChangePhoneStrategy,
    "ChangePhoneStrategyInput",
    ChangePhoneStrategyInput { verify_old_phone: bool }
);
config_pair!(
    "ChangeEmailStrategy",
    ChangeEmailStrategy,
    "ChangeEmailStrategyInput",
    ChangeEmailStrategyInput { verify_old_email: bool }
);
config_pair!(
    "QrcodeLoginStrategy",
    QrcodeLoginStrategy,
    "QrcodeLoginStrategyInput",
    QrcodeLoginStrategyInput {
        qrcode_expires_after: i32,
        return_full_user_info: bool,
        allow_exchange_user_info_from_browser: bool,
        ticket_expires_after: i32,
    }
);
config_pair!(
    "App2WxappLoginStrategy",
    App2WxappLoginStrategy,
    "App2WxappLoginStrategyInput",
    App2WxappLoginStrategyInput { ticket_exprires_after: i32, ticket_exchange_user_info_need_secret: bool }
);
config_pair!(
    "RegisterWhiteListConfig",
    RegisterWhiteListConfig,
    "RegisterWhiteListConfigInput",
    RegisterWhiteListConfigInput { phone_enabled: bool, email_enabled: bool, username_enabled: bool }
);
config_pair!(
    "CustomSMSProvider",
    CustomSmsProvider,
    "CustomSMSProviderInput",
    CustomSmsProviderInput { enabled: bool, provider: String, config: String }
);
config_pair!(
    "PasswordUpdatePolicyConfig",
    PasswordUpdatePolicyConfig,
    "PasswordUpdatePolicyInput",
    PasswordUpdatePolicyInput { enabled: bool, forced_cycle: i32, difference_cycle: i32 }
);

/// `UserPoolType` of the official schema.
#[derive(Clone, Debug, SimpleObject, Deserialize)]
#[graphql(name = "UserPoolType")]
pub(crate) struct UserPoolType {
    code: Option<String>,
    name: Option<String>,
    description: Option<String>,
    image: Option<String>,
    sdks: Option<Vec<Option<String>>>,
}

/// `UserPool` of the official schema.
#[derive(Clone, Debug, SimpleObject, Deserialize)]
#[graphql(name = "UserPool")]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserPool {
    id: String,
    name: String,
    domain: String,
    description: Option<String>,
    secret: String,
    jwt_secret: String,
    owner_id: Option<String>,
    userpool_types: Option<Vec<UserPoolType>>,
    logo: String,
    created_at: Option<String>,
    updated_at: Option<String>,
    email_verified_default: bool,
    send_welcome_email: bool,
    register_disabled: bool,
    app_sso_enabled: bool,
    #[graphql(name = "showWxQRCodeWhenRegisterDisabled")]
    #[serde(rename = "showWxQRCodeWhenRegisterDisabled")]
    show_wx_qr_code_when_register_disabled: Option<bool>,
    allowed_origins: Option<String>,
    token_expires_after: Option<i32>,
    is_deleted: Option<bool>,
    frequent_register_check: Option<FrequentRegisterCheckConfig>,
    login_fail_check: Option<LoginFailCheckConfig>,
    login_password_fail_check: Option<LoginPasswordFailCheckConfig>,
    login_fail_strategy: Option<String>,
    change_phone_strategy: Option<ChangePhoneStrategy>,
    change_email_strategy: Option<ChangeEmailStrategy>,
    qrcode_login_strategy: Option<QrcodeLoginStrategy>,
    #[graphql(name = "app2WxappLoginStrategy")]
    #[serde(rename = "app2WxappLoginStrategy")]
    app2_wxapp_login_strategy: Option<App2WxappLoginStrategy>,
    whitelist: Option<RegisterWhiteListConfig>,
    #[graphql(name = "customSMSProvider")]
    #[serde(rename = "customSMSProvider")]
    custom_sms_provider: Option<CustomSmsProvider>,
    package_type: Option<i32>,
    use_custom_user_store: Option<bool>,
    login_require_email_verified: Option<bool>,
    verify_code_length: Option<i32>,
    verify_code_max_attempts: Option<i32>,
    password_update_policy: Option<PasswordUpdatePolicyConfig>,
}

/// `UpdateUserpoolInput` of the official schema.
#[derive(Clone, Debug, InputObject, Serialize)]
#[graphql(name = "UpdateUserpoolInput")]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateUserpoolInput {
    name: Option<String>,
    logo: Option<String>,
    domain: Option<String>,
    description: Option<String>,
    userpool_types: Option<Vec<String>>,
    email_verified_default: Option<bool>,
    send_welcome_email: Option<bool>,
    register_disabled: Option<bool>,
    app_sso_enabled: Option<bool>,
    allowed_origins: Option<String>,
    token_expires_after: Option<i32>,
    frequent_register_check: Option<FrequentRegisterCheckConfigInput>,
    login_fail_check: Option<LoginFailCheckConfigInput>,
    login_fail_strategy: Option<String>,
    login_password_fail_check: Option<LoginPasswordFailCheckConfigInput>,
    change_phone_strategy: Option<ChangePhoneStrategyInput>,
    change_email_strategy: Option<ChangeEmailStrategyInput>,
    qrcode_login_strategy: Option<QrcodeLoginStrategyInput>,
    #[graphql(name = "app2WxappLoginStrategy")]
    #[serde(rename = "app2WxappLoginStrategy")]
    app2_wxapp_login_strategy: Option<App2WxappLoginStrategyInput>,
    whitelist: Option<RegisterWhiteListConfigInput>,
    #[graphql(name = "customSMSProvider")]
    #[serde(rename = "customSMSProvider")]
    custom_sms_provider: Option<CustomSmsProviderInput>,
    login_require_email_verified: Option<bool>,
    verify_code_length: Option<i32>,
    password_update_policy: Option<PasswordUpdatePolicyInput>,
    verify_code_max_attempts: Option<i32>,
}

/// `WhitelistType` of the official schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(name = "WhitelistType", remote = "ListKind")]
pub(crate) enum WhitelistType {
    Username,
    Email,
    Phone,
}

/// `WhiteList` of the official schema: one listed identifier.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(name = "WhiteList")]
pub(crate) struct WhiteList {
    created_at: Option<String>,
    updated_at: Option<String>,
    value: String,
}

impl From<Entry> for WhiteList {
    fn from(entry: Entry) -> Self {
        WhiteList { created_at: entry.created_at, updated_at: entry.updated_at, value: entry.value }
    }
}

/// The pool as `UserPool`.
fn user_pool(state: &State) -> Result<UserPool, ApiError> {
    serde_json::from_value(state.userpool_json()).map_err(|e| {
        tracing::error!(error = %e, "the pool does not fit UserPool");
        ApiError::with_message(Code::BadRequest, "用户池数据无效", "The pool's data is invalid")
    })
}

#[derive(Default)]
pub(crate) struct UserpoolQuery;

#[Object]
impl UserpoolQuery {
    /// The pool with its settings.
    async fn userpool(&self, ctx: &Context<'_>) -> async_graphql::Result<UserPool> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(user_pool(state)?)
    }

    /// The registration whitelist of a type, in the order the values were added.
    async fn whitelist(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "type")] kind: WhitelistType,
    ) -> async_graphql::Result<Vec<WhiteList>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(state.userpool.whitelist(kind.into()).into_iter().map(Into::into).collect())
    }
}

#[derive(Default)]
pub(crate) struct UserpoolMutation;

#[Object]
impl UserpoolMutation {
    /// Changes the fields `input` gives (a nested object only the fields it gives) and answers the whole pool.
    async fn update_userpool(&self, ctx: &Context<'_>, input: UpdateUserpoolInput) -> async_graphql::Result<UserPool> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let patch = serde_json::to_value(&input).map_err(|e| {
            ApiError::with_message(Code::BadRequest, format!("参数错误: {e}"), format!("Bad input: {e}"))
        })?;
        state.userpool.update(&patch)?;
        Ok(user_pool(state)?)
    }

    /// Adds values to a whitelist (e-mail addresses lower-cased, values already listed kept once) and answers
    /// the whole list.
    async fn add_whitelist(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "type")] kind: WhitelistType,
        list: Vec<String>,
    ) -> async_graphql::Result<Vec<Option<WhiteList>>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let entries = state.userpool.add_whitelist(kind.into(), &list)?;
        Ok(entries.into_iter().map(|e| Some(e.into())).collect())
    }

    /// Removes values from a whitelist (unlisted values are not an error) and answers the whole list.
    async fn remove_whitelist(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "type")] kind: WhitelistType,
        list: Vec<String>,
    ) -> async_graphql::Result<Vec<Option<WhiteList>>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        Ok(state.userpool.remove_whitelist(kind.into(), &list).into_iter().map(|e| Some(e.into())).collect())
    }
}
