//! REST under `{host}/api/v2/`: Authing's `{code, message, data}` envelope, where code 200 means success.

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::graphql::WireCode;
use super::retry::OpInfo;
use super::{Endpoint, RawResponse, Request, Transport};
use crate::error::{ApiError, AuthingError, Result};
use crate::secret::AccessToken;

/// One REST call: its name for tracing, method, path under `/api/v2/` (query string included) and JSON body.
#[derive(Debug)]
pub(crate) struct RestCall<'a, B> {
    pub(crate) name: &'a str,
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) body: Option<&'a B>,
}

impl Transport {
    /// Runs a REST call and decodes the envelope's `data` into `T`.
    pub(crate) async fn rest<B: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        token: Option<&AccessToken>,
        call: RestCall<'_, B>,
    ) -> Result<T> {
        let url = endpoint.rest_url(call.path)?;
        let body = call
            .body
            .map(|b| serde_json::to_vec(b).map(Bytes::from))
            .transpose()
            .map_err(|e| AuthingError::config_source("body", "cannot be serialized to JSON", e))?;
        let idempotent = matches!(call.method, Method::GET | Method::HEAD);
        let request = Request { method: call.method, url: &url, endpoint, token, body };
        let info = OpInfo { name: call.name, transport: "rest", idempotent };
        self.execute(info, request, decode_envelope).await
    }
}

impl Transport {
    /// A `GET` whose answer is plain JSON rather than an envelope (OIDC endpoints); a body with a numeric `code`
    /// other than 200 is Authing's refusal.
    pub(crate) async fn rest_plain<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        name: &str,
        path: &str,
    ) -> Result<T> {
        let url = endpoint.rest_url(path)?;
        let request = Request { method: Method::GET, url: &url, endpoint, token: None, body: None };
        let info = OpInfo { name, transport: "rest", idempotent: true };
        self.execute(info, request, decode_plain).await
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    code: Option<WireCode>,
    #[serde(default)]
    message: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

fn decode_envelope<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    let status = raw.status.as_u16();
    let envelope: Envelope<'_> =
        serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))?;
    let Some(code) = envelope.code.as_ref().and_then(WireCode::value) else {
        return Err(AuthingError::decode(status, &raw.body, "the response is not an envelope with a numeric `code`"));
    };
    let data = envelope.data.map_or("null", RawValue::get);
    if code != 200 {
        let data = serde_json::from_str(data).ok();
        return Err(ApiError::new(code, envelope.message.unwrap_or_default(), status).with_data(data).into());
    }
    serde_json::from_str(data).map_err(|e| AuthingError::decode(status, &raw.body, e))
}

fn decode_plain<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    #[derive(Deserialize)]
    struct MaybeRefusal {
        #[serde(default)]
        code: Option<WireCode>,
        #[serde(default)]
        message: Option<String>,
    }
    let status = raw.status.as_u16();
    let refusal: MaybeRefusal =
        serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))?;
    if let Some(code) = refusal.code.as_ref().and_then(WireCode::value).filter(|code| *code != 200) {
        return Err(ApiError::new(code, refusal.message.unwrap_or_default(), status).into());
    }
    serde_json::from_slice(&raw.body).map_err(|e| AuthingError::decode(status, &raw.body, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: None,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn success_returns_data_and_null_data_is_none() {
        let key: String = decode_envelope(&raw(200, r#"{"code":200,"message":"","data":"pem"}"#)).unwrap();
        assert_eq!(key, "pem");
        let none: Option<String> = decode_envelope(&raw(200, r#"{"code":200,"data":null}"#)).unwrap();
        assert_eq!(none, None);
        let missing: Option<String> = decode_envelope(&raw(200, r#"{"code":200}"#)).unwrap();
        assert_eq!(missing, None);
    }

    #[test]
    fn other_codes_are_api_errors() {
        let err = decode_envelope::<()>(&raw(200, r#"{"code":2020,"message":"尚未登录","data":null}"#)).unwrap_err();
        assert_eq!((err.code(), err.message().as_ref(), err.http_status()), (Some(2020), "尚未登录", Some(200)));
    }

    #[test]
    fn plain_bodies_decode_or_carry_a_refusal() {
        #[derive(Debug, Deserialize)]
        struct Claims {
            sub: String,
        }
        let claims: Claims = decode_plain(&raw(200, r#"{"sub":"u1","exp":1}"#)).unwrap();
        assert_eq!(claims.sub, "u1");
        let err = decode_plain::<Claims>(&raw(200, r#"{"code":400,"message":"invalid token"}"#)).unwrap_err();
        assert_eq!((err.code(), err.message().as_ref()), (Some(400), "invalid token"));
    }

    #[test]
    fn bodies_without_an_envelope_are_decode_errors() {
        for body in ["<html>502</html>", r#"{"message":"oops"}"#, r#"{"code":200,"data":{"#] {
            let err = decode_envelope::<Option<String>>(&raw(502, body)).unwrap_err();
            assert!(matches!(err, AuthingError::Decode { status: 502, .. }), "{err:?}");
        }
    }
}
