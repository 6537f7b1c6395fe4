//! A local, stateful, Authing-compatible server for the Authing v2 API, in the spirit of the Firebase Auth
//! emulator: start it in a test, point a client at [`Emulator::host`], and assert on what it did.
//!
//! ```
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = authing_emulator::Emulator::start().await?;
//! println!("GraphQL at {}/graphql/v2", emulator.host());
//! // use emulator.user_pool_id() and emulator.secret() to obtain a management token
//! # Ok(()) }
//! # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! # What it serves
//!
//! * `POST /graphql/v2`, with introspection; every type, field and argument is typed exactly as in the
//!   official schema. Root fields:
//!   * tokens: `accessToken`, `checkLoginStatus` (management and user tokens), `refreshToken`;
//!   * users: `users`, `archivedUsers`, `user`, `findUser`, `searchUser`, `userBatch`, `isUserExists`,
//!     `createUser`, `updateUser`, `deleteUser`, `deleteUsers`, `sendFirstLoginVerifyEmail`;
//!   * custom data: `udf`, `udv`, `udfValueBatch`, `setUdf`, `removeUdf`, `setUdv`, `setUdvBatch`,
//!     `removeUdv`, `setUdfValueBatch` (targets USER by user id and ROLE by role id are checked);
//!   * roles: `roles`, `role`, `createRole`, `updateRole`, `deleteRole`, `deleteRoles`, `assignRole`,
//!     `revokeRole`;
//!   * groups: `groups`, `group`, `createGroup`, `updateGroup`, `deleteGroups`, `addUserToGroup`,
//!     `removeUserFromGroup`;
//!   * policies: `policies`, `policy`, `policyAssignments`, `createPolicy`, `updatePolicy`,
//!     `deletePolicy`, `deletePolicies`, `addPolicyAssignments`, `removePolicyAssignments`,
//!     `enablePolicyAssignment`, `disbalePolicyAssignment` (the official spelling);
//!   * end users (see [End users](#end-users)): `registerByEmail`, `registerByUsername`,
//!     `registerByPhoneCode`, `loginByEmail`, `loginByUsername`, `loginByPhonePassword`, `loginByPhoneCode`,
//!     `loginBySubAccount`, `sendEmail`, `resetPassword`, `resetPasswordByFirstLoginToken`,
//!     `resetPasswordByForceResetToken`, `updatePassword`, `checkPasswordStrength`, `bindPhone`, `bindEmail`,
//!     `unbindPhone`, `unbindEmail`, `updatePhone`, `updateEmail`;
//!   * access control: `allow`, `isActionAllowed`, `authorizeResource`, `authorizedResources`,
//!     `authorizedTargets`;
//!   * organizations: `org`, `orgs`, `nodeById`, `nodeByCode`, `childrenNodes`, `rootNode`, `isRootNode`,
//!     `searchNodes`, `createOrg`, `deleteOrg`, `addNode`, `addNodeV2`, `updateNode`, `deleteNode`, `moveNode`,
//!     `addMember`, `removeMember`, `moveMembers`, `setMainDepartment`; `Node` has `users`,
//!     `authorizedResources` and `roles`.
//!   * the user pool: `userpool`, `updateUserpool` (only the fields given change, nested objects field by
//!     field), `whitelist`, `addWhitelist`, `removeWhitelist` (each answers the whole list).
//!
//!   `User` has every scalar field of the official type, plus `customData`, `roles`, `groups`,
//!   `authorizedResources` and `departments` (its nodes in the organization trees). `Role` has
//!   `users` and `parent`, `Group` has `users`, `Policy` has `assignmentsCount` and `assignments`; every
//!   `authorizedResources` reads the resource grants (a user's include those of its roles and groups; a null
//!   `namespace` means `default`, as in the top-level query).
//! * REST, with a management token: `GET /api/v2/.well-known` (no token), `GET /api/v2/users/{id}`,
//!   `GET /api/v2/users/{id}/orgs`, `GET /api/v2/users/{id}/has-role?code=&namespace=` (`data: true` or
//!   `false`), `POST /api/v2/users/kick`, `GET /logout`, `GET /api/v2/users/login-status`; organizations
//!   (`rest::orgs`): `GET /api/v2/orgs`, `/orgs/count`, `/orgs/by-tenant`, `POST /api/v2/orgs/import`,
//!   `GET /api/v2/orgs/export`, and directory sync (`POST /connections/enterprise/{provider}/start-sync`,
//!   `POST /api/v2/ad/sync`), which answers 2707: no directory is ever configured; the logs
//!   (`rest::statistics`): `GET /api/v2/analysis/user-action` and `GET /api/v2/analysis/audit` (see
//!   [Behaviour](#behaviour)), both filtered by `clientip`, `eventType` / `operation_name`, `userId`,
//!   `operator_arn`, `app_id`, `start` and `end`; `GET /api/v2/analysis/total-login-count?appId=`,
//!   `GET /api/v2/analysis/exist-defined-field-count?definedFieldKey=&appId=`, `GET /api/v2/userpools/detail`,
//!   `GET /api/v2/env`, `POST /api/v2/env`, `DELETE /api/v2/env/{key}`.
//! * Access control over REST, with a management token (details and rules in the `store::acl` and
//!   `rest::acl` module docs): resource namespaces (`/api/v2/resource-namespace/{userPoolId}`, by numeric id or
//!   `/code/{code}`), resources (`/api/v2/resources`, `/resources/{code}`, `/resources/detail`), grants and
//!   checks (`/api/v2/acl/revoke-resource`, `check-resource-permission-batch`,
//!   `get-authorized-resources-of-resource-kind`, `is-allowed`, `list-authorized-resources-batch`,
//!   `authorize-resources`, `revoke-resources`), programmatic access accounts
//!   (`/api/v2/applications/{appId}/programmatic-access-accounts`,
//!   `/api/v2/applications/programmatic-access-accounts`) and application access policies
//!   (`/api/v2/applications/{appId}/authorization/*`, `POST /api/v2/applications/{appId}`).
//! * REST for end users (a user token, see [End users](#end-users)): `POST /api/v2/sms/send` (no token),
//!   `GET /api/v2/users/me`, `GET /api/v2/logout?app_id=`, `GET /api/v2/users/me/applications/allowed`,
//!   `GET /api/v2/users/me/orgs` (the user's organizations as paths of nodes), `GET /api/v2/users/me/security-level`, `POST /api/v2/users/link`,
//!   `POST /api/v2/users/unlink`, `GET /api/v2/oidc/validate_token?id_token=|access_token=` (plain claims of
//!   a login token or of the OIDC provider's id or access tokens; `{code: 400, message}` for an invalid one),
//!   `POST /api/v2/upload?folder=avatar` (`multipart/form-data`, an image in the `file` part: `data: {url}`, a URL
//!   under `/user-contents/` on the emulator that serves the bytes back with their media type; 400 without a file
//!   or for one that is not `image/*`, 413 past the body limit; the latest 256 files are kept).
//! * Directories, principal authentication, identities (see
//!   [Directories and sub-accounts](#directories-and-sub-accounts) and the `rest::directory`,
//!   `rest::identities` and `rest::user_extras` module docs): `POST /api/v2/ldap/verify-user` and
//!   `POST /api/v2/ad/verify-user` (no token); `GET`/`POST /api/v2/users/{id}/management/principal_authentication`,
//!   `POST /api/v2/users/identity/link` and `/unlink`, `POST /api/v3/resign-user` and `/resign-user-batch`,
//!   `POST /api/v2/users/batch`, `POST /api/v2/users/filter`, `GET /api/v2/users/{id}/tenants` (`[]`: tenants do
//!   not exist), `POST /api/v2/roles/roleUsers`, `GET /api/v2/policies/assignments/by-target` (a management
//!   token); `GET`/`POST /api/v2/users/principal_authentication`, `GET /api/v3/get-identities`,
//!   `POST /api/v3/unlink-extidp`, `GET /api/v3/generate-link-extidp-url`, `GET /logout?appId=&deviceId=current`
//!   (a user token).
//! * An OIDC / OAuth 2.0 provider for the emulator's application (see [OIDC provider](#oidc-provider)):
//!   `/oidc/.well-known/openid-configuration`, `/oidc/.well-known/jwks.json`, `/oidc/auth` (a sign-in form),
//!   `/oidc/token`, `/oidc/me`, `/oidc/token/introspection`, `/oidc/token/revocation`, `/oidc/session/end`,
//!   and the same under `/oauth/`; CAS login (`/cas-idp/{appId}`), `validate`, `serviceValidate`,
//!   `/cas-idp/logout` and `/cas/session`.
//! * The emulator's own routes, under `/_emulator/` (no token, not part of Authing's API):
//!   * `GET /_emulator/verification-codes?to=` with a phone number or e-mail address answers
//!     `{code: 200, message: "", data: {code: "123456"}}`, or `data: null` when that recipient has no unused,
//!     unexpired code; the same as [`Emulator::verification_code`] (also served at the older
//!     `/emulator/verification-codes`);
//!   * `GET /_emulator/sessions`: `data` = `[{userId, appId, expiresAt}]`, the user tokens still accepted;
//!   * `POST /_emulator/reset`: empties the pool, as [`Emulator::reset`];
//!   * `POST /_emulator/import` with a state document: as [`Emulator::import`]; a refusal is
//!     `{code, message, data: null}` naming the first bad entry, and nothing changes;
//!   * `GET /_emulator/export`: the state document itself (no envelope), as [`Emulator::export`];
//!   * `POST /_emulator/oidc/rotate-key`: a new OIDC signing key, as [`Emulator::rotate_signing_key`].
//!
//!   The state document's format is described, with an example, in the crate's README.
//!
//! # Behaviour
//!
//! * Lists are newest first unless `sortBy` says otherwise, page 1 and limit 10 by default, a `limit` of at
//!   most 1000 ([`EmulatorBuilder::max_page_size`]; more gives 400); a page past the end is empty and keeps the
//!   real `totalCount`. Deleted users move to the archive (`archivedUsers`, newest deletion first), their
//!   identifiers become free and their tokens stop working at once.
//! * Identifiers (username, e-mail, phone, external id) are trimmed when stored and when looked up (logins,
//!   `isUserExists`, `findUser`, uniqueness): a user created as `" ada "` is `ada` and logs in as `ada` or
//!   `" ada "`. Registration always trimmed them, as the official SDKs' callers expect.
//! * Blocking a user (`updateUser(blocked: true)` with a management token) ends its sessions at once: every token
//!   it holds is refused (2020) from then on, even after it is unblocked, and so is any user token of a blocked
//!   user; its password logins give 2005.
//! * Every write to a user changes only its own fields of the stored record, under the store's lock: an end
//!   user's `updatePassword`, `bindPhone`, `updateEmail` … never undoes an administrator's change made meanwhile
//!   (a nickname, `blocked: true`); `updatePassword` fails with 2006 if the password changed since it checked
//!   `oldPassword`.
//! * Passwords of `createUser` and `updateUser` arrive RSA-encrypted; only a hash is kept. With
//!   `keepPassword: true` a text that does not decrypt is taken as the password itself.
//! * Dates given by callers (`lastLogin`, `signedUp`, `tokenExpiredAt`, `expiredAt`) must be ISO-8601
//!   and are kept as given.
//! * `createUser(params)` is the JSON text of `[{key, value}]` with raw values; each is checked like a
//!   `setUdv` value. The rules for custom data values are in the `store::udf` module docs: they are checked
//!   against the field's data type and served back as text that converts to the same value.
//! * Roles and policies live in a namespace (a permission group's code): a null namespace means `default`,
//!   which always exists; other namespaces come into being when first used. Role and policy codes are
//!   unique per namespace, group codes per pool. Renaming (`newCode`) keeps memberships and assignments;
//!   the old code then finds nothing. `User.roles(namespace)` lists all the user's roles (not paginated),
//!   of every namespace when `namespace` is null; `User.groups` all its groups. Member lists (`Role.users`,
//!   `Group.users`) are newest user first; `policyAssignments` oldest assignment first.
//! * `assignRole` / `revokeRole` take `roleCode` and `roleCodes` together, for `userIds` and `groupCodes`;
//!   everything named must exist (all or nothing); assigning twice changes nothing and revoking what is
//!   not assigned answers 200. `nodeCodes` carries node ids (2702 when unknown); a role given to a node is
//!   held by the members of the node and of its descendants. Roles given to a group are kept but not passed
//!   on to its users.
//! * Deleting a role removes its memberships, its policy assignments and its custom data, and its
//!   children lose their parent; deleting a group removes its memberships and assignments; deleting a
//!   policy removes its assignments; deleting a user removes its memberships and USER assignments. The
//!   batch deletes of roles and policies skip unknown codes; `deleteRole`, `deletePolicy` and `deleteGroups`
//!   refuse them (`deleteGroups` with 2111, deleting nothing).
//! * The built-in policy `AdministratorAccess` of `default` (`isDefault: true`, statement `*` / `*` ALLOW)
//!   is listed by `policies` unless `excludeDefault`, and can be neither updated nor deleted (a batch
//!   delete that names it deletes nothing). Statement conditions keep their `value` as given (any JSON).
//! * `addPolicyAssignments` targets: USER = a user id, ROLE = a role code of the namespace, GROUP = a
//!   group code; ORG and AK_SK identifiers are taken as given; `inheritByChildren` has no effect. In
//!   `policyAssignments`, `enablePolicyAssignment` and `disbalePolicyAssignment` a ROLE may be named by
//!   code or id. Enabling or disabling an assignment that does not exist answers 200 and changes
//!   nothing; [`Emulator::policy_assignment_enabled`] shows the flag.
//! * `searchUser` filters by direct group and role memberships, and by department (with its descendants when
//!   `includeChildrenDepartments` is true).
//! * Organizations (rules in the `store::orgs` module docs) are trees: `nodes` lists every node, root first
//!   and depth-first in sibling order (a larger `order` first); `children` are ids; `path`, `codePath`,
//!   `namePath` and `depth` follow moves. Node codes are unique per organization (2704). `moveNode` under the
//!   node itself or a descendant, or of the root, gives 2703; `deleteNode` takes the subtree with its members,
//!   roles and grants, and refuses the root (2705). Unknown organizations give 2701, unknown nodes 2702, a node
//!   named with an organization it is not in, or a main department the user is not a member of, 2706 (the
//!   official SDKs name no codes for these). An ACL grant to a node (`targetType: ORG`) applies to the members
//!   of the node and of its descendants in `isActionAllowed` and a user's `authorizedResources`; `Node.roles`
//!   lists the node's roles and its ancestors'. Setting a main department sets the user's
//!   `mainDepartmentId` / `mainDepartmentCode`. Deleting a user removes its memberships.
//! * The user-action log records `createUser`, `updateUser`, `deleteUser`, `refreshToken`, `kick` and
//!   `logout`, each about the user concerned (its `operator_arn`).
//! * The audit log records every change an administrator makes (any GraphQL mutation and any REST call but
//!   `GET`, with a management token): `eventType` (the mutation's name, `userpool:UpdateConfig` for
//!   `updateUserpool`, `addEnv`, `removeEnv`, `kick` ...), `userId` (the administrator), `operationParam` (the
//!   id, code or key acted on), `eventResultCode` and `eventResultMsg` (200, or the refusal), the client IP
//!   and the time. It is filtered by `eventType` / `operation_name`, `userId`, `operator_arn`, `clientip`,
//!   `app_id`, `start` and `end` (milliseconds) and paged like the other lists.
//! * The pool's settings change behaviour: with `registerDisabled`, self-registration gives 2031; while the
//!   registration whitelist of a type (`USERNAME`, `EMAIL`, `PHONE`) is on, registering with an identifier of
//!   that type that is not listed gives 2031 (a phone code is not used up); the administrator's `createUser`
//!   is not restricted. `tokenExpiresAfter` is the lifetime of the user tokens issued from then on. The
//!   password-strength level ([`Emulator::set_password_strength`], the state document's
//!   `userPool.settings.passwordStrength`; 0, any password, by default) is enforced at registration and when
//!   a user sets a password (`updatePassword`, `resetPassword`, the reset tokens), with 2029.
//!
//! # End users
//!
//! * **Registration** returns the user; it carries a login token only with `forceLogin` (a login: counts in
//!   `loginsCount`, sets `lastLogin`/`lastIP`) or `generateToken` (a token, no login). Either token works at
//!   once. `profile` fields are copied (its `udf` entries are JSON-encoded values, like `setUdv`), `params`
//!   is custom data (raw values, checked like `createUser(params)`), `context` is accepted and ignored. The
//!   pool's password-strength level, `registerDisabled` and whitelists apply (see [Behaviour](#behaviour)).
//!   `registerSource` is `basic:email`, `basic:username` or
//!   `basic:phone-code`.
//! * **Password logins** (`loginByEmail`, `loginByUsername`, `loginByPhonePassword`): an unknown identifier
//!   gives 2004, or, with `autoRegister`, a new user that is logged in (`newlyCreated: true`); a wrong
//!   password gives 2333. After 5 wrong passwords in a row for one identifier, every password login of it
//!   answers 2000 (captcha required), even with the right password, until a login with the right password
//!   and a non-empty `captchaCode` (any text passes); a correct login clears the count. A blocked user gets
//!   2005. `params` set custom data of the user. `loginByPhoneCode` checks the code (then 2004 or
//!   `autoRegister`); `loginBySubAccount` logs a sub-account in (see
//!   [Directories and sub-accounts](#directories-and-sub-accounts)).
//! * **Login tokens** are OIDC id tokens, signed like the application's id tokens (RS256 with the key of
//!   `/oidc/.well-known/jwks.json` and its `kid` by default; HS256 with the secret of the application logged in
//!   to, `x-authing-app-id`, when [`EmulatorBuilder::id_token_algorithm`] says so), with the claims `sub`, `aud` (the
//!   app id), `iss` (`{host}/oidc`), `iat`, `exp` (15 days), `userpool_id`, the profile claims (`name`,
//!   `nickname`, `picture`, `email`, `email_verified`, `phone_number`, `phone_number_verified`,
//!   `address {…}`, `updated_at` …), `data` as in the tokens of `refreshToken`, and the bookkeeping claims
//!   `jti`, `userPoolId`, `epoch`. The login's application is the emulator's (an `x-authing-app-id` naming
//!   another one gives 2011). Kick, logout (management `GET /logout` and the user's `GET /api/v2/logout`)
//!   and deleting the user revoke them; the user keeps the last one in `token` / `tokenExpiredAt`.
//! * **MFA**: a correct password login of a user with a bound TOTP authenticator (associated and confirmed, or
//!   imported by the administrator), or of any user with [`EmulatorBuilder::enforce_mfa`] (or
//!   [`Emulator::set_mfa_enforced`]), answers 1635 whose `data` carries `mfaToken` (valid
//!   [`EmulatorBuilder::mfa_token_ttl`]) and the factors on offer (`applicationMfa`, `totpMfaEnabled`, `faceMfaEnabled`). The REST MFA endpoints
//!   (`/api/v2/mfa/*`, `/api/v2/applications/mfa/*`) finish the login with a TOTP (RFC 6238, a step used
//!   once), the one-time recovery code, an SMS or e-mail code of the outbox, or a face. There is no face
//!   engine: a face verifies when its photo URL is one of the two associated. MFA tokens work only there; an
//!   expired one gives 2020. Wrong, replayed or used TOTP and recovery codes give 6001.
//! * **Verification codes** (`POST /api/v2/sms/send`, `sendEmail` of any scene) are 6 digits, kept in the
//!   emulator instead of being sent: single-use, only the latest per phone or e-mail counts, valid
//!   [`EmulatorBuilder::verification_code_ttl`] (5 minutes by default). A wrong code gives 2001
//!   `验证码不正确`, a used one 2001 `验证码已使用`, an expired one 2001 `验证码已过期`.
//! * **Password resets**: `resetPassword` takes a code of the phone or e-mail. A user created with
//!   `resetPasswordOnFirstLogin`, or marked with [`Emulator::require_password_reset`], is refused at a
//!   correct password login with 2058 whose `data` is `{token, scene}` (`FIRST_LOGIN` or `FORCE_RESET`):
//!   a one-time ticket valid one hour. `resetPasswordByFirstLoginToken` takes a `FIRST_LOGIN` ticket;
//!   `resetPasswordByForceResetToken` takes a ticket of either scene or a valid user token of the user, and
//!   the old password (2006 when wrong). An unknown, used or expired ticket gives 2020. `updatePassword`
//!   needs the user token and, when a password is set, the right `oldPassword` (else 2006).
//! * **`checkPasswordStrength`** is valid for at least 8 characters of at least 3 classes (lower-case,
//!   upper-case, digit, symbol).
//! * **Contacts**: `bindPhone`/`bindEmail` need the code of the new contact, and a user without one (else
//!   400); `updatePhone`/`updateEmail` replace it (with `oldPhone`/`oldEmail`, that must be the current one
//!   and its code is checked too). A contact of another user gives 2035 (phone) or 2026 (e-mail), checked
//!   before the code is used. `unbindPhone`/`unbindEmail` answer 400 when the user would have no way left
//!   to log in (a phone, or an e-mail or username with a password, or an identity).
//! * **Self calls with a user token**: `user` (its own id, or no id), `updateUser` (its own id; changing
//!   `phone`, `email`, `unionid`, `openid`, `password`, `emailVerified` or `phoneVerified`, or a field only an
//!   administrator sets: `blocked`, `loginsCount`, `lastLogin`, `lastIP`, `tokenExpiredAt`, `expiredAt`,
//!   `externalId`, `oauth`, `mainDepartmentId`, `mainDepartmentCode`, `directManagement`, gives 1001 and changes
//!   nothing),
//!   `udv`, `setUdv`, `setUdvBatch`, `removeUdv` (target USER and its own id), `refreshToken` (no id),
//!   `checkLoginStatus`, `isUserExists`. Another user's id or another target type gives 1001; every other
//!   management call gives 2020. `isUserExists` also accepts a request with the `x-authing-app-id` of the
//!   emulator's application and no token.
//! * **`/users/me/security-level`**: `email`, `phone`, `password` tell what is set, `mfa` is false,
//!   `passwordSecurityLevel` is 1 (low), 2 (8+ characters with letters and digits) or 3 (12+ with lower-case,
//!   upper-case and digits), null without a password; `score` adds 40 for a password (+10 per level above
//!   1), 20 for an e-mail and 20 for a phone.
//! * **`/users/me/applications/allowed`** lists the emulator's application when its access policy lets the
//!   user in (everyone by default).
//! * **Linking**: `POST /api/v2/users/link` moves the identities of the secondary token's user to the
//!   primary token's user; a secondary user left without any identifier is deleted. `POST
//!   /api/v2/users/unlink` removes the user's identities of `provider` (400 when there is none). Invalid
//!   tokens give 2020.
//!
//! # Directories and sub-accounts
//!
//! * **LDAP and AD**: the emulator stands in for the pool's LDAP server and AD connector. Their accounts
//!   (username, password, optional e-mail and name) are given with [`EmulatorBuilder::directory_user`], the
//!   binary's `--ldap-user` / `--ad-user username:password` flags, or in process with
//!   [`Emulator::add_directory_user`] / [`Emulator::remove_directory_user`]. `POST /api/v2/ldap/verify-user` and
//!   `POST /api/v2/ad/verify-user` `{username, password}` (clear text) check the account: unknown 2004, wrong
//!   password 2333. The first login links the account to a pool user as an identity (`provider` `ldap` / `ad`,
//!   `userIdInIdp` the username): the user with the account's e-mail, else a new user (`registerSource` `ldap` /
//!   `ad`, the username when free, the e-mail, the name). The user is then signed in like a password login
//!   (`token`, `loginsCount`, `lastLogin`); a blocked or resigned user gets 2005, and where MFA applies (as
//!   for a password login) the answer is 1635 with an MFA token, the second step being the same.
//! * **Sub-accounts** ([`Emulator::add_sub_account`]) are users of their own, with a username and a password,
//!   linked to a main user ([`Emulator::main_user_of`]). `loginBySubAccount(account, password)` signs a
//!   sub-account in; any other account gives 2004, a wrong password 2333, and where MFA applies the answer is
//!   1635 with an MFA token, as for a directory login. They are forgotten on reset and import.
//! * **Principal authentication** is emulated: nothing is checked with an outside authority. A submission
//!   `{type, name, idCard, ext}` is checked for form (400 otherwise: type `P` or `E`, a name, for `P` an
//!   18-character identity-card number and a 12–19 digit bank card, for `E` an 18-character unified social credit
//!   code and the legal representative's name) and becomes the user's one record (`principalType`,
//!   `principalName`, `principalCode`, `authenticationTime`); `detail` is `data: null` until then, 2004 for an
//!   unknown user. Records are forgotten on reset and import; [`Emulator::principal_of`] reads one.
//! * **Identities and resignation**: `identity/link` adds `{userIdInIdp, isSocial, type, provider: identifier,
//!   extIdpId}` to the user (2026 when another user holds it), `identity/unlink` and `unlink-extidp` remove
//!   matching ones (400 when none). `generate-link-extidp-url` answers `{url}`, the address of this host's
//!   `/connections/social/{identifier}` with `app_id`, `id_token` and `link=1` (the identifier is not checked, as
//!   Authing does not; the emulator serves no such page). `resign-user` marks the user `Resigned` and revokes every token it holds
//!   (2004 for an unknown user; the batch resigns nobody then); a resigned user's logins are refused with 2005
//!   from then on, and the state document keeps `status: "Resigned"` in the user's entry.
//!
//! # Errors
//!
//! Refusals use Authing's shapes and codes, with HTTP 200: in GraphQL each `errors[].message` is an object
//! `{code, message}`, in REST the envelope is `{code, message, data}`. Messages are Chinese unless the
//! request says `x-authing-lang: en-US`. Codes:
//!
//! | code | when |
//! |---|---|
//! | 400 | the body is not JSON or not a GraphQL request; parse and validation errors (unknown fields, wrong or missing variables); a document past a [limit](#limits) or a page `limit` above it; a REST path segment that does not decode (HTTP 400); a bad query parameter or body; a user without any identifier; a date that is not ISO-8601 (a numeric string included); `page`/`limit` below 1; an unknown `userBatch` type; an empty role, group or policy code; `assignRole`/`revokeRole` without any role; an empty node name, an `order` outside 0 ≤ order < 2³², `addMember`/`removeMember` naming no node, an org import that is not a JSON tree; has-role without `code`; `params` that is not a JSON list; a custom data value of the wrong type (`自定义字段 KEY 的值类型错误…`) or for an undefined key (`自定义字段 KEY 未定义`); `allow` with a resource that is not `type:identifier` or without any user or role; an ACL body that does not fit; an unknown resource or target type; deleting the `default` namespace or changing its code; an unknown `defaultStrategy`; end users: an empty username, `resetPassword` without phone or e-mail, binding a second phone or e-mail, unbinding what is not bound or the last way to log in, an old phone or e-mail that is not the user's, linking a user to itself, unlinking a provider the user has no identity of; a principal authentication submission of the wrong form; unlinking an identity (or `extIdpId`) the user does not have; a users filter condition it does not know |
//! | 404 | unknown route, under a known prefix or not (REST envelope, HTTP 404) |
//! | 405 | a method a route does not serve: on `/graphql/v2` (HTTP 200), in REST (HTTP 405) |
//! | 413 | a body over the limit, 1 MiB by default: GraphQL (HTTP 200), REST (HTTP 413) |
//! | 1001 | `accessToken` with a wrong secret (`用户池密钥错误` / `Wrong user pool secret`); a user token naming another user or target type, or changing a restricted field through `updateUser` |
//! | 2000 | a password login after 5 wrong passwords in a row for the identifier, without `captchaCode` (`请输入图形验证码`) |
//! | 2001 | a verification code that is wrong (`验证码不正确`), used (`验证码已使用`) or expired (`验证码已过期`) |
//! | 2003 | a malformed e-mail address (`邮箱格式不正确`) |
//! | 2004 | unknown user (`用户不存在` / `User does not exist`): update, delete, refresh token, first-login e-mail, custom data of a USER target, orgs, members of a node, `setMainDepartment`, login status, has-role, `assignRole`/`revokeRole`, `addUserToGroup`/`removeUserFromGroup`, `groups(userId)`, a USER policy target; a USER grant target, `isActionAllowed` and the REST checks of an unknown user; `allow` of application access to an unknown user; a login of an unknown identifier without `autoRegister`, `loginBySubAccount` of an account that is no sub-account, an LDAP or AD account the directory does not know, `resetPassword` of an unknown phone or e-mail; principal authentication, identity link/unlink, tenants and resignation of an unknown user |
//! | 2005 | a blocked or resigned user logs in (`用户已被锁定`) |
//! | 2006 | a wrong or missing old password: `updatePassword`, `resetPasswordByForceResetToken` (`旧密码错误`) |
//! | 2011 | `sendFirstLoginVerifyEmail` with an application id other than the emulator's (`应用不存在`); programmatic access accounts and access policies of another application; a login or registration whose `x-authing-app-id` names another application |
//! | 2016 | a password that does not RSA-decrypt (`密码解密失败`) |
//! | 2020 | missing, invalid, expired or revoked management token (`尚未登录，无访问权限` / `Not logged in, access denied`); also the `code` of a refused `checkLoginStatus`; a missing, invalid or revoked user token where one is needed; an unknown, used or expired password-reset ticket |
//! | 2026 | the e-mail (case-insensitive), external id or identity is taken (`用户已存在`) |
//! | 2034 | the username is taken (`用户名已存在`) |
//! | 2035 | the phone is taken (`手机号已被绑定`) |
//! | 2058 | a correct login of a user who must reset the password (`首次登录需要重置密码` / `需要重置密码`); `data: {token, scene}` |
//! | 2101 | unknown role (`角色不存在` / `Role does not exist`): `updateRole`, `deleteRole`, `assignRole`, `revokeRole`, a ROLE policy target, custom data of a ROLE target (by role id); an unknown `parent` of `createRole` (`父角色 P 不存在` / `The parent role P does not exist`); a ROLE grant or application access target (a role code of the namespace) |
//! | 2102 | the namespace already has a role with this code (`角色已存在` / `Role already exists`): `createRole`, `updateRole(newCode)` |
//! | 2111 | unknown group (`分组不存在` / `Group does not exist`): `updateGroup`, `addUserToGroup`, `removeUserFromGroup`, `assignRole(groupCodes)`, a GROUP policy target; a GROUP grant or application access target |
//! | 2112 | the pool already has a group with this code (`分组已存在` / `Group already exists`): `createGroup`, `updateGroup(newCode)` |
//! | 2121 | unknown policy (`策略不存在` / `Policy does not exist`): `updatePolicy`, `deletePolicy`, `addPolicyAssignments`, `removePolicyAssignments`, `enablePolicyAssignment`, `disbalePolicyAssignment` |
//! | 2122 | the namespace already has a policy with this code (`策略已存在` / `Policy already exists`): `createPolicy`, `updatePolicy(newCode)` |
//! | 2123 | the built-in policy (`系统内置策略不能修改或删除` / `The built-in policy cannot be changed or deleted`): `updatePolicy`, `deletePolicy`, `deletePolicies` |
//! | 2701 | unknown organization (`组织机构不存在` / `The organization does not exist`): `org`, `rootNode`, `deleteOrg`, `addNode`, `moveNode`, `deleteNode`, `isRootNode`, export by id. The official SDKs name no code for it; 27xx are the emulator's |
//! | 2702 | unknown node, or a node of another organization (`组织机构节点不存在`): `childrenNodes`, `updateNode`, `deleteNode`, `moveNode`, `addMember`/`removeMember`, `moveMembers`, `setMainDepartment`, a parent of `addNode`, `assignRole`/`revokeRole(nodeCodes)` |
//! | 2703 | `moveNode` under the node itself or one of its descendants, or of the root (`不能将节点移动到自身或其子节点下`) |
//! | 2704 | the organization already has a node with this code (`节点 code 已存在`): `addNode`, `updateNode`, an import whose tree repeats a code |
//! | 2705 | `deleteNode` of the root (`不能删除根节点`): it goes with `deleteOrg` |
//! | 2706 | `addMember`/`removeMember` naming a node together with an organization it is not in; `setMainDepartment` of a node the user is not a member of |
//! | 2707 | third-party directory sync: no directory is configured (`你还没有配置钉钉通讯录` for DingTalk) |
//! | 2224 | `accessToken` with an unknown user pool id (`用户池不存在` / `User pool does not exist`); a resource-namespace path with a pool id other than the emulator's |
//! | 2333 | a wrong password at login, LDAP and AD logins and `loginBySubAccount` included (`用户名或密码错误` / `Wrong username or password`) |
//! | 3001 | the pool already has a resource namespace with this code (`权限分组已存在` / `The resource namespace already exists`): create (unless a role or policy brought it into being: then it is adopted), update with a new code |
//! | 3003 | unknown resource namespace (`权限分组不存在` / `No such resource namespace`): delete by id or code, and every ACL call that names it (grants, checks, resources, listings) |
//! | 3005 | update of an unknown resource namespace, by id or code (`权限分组不存在`) |
//! | 3011 | unknown resource (`资源不存在` / `The resource does not exist`): update, delete |
//! | 3012 | the namespace already has a resource with this code (`资源已存在` / `The resource already exists`) |
//! | 3021 | unknown programmatic access account (`编程访问账号不存在`): PATCH, DELETE |
//!
//! # Limits
//!
//! Every answer has Authing's shape, whatever went wrong: GraphQL errors are `{errors: [{message: {code,
//! message}}]}` with HTTP 200 (as the protocol requires for the JS SDK to see the code), REST refusals the envelope
//! `{code, message, data: null}`; refusals axum itself makes (a wrong method, a body over the limit, a path that
//! does not decode) are rewritten into that shape, without repeating anything of the request.
//!
//! Every GraphQL request goes through async-graphql's normal execution: parsed, validated in full, then executed,
//! with nothing kept from one request to the next. Each limit has a default, an [`EmulatorBuilder`] setter and a
//! flag of the `authing-emulator` binary (with its `AUTHING_EMULATOR_*` variable):
//!
//! | limit | default | setter / flag | past it |
//! |---|---|---|---|
//! | request body | 1 MiB | [`max_body_size`](EmulatorBuilder::max_body_size) / `--max-body-size` | code 413 (HTTP 413 in REST) |
//! | GraphQL document (`query`) | 64 KiB | [`max_document_size`](EmulatorBuilder::max_document_size) / `--max-document-size` | code 400 |
//! | depth of fields (async-graphql `limit_depth`) | 20 | [`max_depth`](EmulatorBuilder::max_depth) / `--max-depth` | code 400 |
//! | complexity: fields and selections with fragments expanded (`limit_complexity`) | 1000 | [`max_complexity`](EmulatorBuilder::max_complexity) / `--max-complexity` | code 400 |
//! | nesting of `{`, `[` and `(` in the document's text, strings and comments aside | 64 | [`max_nesting`](EmulatorBuilder::max_nesting) / `--max-nesting` | code 400 |
//! | aliases in a document | 100 | [`max_aliases`](EmulatorBuilder::max_aliases) / `--max-aliases` | code 400 |
//! | `limit` of one page of a list | 1000 | [`max_page_size`](EmulatorBuilder::max_page_size) / `--max-page-size` | code 400 |
//! | time to receive a request head, counted from when a connection waits for a request | 40 s | [`header_read_timeout`](EmulatorBuilder::header_read_timeout) / `--header-read-timeout` | connection closed |
//! | time without a byte read or written while the server waits on a connection | 90 s | [`idle_timeout`](EmulatorBuilder::idle_timeout) / `--idle-timeout` | connection closed |
//! | nesting of selection sets with fragments expanded (`limit_recursive_depth`) | 32 | fixed | code 400 |
//! | directives on one field (`limit_directives`) | 8 | fixed | code 400 |
//!
//! The document size, text nesting, aliases and the selections with every fragment expanded are checked before
//! async-graphql parses or walks the document: its parser recurses once per level of an argument value (some
//! hundreds of levels overflow the stack), it walks a document with its fragments expanded before it compares
//! complexity with the limit (fragments that each spread the next twice make that walk exponential), and each
//! alias of a root field runs its resolver again. Variables nested deeper than 128 levels are refused by the JSON
//! reader. The documents the SDK and the official SDKs send, and a full introspection query, stay well within
//! every limit. A kept-alive connection is closed once it has waited the header-read timeout for its next request;
//! 40 s is above the 30 s for which the SDK keeps an idle pooled connection, so the SDK never reuses a closed one.
//!
//! # Tokens
//!
//! Management tokens are HS256 JWTs signed with a random secret of each emulator; their claims are
//! `sub` (the pool administrator's id), `iat`, `exp`, `jti`, `iss` (`authing-emulator`), `userPoolId`,
//! `epoch` and `data: {type: "management", id, userPoolId}`. They live
//! [`EmulatorBuilder::management_token_ttl`] (24 hours by default) unless
//! [`Emulator::revoke_management_tokens`] is called.
//!
//! Login tokens are described under [End users](#end-users). User tokens from `refreshToken` are HS256 JWTs
//! too, valid 15 days, with `sub` = the user id and
//! `data: {type: "user", userPoolId, appId, arn, id, userId, _id, phone, email, username, unionid, openid,
//! clientId}`. Kicking, logging out (per application or everywhere) and deleting the user revoke the
//! tokens signed before.
//!
//! # OIDC provider
//!
//! The emulator's application is an OIDC / OAuth 2.0 client of the emulator (the rules are in the `store::oidc`
//! and `oidc` module docs). Its settings ([`OidcSettings`]: redirect URIs, client authentication of the token,
//! introspection and revocation endpoints, id token algorithm, lifetimes) are set with the builder
//! ([`EmulatorBuilder::redirect_uris`], [`EmulatorBuilder::token_endpoint_auth_method`], …) or in process
//! ([`Emulator::set_oidc_settings`]).
//!
//! * **Authorization** (`GET /oidc/auth`): the client id, a registered redirect URI, `response_type=code`,
//!   `openid` in the scope and the PKCE challenge (`S256` or `plain`; required when the client authenticates
//!   by `none`) are checked; a plain HTML form (no JavaScript) takes a username, e-mail or phone and the
//!   password, and redirects to the redirect URI with `code` and `state`. A session cookie skips the form
//!   the next time unless `prompt=login`; `prompt=none` without a session gives `login_required`. Errors
//!   about the client or the redirect URI are shown on the page (400), the others redirected.
//! * **Token endpoint** (`POST /oidc/token`, a form): `authorization_code` (single use, 10 minutes, bound to
//!   the client, the redirect URI and the PKCE verifier), `refresh_token` (with `offline_access`; rotated:
//!   the used one is refused), `client_credentials` (a programmatic access account, see
//!   [`Emulator::create_access_account`]), `http://authing.cn/oidc/grant_type/authing_token` (a login token
//!   in `token` for OIDC tokens). Errors are RFC 6749's `{error, error_description}`: 400, and 401 for
//!   `invalid_client`.
//! * **Tokens**: access tokens are RS256 JWTs (`kid`) with `jti`, `sub`, `iat`, `exp`, `iss` (`{host}/oidc`),
//!   `aud` (the app id), `scope`, `client_id`, `userpool_id`; id tokens (scope `openid`) carry `nonce`,
//!   `at_hash`, the standard claims of the scope, `data` and `userpool_id`, signed RS256 or HS256 with the
//!   app secret.
//! * **Userinfo, introspection, revocation, logout**: `/oidc/me` (GET or POST, a bearer access token),
//!   `/oidc/token/introspection` (RFC 7662; revoked, expired or unknown tokens are `{active: false}`),
//!   `/oidc/token/revocation` (RFC 7009; 200 with an empty body), `/oidc/session/end`.
//! * **CAS**: `/cas-idp/{appId}?service=` signs in with the same form and session (the service must be a
//!   redirect URI) and redirects with `ticket=ST-…`; a ticket is validated once, for its service, by
//!   `/cas-idp/{appId}/validate` (`yes\n<user>\n` / `no\n`) or `/serviceValidate` (CAS 2.0, `format=JSON` or
//!   XML); `/cas/session` answers `{session, userInfo}` for the browser's cookie, or `null`.
//! * **Keys**: one RSA-2048 key signs; the JWKS holds just that key. `POST /_emulator/oidc/rotate-key` (the
//!   emulator's own route) or [`Emulator::rotate_signing_key`] replaces it: tokens signed with the old key,
//!   login tokens included, are refused from then on and fail offline verification against the JWKS.
//!
//! # Architecture
//!
//! * `store/`: the domain, one user pool in memory (users, roles, groups, policies, ACL, custom fields, tokens,
//!   verification codes, sessions, the user-action log); it knows nothing of HTTP.
//! * `graphql/`: the GraphQL front end (async-graphql); its resolvers call the store.
//! * `rest/`: the REST front end (axum); its handlers call the store.
//! * `oidc/`: the OIDC / OAuth 2.0 front end (axum): discovery, JWKS, the sign-in form, the token endpoint.
//! * `http.rs`: what both front ends read from a request's headers, the limits, and the Authing shape of the
//!   answers no handler wrote; `server.rs` joins their routers and serves them with hyper's HTTP/1 connections
//!   (header-read and idle timeouts).
//!
//! Modules depend downwards only: the front ends on the store, the server on the front ends.
//!
//! # Keys
//!
//! All emulators of one process share one ordinary RSA 1024-bit key pair (two primes, made by the `rsa`
//! crate), generated on first use, so that starting an emulator stays fast. Passwords travel RSA-encrypted
//! (PKCS#1 v1.5) and base64-encoded; the `rsa` crate decrypts them; see [`crypto`]. The OIDC signing key is
//! another, RSA-2048 key, also shared by the emulators of a process until one rotates its own.

pub mod crypto;
mod directories;
mod graphql;
mod http;
mod oidc;
mod rest;
mod server;
mod store;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use crate::directories::{Directory, DirectoryUser};
use crate::store::common::{new_id, random_hex};
pub use crate::store::oidc::provider::{IdTokenAlgorithm, OidcSettings, TokenAuthMethod};
use crate::store::state::{Credentials, State};
use crate::store::{access, auth, error, snapshot, tokens};

/// The GraphQL schema the emulator serves, as SDL.
///
/// ```
/// assert!(authing_emulator::schema_sdl().contains("accessToken"));
/// ```
pub fn schema_sdl() -> String {
    graphql::sdl()
}

/// Configures an emulator before it starts. Made by [`Emulator::builder`].
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// let emulator = authing_emulator::Emulator::builder()
///     .user_pool_id("60b6f5a0c1e2d3f4a5b6c7d8")
///     .secret("pool-secret")
///     .management_token_ttl(Duration::from_secs(60))
///     .start()
///     .await?;
/// assert_eq!(emulator.secret(), "pool-secret");
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
#[must_use]
pub struct EmulatorBuilder {
    user_pool_id: Option<String>,
    secret: Option<String>,
    app_id: Option<String>,
    app_secret: Option<String>,
    bind: SocketAddr,
    management_token_ttl: Duration,
    user_token_ttl: Duration,
    verification_code_ttl: Duration,
    seed_users: usize,
    limits: http::Limits,
    max_page_size: usize,
    import: Option<ImportSource>,
    oidc: OidcSettings,
    enforce_mfa: bool,
    mfa_token_ttl: Duration,
    directory_users: Vec<(Directory, DirectoryUser)>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            user_pool_id: None,
            secret: None,
            app_id: None,
            app_secret: None,
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            management_token_ttl: Duration::from_secs(24 * 3600),
            user_token_ttl: Duration::from_secs(tokens::USER_TOKEN_TTL),
            verification_code_ttl: auth::DEFAULT_CODE_TTL,
            seed_users: 0,
            limits: http::Limits::default(),
            max_page_size: store::state::DEFAULT_MAX_PAGE_SIZE,
            import: None,
            oidc: OidcSettings::default(),
            enforce_mfa: false,
            mfa_token_ttl: crate::store::mfa::DEFAULT_MFA_TOKEN_TTL,
            directory_users: Vec::new(),
        }
    }
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("user_pool_id", &self.user_pool_id)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("app_id", &self.app_id)
            .field("app_secret", &self.app_secret.as_ref().map(|_| "[redacted]"))
            .field("bind", &self.bind)
            .field("management_token_ttl", &self.management_token_ttl)
            .field("user_token_ttl", &self.user_token_ttl)
            .field("verification_code_ttl", &self.verification_code_ttl)
            .field("seed_users", &self.seed_users)
            .field("limits", &self.limits)
            .field("max_page_size", &self.max_page_size)
            .field("import", &self.import)
            .field("oidc", &self.oidc)
            .field("enforce_mfa", &self.enforce_mfa)
            .field("mfa_token_ttl", &self.mfa_token_ttl)
            .field("directory_users", &self.directory_users)
            .finish()
    }
}

impl EmulatorBuilder {
    /// The user pool id (default: 24 random hex digits).
    pub fn user_pool_id(mut self, id: impl Into<String>) -> Self {
        self.user_pool_id = Some(id.into());
        self
    }

    /// The user pool secret that `accessToken` accepts (default: 32 random hex digits).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The application id (default: 24 random hex digits).
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }

    /// The application secret (default: 32 random hex digits).
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// The address to listen on (default `127.0.0.1:0`: loopback, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The port to listen on, keeping the bind IP (default 0: a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.bind.set_port(port);
        self
    }

    /// How long management tokens stay valid (default 24 hours, at least one second).
    pub fn management_token_ttl(mut self, ttl: Duration) -> Self {
        self.management_token_ttl = ttl;
        self
    }

    /// How long the user tokens it issues (logins, registrations with a token, `refreshToken`) stay valid
    /// (default 15 days, at least one second).
    pub fn user_token_ttl(mut self, ttl: Duration) -> Self {
        self.user_token_ttl = ttl;
        self
    }

    /// How long verification codes (SMS and e-mail) stay valid (default 5 minutes).
    pub fn verification_code_ttl(mut self, ttl: Duration) -> Self {
        self.verification_code_ttl = ttl;
        self
    }

    /// Adds `count` users before serving (default 0): usernames `seed-user-1` to `seed-user-{count}`, no
    /// password, created in that order (so `seed-user-{count}` is the newest). For load tests and paging
    /// through large pools; a hundred thousand take well under a second.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::builder().seed_users(3).start().await?;
    /// let taken = emulator.add_user(authing_emulator::NewUser::new().username("seed-user-3"));
    /// assert_eq!(taken.unwrap_err().code, 2034);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn seed_users(mut self, count: usize) -> Self {
        self.seed_users = count;
        self
    }

    /// The largest request body, in bytes (default 1 MiB); a larger one is refused with code 413 (HTTP 413 in
    /// REST, HTTP 200 in GraphQL). At least 1 KiB.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.limits.max_body_size = bytes.max(1024);
        self
    }

    /// The longest GraphQL document (the request's `query`), in bytes (default 64 KiB); a longer one is refused with
    /// code 400 before it is parsed. At least 1 KiB.
    pub fn max_document_size(mut self, bytes: usize) -> Self {
        self.limits.max_document_size = bytes.max(1024);
        self
    }

    /// The deepest nesting of fields a GraphQL document may select (default 20; async-graphql's `limit_depth`).
    /// At least 1.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.limits.max_depth = depth.max(1);
        self
    }

    /// The most fields a GraphQL document may select, counted with its fragments expanded (default 1000;
    /// async-graphql's `limit_complexity`). At least 1.
    pub fn max_complexity(mut self, fields: usize) -> Self {
        self.limits.max_complexity = fields.max(1);
        self
    }

    /// The deepest nesting of `{`, `[` and `(` in the text of a GraphQL document, strings and comments aside
    /// (default 64). Between 4 and 256: async-graphql's parser recurses once per level of an argument value, so a
    /// much larger value would let a document overflow the stack again.
    pub fn max_nesting(mut self, levels: usize) -> Self {
        self.limits.max_nesting = levels.clamp(4, 256);
        self
    }

    /// The most aliases a GraphQL document may use (default 100): each alias of a root field runs its resolver once
    /// more.
    pub fn max_aliases(mut self, aliases: usize) -> Self {
        self.limits.max_aliases = aliases;
        self
    }

    /// The largest `limit` of one page of a list, GraphQL or REST (default 1000); a larger one is refused with
    /// code 400. At least 1.
    pub fn max_page_size(mut self, limit: usize) -> Self {
        self.max_page_size = limit.max(1);
        self
    }

    /// How long a connection may take to send a complete request head, counted from when it waits for a request
    /// (default 40 s, above the 30 s for which the SDK keeps an idle pooled connection): a connection that sends
    /// nothing, or half a head, is closed after that, and so is a kept-alive connection that sends no new request.
    /// At least 10 ms.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout.max(Duration::from_millis(10));
        self
    }

    /// How long a connection may go without a byte read or written while the server waits on it (default 90 s): a
    /// request body that stops coming, or an answer the client does not read, closes the connection after that. At
    /// least 10 ms.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout.max(Duration::from_millis(10));
        self
    }

    /// Starts from a state document (see the README's *State* section): a file's path or a
    /// `serde_json::Value`. The document's `userPool` and `application` ids and secrets are used unless set on
    /// this builder, while the OIDC settings and the MFA enforcement it gives replace the builder's;
    /// [`seed_users`](Self::seed_users) are added after it. The document is read and checked by
    /// [`start`](Self::start).
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let state = serde_json::json!({ "users": [{ "id": "6000000000000000000000a1", "username": "ada", "password": "pw" }] });
    /// let emulator = authing_emulator::Emulator::builder().import(state).start().await?;
    /// assert!(emulator.check_user_password("6000000000000000000000a1", "pw"));
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn import(mut self, source: impl Into<ImportSource>) -> Self {
        self.import = Some(source.into());
        self
    }

    /// The redirect URIs registered on the application (default none): an authorization request must name
    /// one of them exactly.
    pub fn redirect_uris<I, S>(mut self, uris: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.oidc.redirect_uris = uris.into_iter().map(Into::into).collect();
        self
    }

    /// How clients authenticate at the token endpoint (default `client_secret_post`).
    pub fn token_endpoint_auth_method(mut self, method: TokenAuthMethod) -> Self {
        self.oidc.token_endpoint_auth_method = method;
        self
    }

    /// How clients authenticate at the introspection endpoint (default `client_secret_post`).
    pub fn introspection_endpoint_auth_method(mut self, method: TokenAuthMethod) -> Self {
        self.oidc.introspection_endpoint_auth_method = method;
        self
    }

    /// How clients authenticate at the revocation endpoint (default `client_secret_post`).
    pub fn revocation_endpoint_auth_method(mut self, method: TokenAuthMethod) -> Self {
        self.oidc.revocation_endpoint_auth_method = method;
        self
    }

    /// How id tokens are signed (default RS256 with the key of the JWKS; HS256 uses the app secret).
    pub fn id_token_algorithm(mut self, algorithm: IdTokenAlgorithm) -> Self {
        self.oidc.id_token_algorithm = algorithm;
        self
    }

    /// How long OIDC access tokens live (default 15 days).
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.oidc.access_token_ttl = ttl;
        self
    }

    /// How long OIDC id tokens live (default 15 days).
    pub fn id_token_ttl(mut self, ttl: Duration) -> Self {
        self.oidc.id_token_ttl = ttl;
        self
    }

    /// How long OIDC refresh tokens live (default 30 days).
    pub fn refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.oidc.refresh_token_ttl = ttl;
        self
    }

    /// How long authorization codes live (default 10 minutes).
    pub fn authorization_code_ttl(mut self, ttl: Duration) -> Self {
        self.oidc.code_ttl = ttl;
        self
    }

    /// All the application's OIDC settings at once, replacing those set before.
    pub fn oidc_settings(mut self, settings: OidcSettings) -> Self {
        self.oidc = settings;
        self
    }

    /// Whether every correct password login must be completed with a second factor (default `false`: only
    /// users with a bound TOTP authenticator are asked): the login answers 1635 with `data.mfaToken` and the
    /// factors on offer, and the MFA endpoints finish it. It can be switched later with
    /// [`Emulator::set_mfa_enforced`].
    pub fn enforce_mfa(mut self, on: bool) -> Self {
        self.enforce_mfa = on;
        self
    }

    /// How long the MFA token of a 1635 answer stays valid (default 10 minutes).
    pub fn mfa_token_ttl(mut self, ttl: Duration) -> Self {
        self.mfa_token_ttl = ttl;
        self
    }

    /// Binds the listener, then serves on a spawned tokio task. When this returns, the server accepts
    /// connections. Must be called within a tokio runtime.
    ///
    /// # Errors
    /// The error of binding the address; of reading the [`import`](Self::import) file
    /// ([`std::io::ErrorKind::InvalidData`] when it is not JSON); an [`ImportError`] (kind `InvalidData`) when
    /// the document is refused.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let doc = match self.import {
            Some(source) => Some(source.load()?),
            None => None,
        };
        let (pool, app) = match &doc {
            Some(doc) => snapshot::credentials(doc).map_err(|e| ImportError::from_api(&e).into_io())?,
            None => Default::default(),
        };
        let listener = tokio::net::TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let mut state = State::new(
            Credentials {
                id: self.user_pool_id.or(pool.id).unwrap_or_else(new_id),
                secret: self.secret.or(pool.secret).unwrap_or_else(|| random_hex(16)),
            },
            Credentials {
                id: self.app_id.or(app.id).unwrap_or_else(new_id),
                secret: self.app_secret.or(app.secret).unwrap_or_else(|| random_hex(16)),
            },
            self.management_token_ttl,
        );
        state.user_token_ttl = self.user_token_ttl;
        state.max_page_size = self.max_page_size;
        state.oidc.set_settings(self.oidc);
        state.mfa.configure(self.mfa_token_ttl);
        state.mfa.set_enforced(self.enforce_mfa);
        for (directory, user) in &self.directory_users {
            state.directory.put(directory.kind(), user.entry());
        }
        let state = Arc::new(state);
        if let Some(doc) = &doc {
            state.import(doc).map_err(|e| ImportError::from_api(&e).into_io())?;
        }
        state.seed_users(self.seed_users);
        let limits = self.limits;
        let app = server::router(state.clone(), limits);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(listener, app, limits, async {
            let _ = rx.await;
        }));
        let ip = match addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let host = format!("http://{}", SocketAddr::new(ip, addr.port()));
        state.auth.configure(&host, self.verification_code_ttl);
        tracing::info!(%host, user_pool_id = %state.pool.id, "emulator listening");
        Ok(Emulator { host, addr, state, shutdown: Some(tx), task: Some(task) })
    }
}

/// A running emulator. Dropping it stops the server.
///
/// ```
/// # async fn demo() -> std::io::Result<()> {
/// let emulator = authing_emulator::Emulator::start().await?;
/// assert!(emulator.host().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.request_count("accessToken"), 0);
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
pub struct Emulator {
    host: String,
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("host", &self.host)
            .field("user_pool_id", &self.state.pool.id)
            .field("secret", &"[redacted]")
            .field("app_id", &self.state.app.id)
            .field("app_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator with the defaults: `127.0.0.1`, a free port, random ids and secrets.
    ///
    /// # Errors
    /// The error of binding the address.
    pub async fn start() -> std::io::Result<Emulator> {
        Self::builder().start().await
    }

    /// A builder to choose ids, secrets, address and token lifetime.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &str {
        &self.state.pool.id
    }

    /// The user pool secret.
    pub fn secret(&self) -> &str {
        &self.state.pool.secret
    }

    /// The application id.
    pub fn app_id(&self) -> &str {
        &self.state.app.id
    }

    /// The default application's current secret (a new one after `refresh-secret`).
    pub fn app_secret(&self) -> String {
        self.state.app_secret()
    }

    /// The RSA public key, PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo), as served at
    /// `/api/v2/.well-known`.
    pub fn public_key_pem(&self) -> &str {
        &self.state.keys.public_pem
    }

    /// How many times the GraphQL root field `root_field` (e.g. `"accessToken"`) was executed.
    pub fn request_count(&self, root_field: &str) -> u64 {
        self.state.request_count(root_field)
    }

    /// Makes every management token issued so far invalid; tokens issued afterwards are valid.
    pub fn revoke_management_tokens(&self) {
        self.state.revoke_management_tokens();
    }

    /// Adds a user to the pool, as a test fixture; returns its id.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start().await?;
    /// let id = emulator.add_user(NewUser::new().email("Ada@Example.com").password("pw")).unwrap();
    /// assert_eq!(id.len(), 24);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`AddUserError`] when the user has no identifier (code 400), or one of them is taken (2026 for
    /// e-mail or external id, 2034 for the username, 2035 for the phone).
    pub fn add_user(&self, user: NewUser) -> Result<String, AddUserError> {
        self.state
            .add_user(user.username, user.email, user.phone, user.external_id, user.password.as_deref())
            .map_err(|e| AddUserError { code: e.code.number(), message: e.message(error::Lang::En) })
    }

    /// Decrypts a password the way the server does (base64, then RSA PKCS#1 v1.5 with the emulator's
    /// private key): lets a test check what a client sent.
    ///
    /// # Errors
    /// [`crypto::PasswordError`] when the text is not a ciphertext made with [`Emulator::public_key_pem`].
    pub fn decrypt_password(&self, encrypted: &str) -> Result<String, crypto::PasswordError> {
        crypto::decrypt_password(&self.state.keys.private, encrypted)
    }

    /// Whether the user `user_id` exists and has the clear-text password `password`.
    pub fn check_user_password(&self, user_id: &str, password: &str) -> bool {
        self.state.users_read().get(user_id).is_some_and(|u| u.check_password(password))
    }

    /// The latest verification code "sent" to a phone number or e-mail address (by `POST /api/v2/sms/send` or
    /// `sendEmail`) while it is unused and unexpired. The same as `GET /emulator/verification-codes?to=`.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// assert_eq!(emulator.verification_code("13800000000"), None);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn verification_code(&self, phone_or_email: &str) -> Option<String> {
        self.state.auth.latest_code(phone_or_email)
    }

    /// Makes the user's next correct password login fail with 2058 until the password is changed; the
    /// refusal's `data.token` is a ticket for `resetPasswordByForceResetToken`. `false` for an unknown user.
    pub fn require_password_reset(&self, user_id: &str) -> bool {
        if self.state.users_read().get(user_id).is_none() {
            return false;
        }
        self.state.auth.require_reset(user_id);
        true
    }

    /// Turns the enforcement of MFA at password login on or off (see [`EmulatorBuilder::enforce_mfa`]).
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// emulator.set_mfa_enforced(true);
    /// assert!(emulator.mfa_enforced());
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn set_mfa_enforced(&self, on: bool) {
        self.state.mfa.set_enforced(on);
    }

    /// Sets the pool's password-strength rule, which registrations and password changes must pass (code 2029
    /// otherwise): 0 any password (the default), 1 at least 6 characters, 2 at least 6 of two kinds (letters,
    /// digits, symbols), 3 at least 6 of all three kinds, 4 at least 8 with upper-case and lower-case letters,
    /// digits and symbols. Levels above 4 count as 4. The state document's `userPool.settings.passwordStrength`
    /// sets it too; `GET /api/v2/userpools/detail` shows it.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// emulator.set_password_strength(3);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn set_password_strength(&self, level: u8) {
        self.state.userpool.set_password_strength(level);
    }

    /// Whether password logins need a second factor.
    pub fn mfa_enforced(&self) -> bool {
        self.state.mfa.enforced()
    }

    /// Whether the assignment of the policy `policy` (of `namespace`, `default` when `None`) to a target
    /// is enabled, as `enablePolicyAssignment` / `disbalePolicyAssignment` left it; `None` when there is
    /// no such assignment. `target_type` is a `PolicyAssignmentTargetType` name (`USER`, `ROLE`, `GROUP`,
    /// `ORG`, `AK_SK`); a ROLE may be named by code or id.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// assert_eq!(emulator.policy_assignment_enabled(None, "AdministratorAccess", "USER", "nobody"), None);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn policy_assignment_enabled(
        &self,
        namespace: Option<&str>,
        policy: &str,
        target_type: &str,
        target_identifier: &str,
    ) -> Option<bool> {
        let kind = access::TargetKind::from_name(target_type)?;
        let ns = access::namespace(namespace);
        self.state.access_read().assignment_enabled(&ns, policy, kind, target_identifier)
    }

    /// Replaces the pool's state with a document (the format is in the README's *State* section), as
    /// `POST /_emulator/import` does. The document is checked as a whole first: on a refusal nothing changes.
    /// The running emulator keeps its pool and application ids and secrets (the document's are used only by
    /// [`EmulatorBuilder::import`]); the application's OIDC settings and the MFA enforcement the document
    /// gives replace the emulator's, those it does not give stay. Sessions, verification codes, open MFA
    /// logins and the user-action log are cleared.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use serde_json::json;
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// let refused = emulator.import(json!({ "roles": [{ "code": "admin", "users": ["nobody"] }] }));
    /// assert!(refused.unwrap_err().message.contains("roles[0] (admin)"));
    /// emulator.import(json!({ "users": [{ "username": "ada" }] })).unwrap();
    /// assert_eq!(emulator.export()["users"][0]["username"], "ada");
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`ImportError`] naming the first entry refused: code 400 for a malformed entry or an unknown
    /// reference, or the code the API would give (2026, 2034, 2035 for a taken identifier, 2102 for a role
    /// code used twice …).
    pub fn import(&self, document: serde_json::Value) -> Result<(), ImportError> {
        self.state.import(&document).map_err(|e| ImportError::from_api(&e))
    }

    /// The pool's state as a document that [`Emulator::import`] and [`EmulatorBuilder::import`] accept
    /// (passwords as hashes), as `GET /_emulator/export` serves it.
    pub fn export(&self) -> serde_json::Value {
        snapshot::export(&self.state)
    }

    /// Writes [`Emulator::export`] to `path`, atomically: to a temporary file of the same directory, then
    /// renamed, so a reader never sees half a document.
    ///
    /// # Errors
    /// The error of writing the temporary file or of renaming it.
    pub fn export_to(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let path = path.as_ref();
        let text = serde_json::to_vec_pretty(&self.export()).map_err(std::io::Error::other)?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "state".into());
        let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), random_hex(4)));
        let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    /// Empties the pool, as `POST /_emulator/reset` does: no users, roles, groups, policies, custom fields,
    /// resources or grants; the ids and secrets stay.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// The application's OIDC settings.
    pub fn oidc_settings(&self) -> OidcSettings {
        self.state.oidc.settings()
    }

    /// Replaces the application's OIDC settings; requests from now on see the new ones.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// use authing_emulator::{Emulator, TokenAuthMethod};
    /// let emulator = Emulator::start().await?;
    /// let mut settings = emulator.oidc_settings();
    /// settings.redirect_uris = vec!["http://localhost:3000/callback".into()];
    /// settings.token_endpoint_auth_method = TokenAuthMethod::ClientSecretBasic;
    /// emulator.set_oidc_settings(settings);
    /// assert_eq!(emulator.oidc_settings().redirect_uris.len(), 1);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn set_oidc_settings(&self, settings: OidcSettings) {
        self.state.oidc.set_settings(settings);
    }

    /// The `kid` of the key that signs OIDC tokens now (the one key of `/oidc/.well-known/jwks.json`).
    pub fn signing_key_id(&self) -> String {
        self.state.oidc.keys.current().kid().to_owned()
    }

    /// Replaces the OIDC signing key by a new RSA-2048 key and returns its `kid`; the old key leaves the JWKS,
    /// so tokens it signed fail verification. The same as `POST /_emulator/oidc/rotate-key`. Generating the key
    /// takes a moment (tens of milliseconds to a second).
    pub fn rotate_signing_key(&self) -> String {
        self.state.oidc.keys.rotate()
    }

    /// Creates a programmatic access account of the application, for the OIDC client credentials grant: the
    /// access key is its `client_id`, the secret its `client_secret`.
    ///
    /// ```
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = authing_emulator::Emulator::start().await?;
    /// let account = emulator.create_access_account();
    /// assert_ne!(account.key, account.secret);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn create_access_account(&self) -> AccessAccount {
        let now = store::common::now_iso();
        let account = self.state.access_write().acl.create_account(&self.state.app.id, None, 600, &now);
        AccessAccount { key: account.id.clone(), secret: account.secret().to_owned() }
    }

    /// Stops the server gracefully, waiting for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A user to add with [`Emulator::add_user`]. At least one identifier is needed.
#[derive(Default, Clone)]
#[non_exhaustive]
pub struct NewUser {
    username: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    external_id: Option<String>,
    password: Option<String>,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("external_id", &self.external_id)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl NewUser {
    /// An empty user; set at least one identifier.
    pub fn new() -> Self {
        Self::default()
    }

    /// The username.
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The e-mail address (stored lower-cased).
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The phone number.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// The external id.
    #[must_use]
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The clear-text password; only its hash is kept.
    #[must_use]
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }
}

/// A programmatic access account made by [`Emulator::create_access_account`]: the credentials of the OIDC
/// client credentials grant. `Debug` hides the secret.
#[derive(Clone)]
#[non_exhaustive]
pub struct AccessAccount {
    /// The access key (the account id), sent as `client_id`.
    pub key: String,
    /// The access secret, sent as `client_secret`.
    pub secret: String,
}

impl fmt::Debug for AccessAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessAccount").field("key", &self.key).field("secret", &"[redacted]").finish()
    }
}

/// Why [`Emulator::add_user`] refused a user: the Authing code and an English message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddUserError {
    /// The Authing code (400, 2026, 2034 or 2035).
    pub code: i32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for AddUserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for AddUserError {}

/// Where [`EmulatorBuilder::import`] reads a state document from: a file (`&str`, `String`, `&Path` and
/// `PathBuf` are paths) or a JSON value.
#[non_exhaustive]
pub enum ImportSource {
    /// A JSON file.
    Path(PathBuf),
    /// A document already in memory.
    Value(serde_json::Value),
}

impl fmt::Debug for ImportSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportSource::Path(path) => f.debug_tuple("Path").field(path).finish(),
            // The document may hold passwords and secrets.
            ImportSource::Value(_) => f.write_str("Value([document])"),
        }
    }
}

impl ImportSource {
    fn load(self) -> std::io::Result<serde_json::Value> {
        match self {
            ImportSource::Value(value) => Ok(value),
            ImportSource::Path(path) => {
                let bytes = std::fs::read(&path)?;
                serde_json::from_slice(&bytes).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} is not a JSON document: {e}", path.display()),
                    )
                })
            }
        }
    }
}

impl From<serde_json::Value> for ImportSource {
    fn from(value: serde_json::Value) -> Self {
        ImportSource::Value(value)
    }
}

impl From<PathBuf> for ImportSource {
    fn from(path: PathBuf) -> Self {
        ImportSource::Path(path)
    }
}

impl From<&Path> for ImportSource {
    fn from(path: &Path) -> Self {
        ImportSource::Path(path.to_path_buf())
    }
}

impl From<&str> for ImportSource {
    fn from(path: &str) -> Self {
        ImportSource::Path(PathBuf::from(path))
    }
}

impl From<String> for ImportSource {
    fn from(path: String) -> Self {
        ImportSource::Path(PathBuf::from(path))
    }
}

/// Why a state document was refused: the Authing code and an English message naming the entry
/// (`roles[0] (admin): the user 6000… does not exist`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The Authing code (400, or the code the API gives for the same refusal).
    pub code: i32,
    /// What is wrong, and where.
    pub message: String,
}

impl ImportError {
    fn from_api(e: &error::ApiError) -> Self {
        ImportError { code: e.code.number(), message: e.message(error::Lang::En) }
    }

    fn into_io(self) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, self)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ImportError {}
