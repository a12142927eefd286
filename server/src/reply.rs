//! Replies that are not successes, and reading JSON bodies into them when they are bad: every
//! error is JSON, `{"error": ..., "suggestion": ...}` or `{"problems": [...], "more": N}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pollinate::ErrorKind;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::store::WriteError;

/// An error reply: a status and a JSON body.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: json!({ "error": message.into() }),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 for a member id that is not in the community, with the closest id.
    pub(crate) fn unknown_member(id: &str, suggestion: Option<&str>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            body: json!({ "error": format!("unknown member `{id}`"), "suggestion": suggestion }),
        }
    }

    /// 422 with problems as the library reports them.
    #[allow(clippy::needless_pass_by_value)] // a `json!` value, made for this reply
    pub(crate) fn problems(problems: Value, more: usize) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({ "problems": problems, "more": more }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<pollinate::Error> for ApiError {
    fn from(e: pollinate::Error) -> Self {
        match e.kind() {
            ErrorKind::UnknownMember { id, suggestion } => {
                ApiError::unknown_member(id, suggestion.as_deref())
            }
            ErrorKind::Invalid { problems, more, .. } => ApiError::problems(json!(problems), *more),
            ErrorKind::InvalidOption { .. } => ApiError::bad_request(e.to_string()),
            _ => {
                tracing::error!(error = %e, "internal error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            }
        }
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Rejected(e) => e.into(),
            WriteError::Journal(e) => {
                tracing::error!(error = %e, "journal write failed; change not applied");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the change could not be made durable and was not applied",
                )
            }
            WriteError::Unavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "writes are off after a journal failure; restart the service",
            ),
        }
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> Self {
        ApiError::new(r.status(), r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

/// A JSON body read as `T`: oversized bodies are 413, malformed JSON and wrong types 400, each
/// with the parser's line and column. An empty body reads as JSON `null`, so `Option` bodies
/// may be left out.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &bytes
        };
        serde_json::from_slice(text)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(format!("request body: {e}")))
    }
}
