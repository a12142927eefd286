//! `/members/{id}`: recommendations, adding or updating a member, erasing one.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pollinate::{Change, Community, Effect, MemberRecord, Recommendations};
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::reply::ApiError;
use crate::routes::write;

/// The query of a list request: `?top=K`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TopQuery {
    top: Option<usize>,
}

impl TopQuery {
    /// `top`, or `default`; 400 unless it is 1 to `max`.
    pub(crate) fn top(&self, default: usize, max: usize) -> Result<usize, ApiError> {
        let top = self.top.unwrap_or(default);
        if top == 0 || top > max {
            return Err(ApiError::bad_request(format!(
                "top must be 1 to {max}, not {top}"
            )));
        }
        Ok(top)
    }
}

/// `GET /members/{id}/recommendations?top=K`: the member's top K (default 10), as
/// `recommend --format json` prints one member.
pub(crate) async fn recommendations(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: Result<Query<TopQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Recommendations>, ApiError> {
    let Query(query) = query?;
    let top = query.top(10, state.settings.max_top)?;
    let engine = state.store.engine();
    let member = engine.community().resolve(&id)?;
    Ok(Json(engine.recommend(member, &pollinate::Query::top(top))?))
}

/// `PUT /members/{id}` with a member object in the file format: 201 when added, 200 when
/// updated, 422 with every problem (nothing applied) when it does not validate.
pub(crate) async fn put(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let record = member_record(&state, &id, &body?)?;
    let effects = write(&state, vec![Change::PutMember { member: record }]).await?;
    let status = match effects.first() {
        Some(Effect::MemberAdded { .. }) => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(json!({ "member": id, "effects": effects }))).into_response())
}

/// The member object of a `PUT`, checked as the loaders check a file's members: malformed
/// JSON is 400; wrong types, unknown fields and bad values are 422 with every problem.
fn member_record(state: &AppState, id: &str, body: &[u8]) -> Result<MemberRecord, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::bad_request(format!("request body: not UTF-8: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ApiError::bad_request(format!("request body: {e}")))?;
    let serde_json::Value::Object(mut object) = value else {
        return Err(ApiError::bad_request(
            "request body: expected a member object",
        ));
    };
    match object.get("id") {
        None => {
            object.insert("id".into(), id.into());
        }
        Some(given) if given.as_str() == Some(id) => {}
        Some(given) => {
            return Err(ApiError::problems(
                json!([{
                    "place": "body",
                    "field": "id",
                    "value": given.to_string(),
                    "message": format!("body: `id` {given}: must be the id in the path, `{id}`"),
                    "suggestion": id,
                }]),
                0,
            ));
        }
    }
    // The file reader reports every problem of the object (types, unknown fields, values);
    // its places are moved from the one-member file back to the body.
    let file = json!({ "members": [&object] }).to_string();
    let taxonomy = state.store.engine().community().taxonomy().clone();
    if let Err(e) = Community::from_json_str(&file, taxonomy) {
        let pollinate::ErrorKind::Invalid { problems, more, .. } = e.kind() else {
            return Err(e.into());
        };
        let mut problems = problems.clone();
        for p in &mut problems {
            p.location.file = Some("body".into());
            p.location.line = None;
            p.location.column = None;
        }
        return Err(ApiError::problems(json!(problems), *more));
    }
    serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| ApiError::bad_request(format!("request body: {e}")))
}

/// `DELETE /members/{id}`: erases the member (its ties, blocks and introductions go too).
pub(crate) async fn remove(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.store.engine().community().resolve(&id)?;
    write(&state, vec![Change::RemoveMember { id }]).await?;
    Ok(StatusCode::NO_CONTENT)
}
