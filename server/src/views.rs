//! Learning lists and the member directory, built from one engine snapshot and rebuilt on the
//! first request after a change (they are read far more often than members change).

use std::sync::Arc;

use axum::http::StatusCode;
use pollinate::{Directory, Engine, Learning, LearningConfig};
use tokio::sync::Mutex;

use crate::reply::ApiError;
use crate::store::Store;

/// A value built from an engine snapshot, kept while that snapshot is current.
pub(crate) struct Cached<T> {
    slot: Mutex<Option<(Arc<Engine>, Arc<T>)>>,
}

impl<T: Send + Sync + 'static> Cached<T> {
    fn new() -> Self {
        Cached {
            slot: Mutex::new(None),
        }
    }

    /// The value for `engine`, built by `build` on a blocking thread when the cached one is of
    /// another snapshot. Requests arriving during a build wait for it rather than build again.
    async fn get(
        &self,
        engine: Arc<Engine>,
        build: impl FnOnce(&Engine) -> pollinate::Result<T> + Send + 'static,
    ) -> Result<Arc<T>, ApiError> {
        let mut slot = self.slot.lock().await;
        if let Some((built_for, value)) = &*slot {
            if Arc::ptr_eq(built_for, &engine) {
                return Ok(Arc::clone(value));
            }
        }
        let (engine, value) = tokio::task::spawn_blocking(move || {
            let value = build(&engine)?;
            Ok::<_, pollinate::Error>((engine, Arc::new(value)))
        })
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
        *slot = Some((engine, Arc::clone(&value)));
        Ok(value)
    }
}

/// The views the read endpoints share.
pub(crate) struct Views {
    learning: Cached<Learning>,
    directory: Cached<Directory>,
}

impl Views {
    pub(crate) fn new() -> Self {
        Views {
            learning: Cached::new(),
            directory: Cached::new(),
        }
    }

    /// Learning over the current community and the store's catalogue.
    pub(crate) async fn learning(&self, store: &Store) -> Result<Arc<Learning>, ApiError> {
        let catalogue = Arc::clone(store.catalogue());
        self.learning
            .get(store.engine(), move |engine| {
                Learning::new(
                    engine.community().clone(),
                    (*catalogue).clone(),
                    LearningConfig::default(),
                )
            })
            .await
    }

    /// The directory of the current community, with the engine it was built from.
    pub(crate) async fn directory(
        &self,
        store: &Store,
    ) -> Result<(Arc<Engine>, Arc<Directory>), ApiError> {
        let engine = store.engine();
        let directory = self
            .directory
            .get(Arc::clone(&engine), |engine| {
                Ok(Directory::new(engine.community()))
            })
            .await?;
        Ok((engine, directory))
    }
}
