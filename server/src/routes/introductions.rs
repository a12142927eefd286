//! `/introductions`: proposing one, moving it along the double opt-in, listing a member's.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use pollinate::{Change, Effect, Engine, IntroductionStatus};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::reply::{ApiError, JsonBody};
use crate::routes::write;

/// A proposal: `{"a", "b"}`, with an optional `id` (one is made when absent) and `date`
/// (today when absent).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProposeBody {
    a: String,
    b: String,
    id: Option<String>,
    date: Option<String>,
}

/// An event: `{"event", "member", "date"}`; `member` is who accepted or declined.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventBody {
    event: String,
    member: Option<String>,
    date: Option<String>,
}

/// The query of a listing: `?member=ID`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberQuery {
    member: String,
}

/// Introduction `id` as it stands in `engine`'s community, if there is one.
fn status(engine: &Engine, id: &str) -> Option<IntroductionStatus> {
    let c = engine.community();
    let intro = c
        .introductions()
        .iter()
        .find(|i| i.id.as_deref() == Some(id))?;
    c.introductions_of(intro.a)
        .into_iter()
        .find(|s| s.id.as_deref() == Some(id))
}

/// `POST /introductions`: 201 with the introduction, `proposed`; 422 when invalid (unknown
/// member, a blocked pair, an id in use).
pub(crate) async fn propose(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody<ProposeBody>,
) -> Result<(StatusCode, Json<Option<IntroductionStatus>>), ApiError> {
    let change = Change::Propose {
        id: body.id,
        a: body.a,
        b: body.b,
        date: body.date,
    };
    let effects = write(&state, vec![change]).await?;
    let Some(Effect::Proposed { id }) = effects.first() else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "a proposal had no proposed effect",
        ));
    };
    Ok((StatusCode::CREATED, Json(status(&state.store.engine(), id))))
}

/// `POST /introductions/{id}/events`: 200 with the introduction as it stands after the
/// event; 404 for an unknown introduction; 422 for an event that cannot come now.
pub(crate) async fn event(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<EventBody>,
) -> Result<Json<Option<IntroductionStatus>>, ApiError> {
    if status(&state.store.engine(), &id).is_none() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no introduction `{id}`"),
        ));
    }
    let change = Change::Event {
        id: id.clone(),
        event: body.event,
        member: body.member,
        date: body.date,
    };
    write(&state, vec![change]).await?;
    Ok(Json(status(&state.store.engine(), &id)))
}

/// `GET /introductions?member=ID`: the member's introductions, each with its events.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    query: Result<Query<MemberQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(query) = query?;
    let engine = state.store.engine();
    let c = engine.community();
    let member = c.resolve(&query.member)?;
    Ok(Json(json!({
        "member": query.member,
        "introductions": c.introductions_of(member),
    })))
}
