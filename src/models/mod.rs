//! Typed models of what Authing sends and receives.

mod acl;
mod application;
mod auth;
mod common;
mod mfa;
mod org;
mod principal;
mod role;
mod udf;
mod user;
mod userpool;

pub use acl::{
    ApplicationAccessPolicy, AuthorizedTarget, DefaultStrategy, GrantResource, GrantResources, GrantTarget, Namespace,
    Operator, ProgrammaticAccessAccount, Resource, ResourceAction, ResourcePermission,
};
pub use application::{Agreement, AgreementUpdate, Application, ApplicationType, PermissionStrategy};
pub use auth::{
    EmailScene, PasswordSecurityLevel, PasswordStrength, RegisterProfile, SecurityLevel, TokenClaims, TokenStatus,
    TokenStatusData,
};
pub use common::CommonMessage;
pub use mfa::{MfaAuthenticator, MfaBindType, MfaChallenge, MfaFactor, MfaStatus, TotpAssociation};
pub use org::{Org, OrgExport, OrgTree, SyncProvider};
pub use principal::{LinkedIdentity, PrincipalDetail, PrincipalInfo, PrincipalType};
pub use role::{
    AuthorizedResource, Group, Policy, PolicyAssignment, PolicyAssignmentTargetType, PolicyCondition, PolicyEffect,
    PolicyStatement, ResourceType, Role,
};
pub use udf::{CustomData, UdfDataType, UdfEntry, UdfTargetType, UdfValue, UserDefinedField};
pub use user::{
    BatchField, CreateUserInput, GeoIp, Identity, IdentityInput, IdentityQuery, LoginStatus, OrgNode, OrgPath,
    RefreshedToken, SortBy, UpdateUserInput, User, UserAction, UserDepartment, UserStatus,
};

pub use userpool::{
    App2WxappLoginStrategy, AuditLog, ChangeEmailStrategy, ChangePhoneStrategy, CustomSmsProvider, EnvVar,
    PasswordUpdatePolicy, QrcodeLoginStrategy, UpdateUserpoolInput, UserPool, UserPoolType, WhitelistConfig,
    WhitelistEntry, WhitelistType, WindowCheck,
};

pub(crate) use udf::{custom_data_from_entries, custom_data_params};
