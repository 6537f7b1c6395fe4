//! Management token and token status: `accessToken`, `checkLoginStatus`.

use async_graphql::{Context, Object, SimpleObject};

use super::enter;
use crate::store::error::{ApiError, Code, Lang};
use crate::store::tokens::{self, Refusal};

/// `AccessTokenRes` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "AccessTokenRes")]
pub(crate) struct AccessTokenRes {
    access_token: Option<String>,
    exp: Option<i32>,
    iat: Option<i32>,
}

/// `JWTTokenStatus` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "JWTTokenStatus")]
pub(crate) struct JwtTokenStatus {
    code: Option<i32>,
    message: Option<String>,
    status: Option<bool>,
    exp: Option<i32>,
    iat: Option<i32>,
    data: Option<JwtTokenStatusDetail>,
}

/// `JWTTokenStatusDetail` of the official schema.
#[derive(SimpleObject)]
#[graphql(name = "JWTTokenStatusDetail")]
pub(crate) struct JwtTokenStatusDetail {
    id: Option<String>,
    user_pool_id: Option<String>,
    arn: Option<String>,
}

/// Unix seconds as a GraphQL `Int` (saturating in 2038).
fn int(secs: u64) -> i32 {
    i32::try_from(secs).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub(crate) struct TokenQuery;

#[Object]
impl TokenQuery {
    /// Signs a management token for the user pool. No authorization needed.
    ///
    /// An unknown pool id gives 2224; a wrong secret gives 1001.
    async fn access_token(
        &self,
        ctx: &Context<'_>,
        user_pool_id: String,
        secret: String,
    ) -> async_graphql::Result<AccessTokenRes> {
        let (state, _) = enter(ctx);
        if user_pool_id != state.pool.id {
            return Err(ApiError::new(Code::UserPoolNotFound).into());
        }
        if secret != state.pool.secret {
            return Err(ApiError::with_message(Code::NoPermission, "用户池密钥错误", "Wrong user pool secret").into());
        }
        let issued = tokens::issue_management(state);
        Ok(AccessTokenRes { access_token: Some(issued.token), exp: Some(int(issued.exp)), iat: Some(int(issued.iat)) })
    }

    /// Tells whether a token (the argument, else the bearer token of the request) is valid. Never fails:
    /// a refused token gives `status: false` with code 2020.
    async fn check_login_status(&self, ctx: &Context<'_>, token: Option<String>) -> Option<JwtTokenStatus> {
        let (state, meta) = enter(ctx);
        let lang = meta.lang;
        let Some(token) = token.or_else(|| meta.token.clone()) else {
            return Some(refused(None, lang));
        };
        Some(match tokens::verify(state, &token) {
            Ok(claims) => JwtTokenStatus {
                code: Some(200),
                message: Some(
                    match lang {
                        Lang::Zh => "已登录",
                        Lang::En => "Logged in",
                    }
                    .to_owned(),
                ),
                status: Some(true),
                exp: Some(int(claims.exp)),
                iat: Some(int(claims.iat)),
                data: Some(JwtTokenStatusDetail {
                    arn: Some(format!("arn:cn:authing:{}:user:{}", claims.user_pool_id, claims.data.id)),
                    id: Some(claims.data.id.clone()),
                    user_pool_id: Some(claims.user_pool_id.clone()),
                }),
            },
            Err(refusal) => refused(Some(refusal), lang),
        })
    }
}

fn refused(refusal: Option<Refusal>, lang: Lang) -> JwtTokenStatus {
    let message = match (refusal, lang) {
        (Some(Refusal::Expired), Lang::Zh) => "登录信息已过期".to_owned(),
        (Some(Refusal::Expired), Lang::En) => "The token has expired".to_owned(),
        (Some(Refusal::Revoked), Lang::Zh) => "登录信息已失效".to_owned(),
        (Some(Refusal::Revoked), Lang::En) => "The token has been revoked".to_owned(),
        _ => Code::NotLoggedIn.message(lang).to_owned(),
    };
    JwtTokenStatus {
        code: Some(Code::NotLoggedIn.number()),
        message: Some(message),
        status: Some(false),
        exp: None,
        iat: None,
        data: None,
    }
}
