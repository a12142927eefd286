//! `/connections` and `/blocked`: ties and blocked pairs.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use pollinate::{Change, Effect};
use serde::Deserialize;

use crate::app::AppState;
use crate::reply::{ApiError, JsonBody};
use crate::routes::write;

/// A tie to add: `{"a", "b", "strength"}` (strength in (0, 1], 1 when absent).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TieBody {
    a: String,
    b: String,
    strength: Option<f64>,
}

/// A pair: `{"a", "b"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PairBody {
    a: String,
    b: String,
}

/// `POST /connections`: 201 with the effect (added or updated), 422 when invalid.
pub(crate) async fn connect(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<TieBody>,
) -> Result<(StatusCode, Json<Vec<Effect>>), ApiError> {
    let change = Change::PutTie {
        a: body.a,
        b: body.b,
        strength: body.strength,
    };
    Ok((
        StatusCode::CREATED,
        Json(write(&state, vec![change]).await?),
    ))
}

/// `DELETE /connections/{a}/{b}`: 204, 422 when there is no such tie.
pub(crate) async fn disconnect(
    State(state): State<Arc<AppState>>,
    Path((a, b)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    write(&state, vec![Change::RemoveTie { a, b }]).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /blocked`: 201; the pair is never introduced, and nothing tells either side.
pub(crate) async fn block(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<PairBody>,
) -> Result<(StatusCode, Json<Vec<Effect>>), ApiError> {
    let change = Change::Block {
        a: body.a,
        b: body.b,
    };
    Ok((
        StatusCode::CREATED,
        Json(write(&state, vec![change]).await?),
    ))
}

/// `DELETE /blocked/{a}/{b}`: 204, 422 when the pair is not blocked.
pub(crate) async fn unblock(
    State(state): State<Arc<AppState>>,
    Path((a, b)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    write(&state, vec![Change::Unblock { a, b }]).await?;
    Ok(StatusCode::NO_CONTENT)
}
