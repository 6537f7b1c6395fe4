//! Organizations: an [`Org`] is a tree of [`OrgNode`]s (departments); [`OrgTree`] is that tree nested, and
//! [`OrgExport`] the nested form that import and export use.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::user::OrgNode;

/// An organization: its root node and every node, the root included.
///
/// `nodes` is flat; each node lists its children's ids. [`Org::tree`] nests them.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let emulator = authing_emulator::Emulator::start().await?;
/// # let options = authing::Options::builder().host(emulator.host())
/// #     .user_pool_id(emulator.user_pool_id()).secret(emulator.secret()).build()?;
/// # let management = authing::ManagementClient::new(&options)?;
/// let org = management.org().create("Acme").code("acme").send().await?;
/// let dev = management.org().create_node(&org.id, "Development").code("dev").send().await?;
/// management.org().create_node(&org.id, "Backend").parent(&dev.id).send().await?;
/// let tree = management.org().find_by_id(&org.id).await?.tree();
/// assert_eq!(tree.node.name, "Acme");
/// assert_eq!(tree.children[0].children[0].node.name, "Backend");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Org {
    /// The organization id.
    pub id: String,
    /// The root node, which carries the organization's name and code.
    pub root_node: OrgNode,
    /// Every node of the organization, the root included.
    #[serde(default)]
    pub nodes: Vec<OrgNode>,
    /// The tenant the organization belongs to, if any.
    pub tenant_id: Option<String>,
}

/// A node with its children nested, as [`Org::tree`] builds it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OrgTree {
    /// The node.
    pub node: OrgNode,
    /// Its children, in the order the server lists them.
    pub children: Vec<OrgTree>,
}

impl Org {
    /// The nodes nested under the root. Children ids that name no node of `nodes` are skipped, and a node is
    /// never visited twice, so a malformed answer cannot make this loop or panic.
    pub fn tree(&self) -> OrgTree {
        let root = self.nodes.iter().find(|n| n.id == self.root_node.id).unwrap_or(&self.root_node);
        let mut seen = vec![root.id.as_str()];
        self.subtree(root, &mut seen)
    }

    fn subtree<'a>(&'a self, node: &'a OrgNode, seen: &mut Vec<&'a str>) -> OrgTree {
        let mut children = Vec::new();
        for id in &node.children {
            if seen.contains(&id.as_str()) {
                continue;
            }
            if let Some(child) = self.nodes.iter().find(|n| n.id == *id) {
                seen.push(child.id.as_str());
                children.push(self.subtree(child, seen));
            }
        }
        OrgTree { node: node.clone(), children }
    }

    /// The node with this id, if it is in the organization.
    pub fn node(&self, id: &str) -> Option<&OrgNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// An organization in the nested form of `POST /api/v2/orgs/import` and of the exports: each node's fields and
/// its children. Build one with [`OrgExport::new`] and its setters to import a tree.
///
/// ```
/// use authing::models::OrgExport;
/// let tree = OrgExport::new("Acme").code("acme").child(OrgExport::new("Sales").code("sales"));
/// assert_eq!(serde_json::to_value(&tree)?["children"][0]["code"], "sales");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrgExport {
    /// The node's name.
    #[serde(default)]
    pub name: String,
    /// The node's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The position among its siblings (a larger value sorts first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// The name in other languages, keyed by language code (`en`, `ja`, …).
    #[serde(default, rename = "nameI18n", skip_serializing_if = "Option::is_none")]
    pub name_i18n: Option<BTreeMap<String, String>>,
    /// The description in other languages, keyed by language code.
    #[serde(default, rename = "descriptionI18n", skip_serializing_if = "Option::is_none")]
    pub description_i18n: Option<BTreeMap<String, String>>,
    /// The children.
    #[serde(default)]
    pub children: Vec<OrgExport>,
}

impl OrgExport {
    /// A node named `name`, without children.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// Sets the code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the order among siblings.
    pub fn order(mut self, order: i64) -> Self {
        self.order = Some(order);
        self
    }

    /// Adds a child.
    pub fn child(mut self, child: OrgExport) -> Self {
        self.children.push(child);
        self
    }
}

/// The third-party directory of [`start_sync`](crate::management::Org::start_sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncProvider {
    /// DingTalk.
    DingTalk,
    /// WeCom (WeChat Work).
    WechatWork,
    /// Active Directory, with the connector's id.
    Ad,
}

impl SyncProvider {
    /// The provider's name in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncProvider::DingTalk => "dingtalk",
            SyncProvider::WechatWork => "wechatwork",
            SyncProvider::Ad => "ad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tree_skips_unknown_and_repeated_children() {
        let org: Org = serde_json::from_value(json!({
            "id": "o",
            "rootNode": { "id": "r", "name": "R", "children": ["a"] },
            "nodes": [
                { "id": "r", "name": "R", "children": ["a", "ghost"] },
                { "id": "a", "name": "A", "children": ["r", "b"] },
                { "id": "b", "name": "B" }
            ]
        }))
        .unwrap();
        let tree = org.tree();
        assert_eq!(tree.children.len(), 1);
        assert_eq!(tree.children[0].children.len(), 1, "the root is not visited twice");
        assert_eq!(tree.children[0].children[0].node.id, "b");
    }

    #[test]
    fn export_round_trips_i18n_objects() {
        let value = json!({ "name": "Co", "nameI18n": { "en": "Co" }, "children": [{ "name": "A" }] });
        let tree: OrgExport = serde_json::from_value(value).unwrap();
        assert_eq!(tree.name_i18n.as_ref().unwrap()["en"], "Co");
        assert_eq!(serde_json::to_value(&tree).unwrap()["nameI18n"]["en"], "Co");
    }
}
