//! The service's shared state, its settings and its router: which path goes to which handler,
//! which need the token, and the limits every request runs under.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::reply::ApiError;
use crate::routes;
use crate::store::Store;
use crate::views::Views;

/// The service's limits and options.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The bearer token the write endpoints require, when set.
    pub token: Option<String>,
    /// The largest request body accepted, in bytes (larger: 413).
    pub max_body: usize,
    /// The longest a request may take, reading its body included (longer: 408).
    pub timeout: Duration,
    /// The largest `top` a recommendations request may ask for.
    pub max_top: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            token: None,
            max_body: 1 << 20,
            timeout: Duration::from_secs(30),
            max_top: 1000,
        }
    }
}

/// What every handler shares: the durable live community, the settings, and the views built
/// from the current snapshot (learning, the directory).
pub struct AppState {
    /// The community, its journal and snapshots.
    pub store: Store,
    /// The limits and options.
    pub settings: Settings,
    pub(crate) views: Views,
}

impl AppState {
    /// The state of a service over `store` with `settings`.
    pub fn new(store: Store, settings: Settings) -> Self {
        AppState {
            views: Views::new(),
            store,
            settings,
        }
    }
}

/// The service's routes over `state`, with its limits, token check and request log.
pub fn router(state: Arc<AppState>) -> Router {
    let writes = Router::new()
        .route(
            "/members/{id}",
            put(routes::members::put).delete(routes::members::remove),
        )
        .route("/connections", post(routes::relations::connect))
        .route(
            "/connections/{a}/{b}",
            delete(routes::relations::disconnect),
        )
        .route("/blocked", post(routes::relations::block))
        .route("/blocked/{a}/{b}", delete(routes::relations::unblock))
        .route("/introductions", post(routes::introductions::propose))
        .route(
            "/introductions/{id}/events",
            post(routes::introductions::event),
        )
        .route("/rounds", post(routes::rounds::plan))
        .route("/consumed", post(routes::learning::record))
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            require_token,
        ));
    let reads = Router::new()
        .route("/health", get(routes::health))
        .route(
            "/members/{id}/recommendations",
            get(routes::members::recommendations),
        )
        .route("/introductions", get(routes::introductions::list))
        .route("/members/{id}/learning", get(routes::learning::for_member))
        .route("/directory", get(routes::directory::search));
    let settings = state.settings.clone();
    reads
        .merge(writes)
        .fallback(routes::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(settings.max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.timeout,
        ))
        .layer(
            // Method, path and status only: paths carry member ids, never member data.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Refuses a write without the bearer token, when one is set.
async fn require_token(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(token) = &state.settings.token else {
        return next.run(req).await;
    };
    if req.method() == Method::GET {
        return next.run(req).await;
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(given) if same(given.as_bytes(), token.as_bytes()) => next.run(req).await,
        _ => {
            let mut reply = ApiError::new(
                StatusCode::UNAUTHORIZED,
                "this endpoint needs the service's bearer token",
            )
            .into_response();
            reply.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            reply
        }
    }
}

/// Whether two byte strings are equal, in time that depends on their lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
