use serde::Deserialize;

/// The result of a mutation that returns no object: Authing's `CommonMessage` (code 200 on success).
///
/// Where the schema lets the server answer `null` (`deleteUser`, `assignRole`, `removeUdf`, `resetPassword` ...),
/// the method returns `Option<CommonMessage>`: `None` is what the server said, and no success is made up for it.
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
    /// Whether the code is 200 (or absent, which Authing uses for success too).
    pub fn is_success(&self) -> bool {
        self.code.is_none_or(|code| code == 200)
    }
}
