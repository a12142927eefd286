//! Learning lists and the member directory, built from an engine snapshot and refreshed in the
//! background after changes, at most once a second (near real time, as search engines refresh
//! an index): a read never waits for a rebuild once one view exists. What must hold at once holds at once:
//! members removed or opted out are filtered against the current snapshot on every read.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use pollinate::{Directory, Engine, Learning, LearningConfig};
use tokio::sync::Mutex;

use crate::reply::ApiError;
use crate::store::Store;

/// A built view and the snapshot it was built from.
struct Built<T> {
    engine: Arc<Engine>,
    value: Arc<T>,
}

struct Slot<T> {
    built: Option<Built<T>>,
    /// A background rebuild is running.
    rebuilding: bool,
    /// When the last build finished.
    built_at: Instant,
}

/// The least time between background rebuilds of a view: it bounds how stale a view gets
/// (this, plus one build) and the work rebuilding takes from reads under a stream of writes.
const REFRESH: Duration = Duration::from_secs(1);

type Build<T> = Arc<dyn Fn(&Engine) -> pollinate::Result<T> + Send + Sync>;

/// A view of the live community, kept current in the background.
pub(crate) struct Cached<T> {
    slot: Arc<Mutex<Slot<T>>>,
    build: Build<T>,
}

impl<T: Send + Sync + 'static> Cached<T> {
    fn new(build: Build<T>) -> Self {
        Cached {
            slot: Arc::new(Mutex::new(Slot {
                built: None,
                rebuilding: false,
                built_at: Instant::now(),
            })),
            build,
        }
    }

    /// A view for `engine` or an earlier snapshot: built now only the first time; when the view
    /// is of an earlier snapshot, a rebuild for `engine` starts in the background (one at a
    /// time) and this read gets the earlier view.
    async fn get(&self, engine: Arc<Engine>) -> Result<Arc<T>, ApiError> {
        let mut slot = self.slot.lock().await;
        match &slot.built {
            Some(b) if Arc::ptr_eq(&b.engine, &engine) => Ok(Arc::clone(&b.value)),
            Some(b) => {
                let stale = Arc::clone(&b.value);
                if !slot.rebuilding && slot.built_at.elapsed() >= REFRESH {
                    slot.rebuilding = true;
                    let (slot, build) = (Arc::clone(&self.slot), Arc::clone(&self.build));
                    tokio::spawn(async move {
                        let built = tokio::task::spawn_blocking(move || {
                            build(&engine).map(|v| (engine, Arc::new(v)))
                        })
                        .await;
                        let mut slot = slot.lock().await;
                        slot.rebuilding = false;
                        slot.built_at = Instant::now();
                        match built {
                            Ok(Ok((engine, value))) => slot.built = Some(Built { engine, value }),
                            Ok(Err(e)) => {
                                tracing::error!(error = %e, "a view could not be rebuilt");
                            }
                            Err(e) => tracing::error!(error = %e, "a view rebuild panicked"),
                        }
                    });
                }
                Ok(stale)
            }
            None => self.build_into(&mut slot, engine).await,
        }
    }

    /// A view built from exactly `engine` (built now unless it is the current one).
    async fn fresh(&self, engine: Arc<Engine>) -> Result<Arc<T>, ApiError> {
        let mut slot = self.slot.lock().await;
        if let Some(b) = &slot.built {
            if Arc::ptr_eq(&b.engine, &engine) {
                return Ok(Arc::clone(&b.value));
            }
        }
        self.build_into(&mut slot, engine).await
    }

    /// Builds the view for `engine` now (on a blocking thread) and keeps it in `slot`.
    async fn build_into(
        &self,
        slot: &mut Slot<T>,
        engine: Arc<Engine>,
    ) -> Result<Arc<T>, ApiError> {
        let (build, from) = (Arc::clone(&self.build), Arc::clone(&engine));
        let value = tokio::task::spawn_blocking(move || build(&from))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
        let value = Arc::new(value);
        slot.built = Some(Built {
            engine,
            value: Arc::clone(&value),
        });
        slot.built_at = Instant::now();
        Ok(value)
    }
}

/// The views the read endpoints share.
pub(crate) struct Views {
    learning: Cached<Learning>,
    directory: Cached<Directory>,
}

impl Views {
    pub(crate) fn new(store: &Store) -> Self {
        let catalogue = Arc::clone(store.catalogue());
        Views {
            learning: Cached::new(Arc::new(move |engine: &Engine| {
                Learning::new(
                    engine.community().clone(),
                    (*catalogue).clone(),
                    LearningConfig::default(),
                )
            })),
            directory: Cached::new(Arc::new(|engine: &Engine| {
                Ok(Directory::new(engine.community()))
            })),
        }
    }

    /// Learning that knows member `id` of the current snapshot: the view in hand when it
    /// does (refreshed in the background), else one built now (a member added since).
    ///
    /// # Errors
    ///
    /// 404 when `id` is not a member of the current snapshot (erased members included).
    pub(crate) async fn learning_for(
        &self,
        store: &Store,
        id: &str,
    ) -> Result<(Arc<Learning>, pollinate::MemberId), ApiError> {
        let engine = store.engine();
        engine.community().resolve(id)?;
        let learning = self.learning.get(Arc::clone(&engine)).await?;
        if let Some(m) = learning.community().member_id(id) {
            return Ok((learning, m));
        }
        let learning = self.learning.fresh(engine).await?;
        let m = learning.community().resolve(id)?;
        Ok((learning, m))
    }

    /// The directory (perhaps of an earlier snapshot, refreshed in the background) and the
    /// current snapshot to search it against.
    pub(crate) async fn directory(
        &self,
        store: &Store,
    ) -> Result<(Arc<Engine>, Arc<Directory>), ApiError> {
        let engine = store.engine();
        let directory = self.directory.get(Arc::clone(&engine)).await?;
        Ok((engine, directory))
    }
}
