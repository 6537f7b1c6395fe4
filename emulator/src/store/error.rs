//! Authing's error shapes: numeric codes with localized messages.
//!
//! A business error travels as `{"code": N, "message": "..."}`: inside `errors[].message` of a GraphQL
//! response, or as the REST envelope `{code, message, data}`. Both come back with HTTP 200 so that
//! clients see the code.

use std::fmt;

/// The language of the messages, chosen by the `x-authing-lang` request header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Lang {
    /// `zh-CN`, the server default.
    #[default]
    Zh,
    /// `en-US`.
    En,
}

/// The Authing codes this emulator answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    /// 400: the request itself is malformed (not JSON, not a GraphQL request, invalid document or variables).
    BadRequest,
    /// 404: no such route.
    NotFound,
    /// 405: the route exists but not for this method.
    MethodNotAllowed,
    /// 413: the body is larger than the server accepts.
    PayloadTooLarge,
    /// 1001: no permission, e.g. a wrong user pool secret.
    NoPermission,
    /// 2000: a captcha is required after repeated failed logins.
    CaptchaRequired,
    /// 2001: a verification code is wrong, used or expired.
    VerificationFailed,
    /// 2003: the e-mail address is malformed.
    BadEmail,
    /// 2004: no such user.
    UserNotFound,
    /// 2005: the user is blocked.
    UserLocked,
    /// 2006: the (old) password is wrong.
    WrongPassword,
    /// 2007: the application name is invalid (empty).
    AppNameInvalid,
    /// 2008: an application with the same name already exists.
    AppExists,
    /// 2011: no such application.
    AppNotFound,
    /// 2016: the password could not be RSA-decrypted.
    PasswordDecrypt,
    /// 2020: not logged in: the token is missing, invalid, expired or revoked.
    NotLoggedIn,
    /// 2026: a user with this e-mail, phone or external id already exists.
    UserExists,
    /// 2034: the username is taken.
    UsernameExists,
    /// 2035: the phone number is taken.
    PhoneExists,
    /// 2058: the password must be reset before logging in.
    PasswordResetRequired,
    /// 2101: no such role in the namespace.
    RoleNotFound,
    /// 2102: the namespace already has a role with this code.
    RoleExists,
    /// 2111: no such group.
    GroupNotFound,
    /// 2112: the pool already has a group with this code.
    GroupExists,
    /// 2121: no such policy in the namespace.
    PolicyNotFound,
    /// 2122: the namespace already has a policy with this code.
    PolicyExists,
    /// 2123: the built-in policy cannot be changed or deleted.
    PolicyBuiltIn,
    /// 2224: the user pool does not exist.
    UserPoolNotFound,
    /// 3829: the second-level domain (an application's identifier) is taken.
    DomainTaken,
    /// 3001: the pool already has a resource namespace with this code.
    NamespaceExists,
    /// 3003: no such resource namespace (delete, and any ACL call naming it).
    NamespaceNotFound,
    /// 3005: no such resource namespace to update.
    NamespaceUpdateMissing,
    /// 3011: no such resource in the namespace.
    ResourceNotFound,
    /// 3012: the namespace already has a resource with this code.
    ResourceExists,
    /// 3021: no such programmatic access account.
    AccessAccountNotFound,
    /// 2333: wrong username (or e-mail, phone) or password.
    WrongCredentials,
    /// 1635: the login needs a second factor (`data.mfaToken`).
    MfaRequired,
    /// 6001: the TOTP code (or recovery code) is wrong or already used.
    WrongTotp,
    /// 2701: no such organization. The official SDKs name no code for it; the emulator keeps the 27xx block for
    /// organizations.
    OrgNotFound,
    /// 2702: no such node in the organization (the JS SDK's message: 组织机构节点不存在).
    NodeNotFound,
    /// 2703: a node cannot move under itself or one of its descendants, and the root cannot move.
    NodeMoveCycle,
    /// 2704: the organization already has a node with this code.
    NodeCodeExists,
    /// 2705: the root node goes only with its organization.
    RootNodeFixed,
    /// 2706: the user is not a member of the node, or the node is not in the organization named.
    NotInNode,
    /// 2707: no directory of this provider is configured for third-party directory sync.
    SyncNotConfigured,
    /// 2029: the password is weaker than the pool's rule.
    WeakPassword,
    /// 2031: self-registration is refused: disabled, or the identifier is not on an enabled whitelist.
    RegistrationDisabled,
}

impl Code {
    /// The numeric code on the wire.
    pub(crate) fn number(self) -> i32 {
        match self {
            Code::BadRequest => 400,
            Code::NotFound => 404,
            Code::MethodNotAllowed => 405,
            Code::PayloadTooLarge => 413,
            Code::NoPermission => 1001,
            Code::CaptchaRequired => 2000,
            Code::VerificationFailed => 2001,
            Code::BadEmail => 2003,
            Code::UserNotFound => 2004,
            Code::UserLocked => 2005,
            Code::WrongPassword => 2006,
            Code::AppNameInvalid => 2007,
            Code::AppExists => 2008,
            Code::AppNotFound => 2011,
            Code::PasswordDecrypt => 2016,
            Code::NotLoggedIn => 2020,
            Code::UserExists => 2026,
            Code::UsernameExists => 2034,
            Code::PhoneExists => 2035,
            Code::PasswordResetRequired => 2058,
            Code::RoleNotFound => 2101,
            Code::RoleExists => 2102,
            Code::GroupNotFound => 2111,
            Code::GroupExists => 2112,
            Code::PolicyNotFound => 2121,
            Code::PolicyExists => 2122,
            Code::PolicyBuiltIn => 2123,
            Code::UserPoolNotFound => 2224,
            Code::DomainTaken => 3829,
            Code::NamespaceExists => 3001,
            Code::NamespaceNotFound => 3003,
            Code::NamespaceUpdateMissing => 3005,
            Code::ResourceNotFound => 3011,
            Code::ResourceExists => 3012,
            Code::AccessAccountNotFound => 3021,
            Code::WrongCredentials => 2333,
            Code::MfaRequired => 1635,
            Code::WrongTotp => 6001,
            Code::OrgNotFound => 2701,
            Code::NodeNotFound => 2702,
            Code::NodeMoveCycle => 2703,
            Code::NodeCodeExists => 2704,
            Code::RootNodeFixed => 2705,
            Code::NotInNode => 2706,
            Code::SyncNotConfigured => 2707,
            Code::WeakPassword => 2029,
            Code::RegistrationDisabled => 2031,
        }
    }

    /// The default message in `lang`.
    pub(crate) fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Code::BadRequest, Lang::Zh) => "请求参数错误",
            (Code::BadRequest, Lang::En) => "Bad request",
            (Code::NotFound, Lang::Zh) => "资源不存在",
            (Code::NotFound, Lang::En) => "Not found",
            (Code::MethodNotAllowed, Lang::Zh) => "不支持该请求方法",
            (Code::MethodNotAllowed, Lang::En) => "Method not allowed",
            (Code::PayloadTooLarge, Lang::Zh) => "请求体过大",
            (Code::PayloadTooLarge, Lang::En) => "Request body too large",
            (Code::NoPermission, Lang::Zh) => "没有权限",
            (Code::NoPermission, Lang::En) => "No permission",
            (Code::CaptchaRequired, Lang::Zh) => "请输入图形验证码",
            (Code::CaptchaRequired, Lang::En) => "A captcha is required",
            (Code::VerificationFailed, Lang::Zh) => "验证码不正确",
            (Code::VerificationFailed, Lang::En) => "The verification code is wrong",
            (Code::BadEmail, Lang::Zh) => "邮箱格式不正确",
            (Code::BadEmail, Lang::En) => "The e-mail address is malformed",
            (Code::UserNotFound, Lang::Zh) => "用户不存在",
            (Code::UserNotFound, Lang::En) => "User does not exist",
            (Code::UserLocked, Lang::Zh) => "用户已被锁定",
            (Code::UserLocked, Lang::En) => "The user is blocked",
            (Code::WrongPassword, Lang::Zh) => "密码错误",
            (Code::WrongPassword, Lang::En) => "Wrong password",
            (Code::AppNameInvalid, Lang::Zh) => "应用名称不合法",
            (Code::AppNameInvalid, Lang::En) => "Invalid application name",
            (Code::AppExists, Lang::Zh) => "存在同名应用",
            (Code::AppExists, Lang::En) => "An application with the same name already exists",
            (Code::DomainTaken, Lang::Zh) => "二级域名已被占用",
            (Code::DomainTaken, Lang::En) => "The second-level domain is already taken",
            (Code::AppNotFound, Lang::Zh) => "应用不存在",
            (Code::AppNotFound, Lang::En) => "Application does not exist",
            (Code::PasswordDecrypt, Lang::Zh) => "密码解密失败",
            (Code::PasswordDecrypt, Lang::En) => "Failed to decrypt the password",
            (Code::NotLoggedIn, Lang::Zh) => "尚未登录，无访问权限",
            (Code::NotLoggedIn, Lang::En) => "Not logged in, access denied",
            (Code::UserExists, Lang::Zh) => "用户已存在",
            (Code::UserExists, Lang::En) => "User already exists",
            (Code::UsernameExists, Lang::Zh) => "用户名已存在",
            (Code::UsernameExists, Lang::En) => "Username already exists",
            (Code::PhoneExists, Lang::Zh) => "手机号已被绑定",
            (Code::PhoneExists, Lang::En) => "Phone number already bound",
            (Code::PasswordResetRequired, Lang::Zh) => "需要重置密码",
            (Code::PasswordResetRequired, Lang::En) => "The password must be reset",
            (Code::RoleNotFound, Lang::Zh) => "角色不存在",
            (Code::RoleNotFound, Lang::En) => "Role does not exist",
            (Code::RoleExists, Lang::Zh) => "角色已存在",
            (Code::RoleExists, Lang::En) => "Role already exists",
            (Code::GroupNotFound, Lang::Zh) => "分组不存在",
            (Code::GroupNotFound, Lang::En) => "Group does not exist",
            (Code::GroupExists, Lang::Zh) => "分组已存在",
            (Code::GroupExists, Lang::En) => "Group already exists",
            (Code::PolicyNotFound, Lang::Zh) => "策略不存在",
            (Code::PolicyNotFound, Lang::En) => "Policy does not exist",
            (Code::PolicyExists, Lang::Zh) => "策略已存在",
            (Code::PolicyExists, Lang::En) => "Policy already exists",
            (Code::PolicyBuiltIn, Lang::Zh) => "系统内置策略不能修改或删除",
            (Code::PolicyBuiltIn, Lang::En) => "The built-in policy cannot be changed or deleted",
            (Code::UserPoolNotFound, Lang::Zh) => "用户池不存在",
            (Code::UserPoolNotFound, Lang::En) => "User pool does not exist",
            (Code::NamespaceExists, Lang::Zh) => "权限分组已存在",
            (Code::NamespaceExists, Lang::En) => "The resource namespace already exists",
            (Code::NamespaceNotFound | Code::NamespaceUpdateMissing, Lang::Zh) => "权限分组不存在",
            (Code::NamespaceNotFound | Code::NamespaceUpdateMissing, Lang::En) => "No such resource namespace",
            (Code::ResourceNotFound, Lang::Zh) => "资源不存在",
            (Code::ResourceNotFound, Lang::En) => "The resource does not exist",
            (Code::ResourceExists, Lang::Zh) => "资源已存在",
            (Code::ResourceExists, Lang::En) => "The resource already exists",
            (Code::AccessAccountNotFound, Lang::Zh) => "编程访问账号不存在",
            (Code::AccessAccountNotFound, Lang::En) => "The programmatic access account does not exist",
            (Code::WrongCredentials, Lang::Zh) => "用户名或密码错误",
            (Code::WrongCredentials, Lang::En) => "Wrong username or password",
            (Code::MfaRequired, Lang::Zh) => "请进行二次认证",
            (Code::MfaRequired, Lang::En) => "A second factor is required",
            (Code::WrongTotp, Lang::Zh) => "口令错误",
            (Code::WrongTotp, Lang::En) => "The TOTP code is wrong",
            (Code::OrgNotFound, Lang::Zh) => "组织机构不存在",
            (Code::OrgNotFound, Lang::En) => "The organization does not exist",
            (Code::NodeNotFound, Lang::Zh) => "组织机构节点不存在",
            (Code::NodeNotFound, Lang::En) => "The organization node does not exist",
            (Code::NodeMoveCycle, Lang::Zh) => "不能将节点移动到自身或其子节点下",
            (Code::NodeMoveCycle, Lang::En) => "A node cannot move under itself or one of its descendants",
            (Code::NodeCodeExists, Lang::Zh) => "节点 code 已存在",
            (Code::NodeCodeExists, Lang::En) => "The organization already has a node with this code",
            (Code::RootNodeFixed, Lang::Zh) => "不能删除根节点",
            (Code::RootNodeFixed, Lang::En) => "The root node cannot be deleted",
            (Code::NotInNode, Lang::Zh) => "用户或节点不属于该组织机构",
            (Code::NotInNode, Lang::En) => "The user or node does not belong to this organization node",
            (Code::SyncNotConfigured, Lang::Zh) => "你还没有配置通讯录",
            (Code::SyncNotConfigured, Lang::En) => "No directory is configured for this provider",
            (Code::WeakPassword, Lang::Zh) => "密码强度不符合要求",
            (Code::WeakPassword, Lang::En) => "The password is too weak",
            (Code::RegistrationDisabled, Lang::Zh) => "注册已关闭",
            (Code::RegistrationDisabled, Lang::En) => "Registration is disabled",
        }
    }
}

/// A refusal in Authing's terms: a code, optionally a message that replaces the code's default one, and
/// optional extra `data`.
///
/// Resolvers return it through `?` (async-graphql keeps it as the error's source); the GraphQL handler
/// finds it again and writes the object-form message in the request's language.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub(crate) code: Code,
    detail: Option<(String, String)>,
    pub(crate) data: Option<serde_json::Value>,
}

impl ApiError {
    /// An error with the code's default message.
    pub(crate) fn new(code: Code) -> Self {
        ApiError { code, detail: None, data: None }
    }

    /// An error with its own message in both languages.
    pub(crate) fn with_message(code: Code, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError { code, detail: Some((zh.into(), en.into())), data: None }
    }

    /// The message in `lang`.
    pub(crate) fn message(&self, lang: Lang) -> String {
        match (&self.detail, lang) {
            (Some((zh, _)), Lang::Zh) => zh.clone(),
            (Some((_, en)), Lang::En) => en.clone(),
            (None, lang) => self.code.message(lang).to_owned(),
        }
    }

    /// The `{code, message[, data]}` object.
    pub(crate) fn to_object(&self, lang: Lang) -> serde_json::Value {
        let mut obj = serde_json::json!({ "code": self.code.number(), "message": self.message(lang) });
        if let Some(data) = &self.data {
            obj["data"] = data.clone();
        }
        obj
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.number(), self.message(Lang::Zh))
    }
}

impl std::error::Error for ApiError {}

impl From<crate::crypto::PasswordError> for ApiError {
    /// A password that cannot be decrypted is refused with 2016.
    fn from(_: crate::crypto::PasswordError) -> Self {
        ApiError::new(Code::PasswordDecrypt)
    }
}
