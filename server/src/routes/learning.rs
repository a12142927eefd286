//! `/members/{id}/learning`: a member's learning resources and journeys.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use pollinate::LearningList;

use crate::app::AppState;
use crate::reply::ApiError;
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
