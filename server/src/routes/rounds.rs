//! `/rounds`: an introduction round planned over the live community; it proposes, it does
//! not presume.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pollinate::{Change, Effect, Round, RoundConfig};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::reply::{ApiError, JsonBody};
use crate::routes::write;

/// A round's options, each optional (the library's defaults otherwise), and whether to record
/// its introductions as proposed (each then starts the double opt-in).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoundBody {
    default_max_intros: Option<u32>,
    introducer_capacity: Option<u32>,
    candidates_per_member: Option<usize>,
    min_score: Option<f32>,
    #[serde(default)]
    propose: bool,
}

/// `POST /rounds`: 200 with the round (`{"introductions", "report"}`) and, with
/// `"propose": true`, the ids of the introductions it proposed.
pub(crate) async fn plan(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<Option<RoundBody>>,
) -> Result<Json<Value>, ApiError> {
    let body = body.unwrap_or_default();
    let defaults = RoundConfig::default();
    let config = RoundConfig {
        default_max_intros: body
            .default_max_intros
            .unwrap_or(defaults.default_max_intros),
        introducer_capacity: body
            .introducer_capacity
            .unwrap_or(defaults.introducer_capacity),
        candidates_per_member: body
            .candidates_per_member
            .unwrap_or(defaults.candidates_per_member),
        min_score: body.min_score.unwrap_or(defaults.min_score),
        ..defaults
    };
    let engine = state.store.engine();
    let round: Round = tokio::task::spawn_blocking(move || engine.plan_round(&config))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    let mut proposed = Vec::new();
    if body.propose && !round.introductions.is_empty() {
        let changes = round
            .introductions
            .iter()
            .map(|i| Change::Propose {
                id: None,
                a: i.a.id().to_owned(),
                b: i.b.id().to_owned(),
                date: None,
            })
            .collect();
        for effect in write(&state, changes).await? {
            if let Effect::Proposed { id } = effect {
                proposed.push(id);
            }
        }
    }
    Ok(Json(json!({ "round": round, "proposed": proposed })))
}
