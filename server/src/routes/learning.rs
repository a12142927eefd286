//! `/members/{id}/learning`: a member's learning resources and journeys; `/consumed`: what a
//! member took, so learning lists and journeys move on.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use pollinate::{ConsumedRecord, LearningList};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::reply::{ApiError, JsonBody};
use crate::routes::members::TopQuery;

/// `GET /members/{id}/learning?top=K`: the member's top K resources (default 5) and the
/// journeys that fit it, as `learn --format json` prints them.
pub(crate) async fn for_member(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: Result<Query<TopQuery>, QueryRejection>,
) -> Result<Json<LearningList>, ApiError> {
    let Query(query) = query?;
    let top = query.top(5, state.settings.max_top)?;
    let (learning, member) = state.views.learning_for(&state.store, &id).await?;
    Ok(Json(learning.recommend(member, top)?))
}

/// `POST /consumed` `{"member", "resource", "date"?, "rating"?}`: records that the member took
/// the resource (today when no date is given; a rating 1 to 5), durably: 201; 422 with every
/// problem (unknown member or resource, with the closest) and nothing recorded.
pub(crate) async fn record(
    State(state): State<Arc<AppState>>,
    JsonBody(record): JsonBody<ConsumedRecord>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let blocking = Arc::clone(&state);
    tokio::task::spawn_blocking(move || blocking.store.record_consumed(vec![record]))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "recorded": 1, "seq": state.store.seq() })),
    ))
}
