//! `/directory`: the member directory, by text and filters.

use std::str::FromStr;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use pollinate::{Community, DirectoryPage, DirectoryQuery, Region};
use serde::Deserialize;

use crate::app::AppState;
use crate::reply::ApiError;

/// The query of a directory search: `q` (text), filters as comma-separated values, the page.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct DirectoryParams {
    q: String,
    kind: Option<String>,
    country: Option<String>,
    region: Option<String>,
    vertical: Option<String>,
    category: Option<String>,
    stage: Option<String>,
    offers: Option<String>,
    needs: Option<String>,
    cop: Option<String>,
    language: Option<String>,
    offset: usize,
    limit: Option<usize>,
}

/// The comma-separated values of filter `name`, each parsed by `parse`; an unknown one is 400
/// naming it, with the closest known value when `parse` has one.
fn values<T>(
    name: &str,
    raw: Option<&String>,
    parse: impl Fn(&str) -> Result<T, Option<String>>,
) -> Result<Vec<T>, ApiError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            parse(v).map_err(|suggestion| {
                let mut e = ApiError::bad_request(format!("{name}: unknown value `{v}`"));
                e.body["suggestion"] = suggestion.into();
                e
            })
        })
        .collect()
}

fn slug<T: FromStr<Err = pollinate::UnknownSlug>>(v: &str) -> Result<T, Option<String>> {
    v.parse().map_err(|e: pollinate::UnknownSlug| e.suggestion)
}

fn query(p: &DirectoryParams, c: &Community) -> Result<DirectoryQuery, ApiError> {
    let taxonomy = c.taxonomy();
    let texts = |raw: Option<&String>| -> Vec<String> {
        raw.map(|r| {
            r.split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
    };
    let mut q = DirectoryQuery::text(p.q.clone()).page(p.offset, p.limit.unwrap_or(20));
    q.kinds = values("kind", p.kind.as_ref(), slug)?;
    q.stages = values("stage", p.stage.as_ref(), slug)?;
    q.countries = values("country", p.country.as_ref(), |v| {
        v.parse()
            .map_err(|e: pollinate::UnknownCountry| e.suggestion)
    })?;
    q.languages = values("language", p.language.as_ref(), |v| {
        v.parse()
            .map_err(|e: pollinate::UnknownLanguage| e.suggestion)
    })?;
    q.regions = values("region", p.region.as_ref(), slug::<Region>)?;
    q.verticals = values("vertical", p.vertical.as_ref(), |v| {
        taxonomy.vertical_by_slug(v).ok_or(None)
    })?;
    q.categories = values("category", p.category.as_ref(), |v| {
        taxonomy.category_by_slug(v).ok_or(None)
    })?;
    q.offers = texts(p.offers.as_ref());
    q.needs = texts(p.needs.as_ref());
    q.cops = texts(p.cop.as_ref());
    Ok(q)
}

/// `GET /directory?q=TEXT&kind=platform,investor&country=KE&offset=0&limit=20`: a page of
/// listed members, as the `directory` example prints it with `--format json`.
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<DirectoryParams>, QueryRejection>,
) -> Result<Json<DirectoryPage>, ApiError> {
    let Query(params) = params?;
    let (engine, directory) = state.views.directory(&state.store).await?;
    let q = query(&params, engine.community())?;
    Ok(Json(directory.search(engine.community(), &q)?))
}
