use serde::Deserialize;

/// The result of a mutation that returns no object: Authing's `CommonMessage` (code 200 on success).
///
/// ```
/// let message: authing::models::CommonMessage = serde_json::from_str(r#"{"code":200,"message":"删除成功"}"#)?;
/// assert!(message.is_success());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CommonMessage {
    /// Authing's code; 200 means success.
    pub code: Option<i64>,
    /// Authing's message.
    pub message: Option<String>,
}

impl CommonMessage {
    /// The success Authing implies when a mutation returns null.
    pub(crate) fn ok() -> Self {
        Self { code: Some(200), message: None }
    }

    /// Whether the code is 200 (or absent, which Authing uses for success too).
    pub fn is_success(&self) -> bool {
        self.code.is_none_or(|code| code == 200)
    }
}
