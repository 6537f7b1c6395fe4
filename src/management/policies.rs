//! `management.policies()`: policies, their statements and their assignments to users, roles, groups and orgs.

use serde::Serialize;

use super::ManagementClient;
use super::paging::strings;
use super::paging::{PageLimit, first_page, page_setters, paged_vars};
use crate::error::Result;
use crate::models::{CommonMessage, Policy, PolicyAssignment, PolicyAssignmentTargetType, PolicyStatement};
use crate::page::Page;
use crate::transport::Operation;

const POLICIES: Operation<'static> = operation!("policies", "list", "policies.graphql", "policy.graphql");
const CREATE_POLICY: Operation<'static> = operation!("policies", "create", "create_policy.graphql", "policy.graphql");
const POLICY: Operation<'static> = operation!("policies", "detail", "policy.graphql", "policy.graphql");
const UPDATE_POLICY: Operation<'static> = operation!("policies", "update", "update_policy.graphql", "policy.graphql");
const DELETE_POLICY: Operation<'static> = operation!("policies", "delete", "delete_policy.graphql");
const DELETE_POLICIES: Operation<'static> = operation!("policies", "delete_many", "delete_policies.graphql");
const ENABLE_ASSIGNMENT: Operation<'static> =
    operation!("policies", "enable_assignment", "enable_policy_assignment.graphql");
const DISABLE_ASSIGNMENT: Operation<'static> =
    operation!("policies", "disable_assignment", "disable_policy_assignment.graphql");
const POLICY_ASSIGNMENTS: Operation<'static> = operation!("policies", "list_assignments", "policy_assignments.graphql");
pub(super) const ADD_POLICY_ASSIGNMENTS: Operation<'static> =
    operation!("policies", "add_assignments", "add_policy_assignments.graphql");
pub(super) const REMOVE_POLICY_ASSIGNMENTS: Operation<'static> =
    operation!("policies", "remove_assignments", "remove_policy_assignments.graphql");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Assignments<'v> {
    pub(super) policies: Vec<String>,
    pub(super) target_type: PolicyAssignmentTargetType,
    pub(super) target_identifiers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) inherit_by_children: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) namespace: Option<&'v str>,
}

/// The policies of the pool: `management.policies()`, in the `default` namespace unless
/// [`namespace`](Self::namespace) says otherwise.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// use authing::models::{PolicyEffect, PolicyStatement};
/// let statements = [PolicyStatement::new("books:*", ["books:read"]).effect(PolicyEffect::Allow)];
/// let policy = management.policies().create("books-read", statements).description("Read books").send().await?;
/// assert_eq!(policy.statements[0].resource, "books:*");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Policies<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
}

impl ManagementClient {
    /// The policies of the pool, in the `default` namespace.
    pub fn policies(&self) -> Policies<'_> {
        Policies { client: self, namespace: None }
    }
}

#[derive(Serialize)]
struct CodeVars<'v> {
    code: &'v str,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'v str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OneAssignment<'v> {
    policy: &'v str,
    target_type: &'v PolicyAssignmentTargetType,
    target_identifier: &'v str,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<&'v str>,
}

impl<'a> Policies<'a> {
    /// The same policies accessor in another namespace.
    pub fn namespace(self, namespace: &'a str) -> Self {
        Self { namespace: Some(namespace), ..self }
    }

    /// Lists the policies, Authing's built-in ones included.
    ///
    /// GraphQL: `policies`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// let page = management.policies().list().limit(50).send().await?;
    /// assert!(page.items.iter().any(|p| p.code == "AdministratorAccess" && p.is_default));
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListPoliciesBuilder<'a> {
        ListPoliciesBuilder {
            client: self.client,
            vars: PolicyListVars { namespace: self.namespace.map(str::to_owned), page: PageLimit::default() },
        }
    }

    /// Creates a policy from its statements.
    ///
    /// GraphQL: `createPolicy`
    ///
    /// See [`Policies`] for an example.
    pub fn create<I>(&self, code: &str, statements: I) -> CreatePolicyBuilder<'a>
    where
        I: IntoIterator<Item = PolicyStatement>,
    {
        CreatePolicyBuilder {
            client: self.client,
            namespace: self.namespace,
            code: code.to_owned(),
            statements: statements.into_iter().collect(),
            description: None,
        }
    }

    /// The policy with this code; `None` when there is none.
    ///
    /// GraphQL: `policy`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.policies().detail("nothing").await?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Transport and decode errors.
    pub async fn detail(&self, code: &str) -> Result<Option<Policy>> {
        self.client.root(POLICY, &CodeVars { code, namespace: self.namespace }).await
    }

    /// Changes a policy's statements or description, or renames it. Built-in policies cannot be changed.
    ///
    /// GraphQL: `updatePolicy`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::PolicyStatement;
    /// management.policies().create("books", [PolicyStatement::new("books:*", ["books:read"])]).send().await?;
    /// let policy = management
    ///     .policies()
    ///     .update("books")
    ///     .statements([PolicyStatement::new("books:*", ["books:read", "books:edit"])])
    ///     .send()
    ///     .await?;
    /// assert_eq!(policy.statements[0].actions.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, code: &str) -> UpdatePolicyBuilder<'a> {
        UpdatePolicyBuilder {
            client: self.client,
            namespace: self.namespace,
            code: code.to_owned(),
            statements: None,
            description: None,
            new_code: None,
        }
    }

    /// Deletes a policy and its assignments.
    ///
    /// GraphQL: `deletePolicy`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::PolicyStatement;
    /// management.policies().create("books", [PolicyStatement::new("books:*", ["books:read"])]).send().await?;
    /// assert!(management.policies().delete("books").await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete(&self, code: &str) -> Result<CommonMessage> {
        self.client.root(DELETE_POLICY, &CodeVars { code, namespace: self.namespace }).await
    }

    /// Deletes several policies.
    ///
    /// GraphQL: `deletePolicies`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// assert!(management.policies().delete_many(["a", "b"]).await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn delete_many<I, S>(&self, codes: I) -> Result<CommonMessage>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            code_list: Vec<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
        }
        self.client.root(DELETE_POLICIES, &Vars { code_list: strings(codes), namespace: self.namespace }).await
    }

    /// The targets a policy is assigned to.
    ///
    /// GraphQL: `policyAssignments`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{PolicyAssignmentTargetType, PolicyStatement};
    /// management.policies().create("books", [PolicyStatement::new("books:*", ["books:read"])]).send().await?;
    /// management.roles().create("reader").send().await?;
    /// management.policies().add_assignments(["books"], PolicyAssignmentTargetType::Role, ["reader"]).send().await?;
    /// let assigned = management.policies().list_assignments("books").send().await?;
    /// assert_eq!(assigned.items[0].target_identifier, "reader");
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_assignments(&self, code: &str) -> ListAssignmentsBuilder<'a> {
        ListAssignmentsBuilder::for_policy(self.client, code, self.namespace)
    }

    /// Assigns policies to targets: user ids, role codes, group codes, org node ids ...
    ///
    /// GraphQL: `addPolicyAssignments`
    ///
    /// See [`list_assignments`](Self::list_assignments) for an example.
    pub fn add_assignments<P, T, S1, S2>(
        &self,
        policies: P,
        target_type: PolicyAssignmentTargetType,
        targets: T,
    ) -> AddAssignmentsBuilder<'a>
    where
        P: IntoIterator<Item = S1>,
        S1: Into<String>,
        T: IntoIterator<Item = S2>,
        S2: Into<String>,
    {
        AddAssignmentsBuilder {
            client: self.client,
            namespace: self.namespace,
            policies: strings(policies),
            target_type,
            targets: strings(targets),
            inherit_by_children: None,
        }
    }

    /// Removes policies from targets.
    ///
    /// GraphQL: `removePolicyAssignments`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{PolicyAssignmentTargetType, PolicyStatement};
    /// management.policies().create("books", [PolicyStatement::new("books:*", ["books:read"])]).send().await?;
    /// management.roles().create("reader").send().await?;
    /// let policies = management.policies();
    /// policies.add_assignments(["books"], PolicyAssignmentTargetType::Role, ["reader"]).send().await?;
    /// policies.remove_assignments(["books"], PolicyAssignmentTargetType::Role, ["reader"]).await?;
    /// assert_eq!(policies.list_assignments("books").send().await?.total_count, 0);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn remove_assignments<P, T, S1, S2>(
        &self,
        policies: P,
        target_type: PolicyAssignmentTargetType,
        targets: T,
    ) -> Result<CommonMessage>
    where
        P: IntoIterator<Item = S1>,
        S1: Into<String>,
        T: IntoIterator<Item = S2>,
        S2: Into<String>,
    {
        let vars = Assignments {
            policies: strings(policies),
            target_type,
            target_identifiers: strings(targets),
            inherit_by_children: None,
            namespace: self.namespace,
        };
        self.client.root(REMOVE_POLICY_ASSIGNMENTS, &vars).await
    }

    /// Turns an assignment back on.
    ///
    /// GraphQL: `enablePolicyAssignment`
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host())
    /// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
    /// # let management = authing::ManagementClient::new(&options)?;
    /// use authing::models::{PolicyAssignmentTargetType, PolicyStatement};
    /// management.policies().create("books", [PolicyStatement::new("books:*", ["books:read"])]).send().await?;
    /// management.roles().create("reader").send().await?;
    /// let policies = management.policies();
    /// policies.add_assignments(["books"], PolicyAssignmentTargetType::Role, ["reader"]).send().await?;
    /// assert!(policies.disable_assignment("books", PolicyAssignmentTargetType::Role, "reader").await?.is_success());
    /// assert!(policies.enable_assignment("books", PolicyAssignmentTargetType::Role, "reader").await?.is_success());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn enable_assignment(
        &self,
        policy: &str,
        target_type: PolicyAssignmentTargetType,
        target: &str,
    ) -> Result<CommonMessage> {
        let vars =
            OneAssignment { policy, target_type: &target_type, target_identifier: target, namespace: self.namespace };
        self.client.root(ENABLE_ASSIGNMENT, &vars).await
    }

    /// Turns an assignment off without removing it.
    ///
    /// GraphQL: `disbalePolicyAssignment` (Authing's spelling)
    ///
    /// See [`enable_assignment`](Self::enable_assignment) for an example.
    ///
    /// # Errors
    /// Authing's refusal, or transport errors.
    pub async fn disable_assignment(
        &self,
        policy: &str,
        target_type: PolicyAssignmentTargetType,
        target: &str,
    ) -> Result<CommonMessage> {
        let vars =
            OneAssignment { policy, target_type: &target_type, target_identifier: target, namespace: self.namespace };
        self.client.root(DISABLE_ASSIGNMENT, &vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
struct PolicyListVars {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(flatten)]
    page: PageLimit,
}

paged_vars!(PolicyListVars);

/// Builds [`Policies::list`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListPoliciesBuilder<'a> {
    client: &'a ManagementClient,
    vars: PolicyListVars,
}

impl ListPoliciesBuilder<'_> {
    page_setters!();

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<Policy>> {
        first_page(self.client, self.vars, |client, vars| Box::pin(async move { client.root(POLICIES, &vars).await }))
            .await
    }
}

/// Builds [`Policies::create`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct CreatePolicyBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    code: String,
    statements: Vec<PolicyStatement>,
    description: Option<String>,
}

impl CreatePolicyBuilder<'_> {
    /// The description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Creates the policy.
    ///
    /// # Errors
    /// Authing's refusal (the code is taken), or transport errors.
    pub async fn send(self) -> Result<Policy> {
        #[derive(Serialize)]
        struct Vars<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'v str>,
            statements: &'v [PolicyStatement],
        }
        let vars = Vars {
            namespace: self.namespace,
            code: &self.code,
            description: self.description.as_deref(),
            statements: &self.statements,
        };
        self.client.root(CREATE_POLICY, &vars).await
    }
}

/// Builds [`Policies::update`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct UpdatePolicyBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    code: String,
    statements: Option<Vec<PolicyStatement>>,
    description: Option<String>,
    new_code: Option<String>,
}

impl UpdatePolicyBuilder<'_> {
    /// New statements, replacing the old ones.
    pub fn statements<I: IntoIterator<Item = PolicyStatement>>(mut self, statements: I) -> Self {
        self.statements = Some(statements.into_iter().collect());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A new code: renames the policy.
    pub fn new_code(mut self, new_code: impl Into<String>) -> Self {
        self.new_code = Some(new_code.into());
        self
    }

    /// Updates the policy.
    ///
    /// # Errors
    /// Authing's refusal (an unknown or built-in policy, the new code taken), or transport errors.
    pub async fn send(self) -> Result<Policy> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Vars<'v> {
            #[serde(skip_serializing_if = "Option::is_none")]
            namespace: Option<&'v str>,
            code: &'v str,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'v str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            statements: Option<&'v [PolicyStatement]>,
            #[serde(skip_serializing_if = "Option::is_none")]
            new_code: Option<&'v str>,
        }
        let vars = Vars {
            namespace: self.namespace,
            code: &self.code,
            description: self.description.as_deref(),
            statements: self.statements.as_deref(),
            new_code: self.new_code.as_deref(),
        };
        self.client.root(UPDATE_POLICY, &vars).await
    }
}

/// Builds [`Policies::add_assignments`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct AddAssignmentsBuilder<'a> {
    client: &'a ManagementClient,
    namespace: Option<&'a str>,
    policies: Vec<String>,
    target_type: PolicyAssignmentTargetType,
    targets: Vec<String>,
    inherit_by_children: Option<bool>,
}

impl AddAssignmentsBuilder<'_> {
    /// For `ORG` targets: whether the node's children inherit the policies.
    pub fn inherit_by_children(mut self, inherit: bool) -> Self {
        self.inherit_by_children = Some(inherit);
        self
    }

    /// Assigns the policies.
    ///
    /// # Errors
    /// Authing's refusal (an unknown policy or target), or transport errors.
    pub async fn send(self) -> Result<CommonMessage> {
        let vars = Assignments {
            policies: self.policies,
            target_type: self.target_type,
            target_identifiers: self.targets,
            inherit_by_children: self.inherit_by_children,
            namespace: self.namespace,
        };
        self.client.root(ADD_POLICY_ASSIGNMENTS, &vars).await
    }
}

impl ManagementClient {
    /// Adds or removes (`operation`) policy assignments of one target.
    pub(super) async fn assign_policies(
        &self,
        operation: Operation<'static>,
        target_type: PolicyAssignmentTargetType,
        target: &str,
        policies: Vec<String>,
    ) -> Result<CommonMessage> {
        let vars = Assignments {
            policies,
            target_type,
            target_identifiers: vec![target.to_owned()],
            inherit_by_children: None,
            namespace: None,
        };
        self.root(operation, &vars).await
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct AssignmentVars {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_type: Option<PolicyAssignmentTargetType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_identifier: Option<String>,
    #[serde(flatten)]
    page: PageLimit,
}

paged_vars!(AssignmentVars);

/// Builds the lists of policy assignments: of a policy, of a role, of a user.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send().await`"]
pub struct ListAssignmentsBuilder<'a> {
    client: &'a ManagementClient,
    vars: AssignmentVars,
}

impl<'a> ListAssignmentsBuilder<'a> {
    pub(super) fn for_target(
        client: &'a ManagementClient,
        target_type: PolicyAssignmentTargetType,
        target: &str,
        namespace: Option<&str>,
    ) -> Self {
        let vars = AssignmentVars {
            namespace: namespace.map(str::to_owned),
            code: None,
            target_type: Some(target_type),
            target_identifier: Some(target.to_owned()),
            page: PageLimit::default(),
        };
        Self { client, vars }
    }

    pub(super) fn for_policy(client: &'a ManagementClient, code: &str, namespace: Option<&str>) -> Self {
        let vars = AssignmentVars {
            namespace: namespace.map(str::to_owned),
            code: Some(code.to_owned()),
            target_type: None,
            target_identifier: None,
            page: PageLimit::default(),
        };
        Self { client, vars }
    }

    page_setters!();

    /// Fetches the page.
    ///
    /// # Errors
    /// Authing's refusal, or transport and decode errors.
    pub async fn send(self) -> Result<Page<PolicyAssignment>> {
        first_page(self.client, self.vars, |client, vars| {
            Box::pin(async move { client.root(POLICY_ASSIGNMENTS, &vars).await })
        })
        .await
    }
}
