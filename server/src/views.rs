//! Learning lists and the member directory, built from an engine snapshot and refreshed in the
//! background after changes, at most once a second (near real time, as search engines refresh
//! an index): a read never waits for a rebuild once one view exists. What must hold at once holds at once:
//! members removed or opted out are filtered against the current snapshot on every read.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use pollinate::{Catalogue, Directory, Engine, Learning, LearningConfig};
use tokio::sync::Mutex;

use crate::reply::ApiError;
use crate::store::Store;

/// What a view is built from: an engine snapshot and the learning catalogue.
#[derive(Clone)]
pub(crate) struct Source {
    engine: Arc<Engine>,
    catalogue: Arc<Catalogue>,
}

impl Source {
    /// The store's engine and catalogue as they are now.
    pub(crate) fn of(store: &Store) -> Self {
        Source {
            engine: store.engine(),
            catalogue: store.catalogue(),
        }
    }

    fn same(&self, other: &Source) -> bool {
        Arc::ptr_eq(&self.engine, &other.engine) && Arc::ptr_eq(&self.catalogue, &other.catalogue)
    }
}

/// A built view and what it was built from.
struct Built<T> {
    source: Source,
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

type Build<T> = Arc<dyn Fn(&Source) -> pollinate::Result<T> + Send + Sync>;

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

    /// A view of `source` or an earlier one: built now only the first time; when the view is
    /// of an earlier source, a rebuild from `source` starts in the background (one at a time,
    /// at most once per [`REFRESH`]) and this read gets the earlier view.
    async fn get(&self, source: Source) -> Result<Arc<T>, ApiError> {
        let mut slot = self.slot.lock().await;
        match &slot.built {
            Some(b) if b.source.same(&source) => Ok(Arc::clone(&b.value)),
            Some(b) => {
                let stale = Arc::clone(&b.value);
                if !slot.rebuilding && slot.built_at.elapsed() >= REFRESH {
                    slot.rebuilding = true;
                    let (slot, build) = (Arc::clone(&self.slot), Arc::clone(&self.build));
                    tokio::spawn(async move {
                        let built = tokio::task::spawn_blocking(move || {
                            build(&source).map(|v| (source, Arc::new(v)))
                        })
                        .await;
                        let mut slot = slot.lock().await;
                        slot.rebuilding = false;
                        slot.built_at = Instant::now();
                        match built {
                            Ok(Ok((source, value))) => slot.built = Some(Built { source, value }),
                            Ok(Err(e)) => {
                                tracing::error!(error = %e, "a view could not be rebuilt");
                            }
                            Err(e) => tracing::error!(error = %e, "a view rebuild panicked"),
                        }
                    });
                }
                Ok(stale)
            }
            None => self.build_into(&mut slot, source).await,
        }
    }

    /// A view built from exactly `source` (built now unless it is the current one).
    async fn fresh(&self, source: Source) -> Result<Arc<T>, ApiError> {
        let mut slot = self.slot.lock().await;
        if let Some(b) = &slot.built {
            if b.source.same(&source) {
                return Ok(Arc::clone(&b.value));
            }
        }
        self.build_into(&mut slot, source).await
    }

    /// Builds the view of `source` now (on a blocking thread) and keeps it in `slot`.
    async fn build_into(&self, slot: &mut Slot<T>, source: Source) -> Result<Arc<T>, ApiError> {
        let (build, from) = (Arc::clone(&self.build), source.clone());
        let value = tokio::task::spawn_blocking(move || build(&from))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
        let value = Arc::new(value);
        slot.built = Some(Built {
            source,
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
    pub(crate) fn new() -> Self {
        Views {
            learning: Cached::new(Arc::new(|source: &Source| {
                Learning::new(
                    source.engine.community().clone(),
                    (*source.catalogue).clone(),
                    LearningConfig::default(),
                )
            })),
            directory: Cached::new(Arc::new(|source: &Source| {
                Ok(Directory::new(source.engine.community()))
            })),
        }
    }

    /// Learning that knows member `id` of the current snapshot and everything it consumed: the
    /// view in hand when it does (refreshed in the background), else one built now (a member
    /// added, or consumption recorded, since).
    ///
    /// # Errors
    ///
    /// 404 when `id` is not a member of the current snapshot (erased members included).
    pub(crate) async fn learning_for(
        &self,
        store: &Store,
        id: &str,
    ) -> Result<(Arc<Learning>, pollinate::MemberId), ApiError> {
        let source = Source::of(store);
        source.engine.community().resolve(id)?;
        let learning = self.learning.get(source.clone()).await?;
        if let Some(m) = learning.community().member_id(id) {
            // A member who has just recorded what it consumed must not be offered it again.
            let count = |c: &Catalogue| c.consumed().iter().filter(|x| x.member == m).count();
            if count(learning.catalogue()) == count(&source.catalogue) {
                return Ok((learning, m));
            }
        }
        let learning = self.learning.fresh(source).await?;
        let m = learning.community().resolve(id)?;
        Ok((learning, m))
    }

    /// The directory (perhaps of an earlier snapshot, refreshed in the background) and the
    /// current snapshot to search it against.
    pub(crate) async fn directory(
        &self,
        store: &Store,
    ) -> Result<(Arc<Engine>, Arc<Directory>), ApiError> {
        let source = Source::of(store);
        let engine = Arc::clone(&source.engine);
        let directory = self.directory.get(source).await?;
        Ok((engine, directory))
    }
}
