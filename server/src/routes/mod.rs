//! The handlers, one file per resource, and what they share: running a write off the async
//! threads, and the health and not-found replies.

pub(crate) mod directory;
pub(crate) mod introductions;
pub(crate) mod learning;
pub(crate) mod members;
pub(crate) mod relations;
pub(crate) mod rounds;

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pollinate::{Change, Effect};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::reply::ApiError;

/// Applies `changes` durably on a blocking thread (it syncs the journal) and returns what
/// each did.
pub(crate) async fn write(
    state: &Arc<AppState>,
    changes: Vec<Change>,
) -> Result<Vec<Effect>, ApiError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || state.store.write(changes))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(ApiError::from)
}

/// `GET /health`: 200 with the member count, the last journal entry and what start-up
/// recovered.
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Json<Value> {
    let engine = state.store.engine();
    Json(json!({
        "status": "ok",
        "members": engine.community().len(),
        "seq": state.store.seq(),
        "recovery": state.store.recovery(),
    }))
}

/// Any other path: 404.
pub(crate) async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such endpoint")
}
