//! User queries: `isUserExists`.

use async_graphql::{Context, Object};

use super::{enter, require_management};

#[derive(Default)]
pub(crate) struct UserQuery;

#[Object]
impl UserQuery {
    /// Whether a user with any of the given identifiers exists (e-mails compare case-insensitively).
    /// Needs a management token.
    async fn is_user_exists(
        &self,
        ctx: &Context<'_>,
        email: Option<String>,
        phone: Option<String>,
        username: Option<String>,
        external_id: Option<String>,
    ) -> async_graphql::Result<Option<bool>> {
        let (state, meta) = enter(ctx);
        require_management(state, meta)?;
        let found = state
            .users_read()
            .find(
                email.as_deref(),
                phone.as_deref(),
                username.as_deref(),
                external_id.as_deref(),
            )
            .is_some();
        Ok(Some(found))
    }
}
