//! A living community: changes applied to an engine without a rebuild, and a shared engine
//! that readers query while a writer changes it.

pub(crate) mod apply;
pub(crate) mod change;

use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use crate::engine::Engine;
use crate::error::Result;
use crate::live::change::{Change, Effect};

/// An engine that changes while it is queried: readers take a [`LiveEngine::snapshot`] (an
/// `Arc` of a whole engine) and query it without waiting; a writer applies changes one batch
/// at a time ([`Engine::apply`]) and swaps the new engine in when the batch is done, so no
/// reader ever sees half a change.
///
/// # Examples
///
/// ```
/// use pollinate::{Change, Community, Engine, LiveEngine, MatchWeights, Query};
///
/// let live = LiveEngine::new(Engine::new(Community::load("data/small.json")?, MatchWeights::default())?);
/// let before = live.snapshot();
/// live.apply(&[Change::Block { a: "fundi-fix".into(), b: "savanna-angels".into() }])?;
/// let after = live.snapshot();
/// let fundi = after.community().resolve("fundi-fix")?;
/// let top = after.recommend(fundi, &Query::top(1))?;
/// assert_ne!(top.items[0].candidate.id(), "savanna-angels");
/// // The snapshot taken before still answers for the community before the block.
/// let old = before.recommend(fundi, &Query::top(1))?;
/// assert_eq!(old.items[0].candidate.id(), "savanna-angels");
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Debug)]
pub struct LiveEngine {
    current: ArcSwap<Engine>,
    /// Held while a batch is applied: writers go one at a time.
    writer: Mutex<()>,
}

impl LiveEngine {
    /// A live engine starting from `engine`.
    pub fn new(engine: Engine) -> Self {
        LiveEngine {
            current: ArcSwap::from_pointee(engine),
            writer: Mutex::new(()),
        }
    }

    /// The engine as it is now: queries on it see one consistent community, whatever is
    /// applied meanwhile.
    pub fn snapshot(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// Applies `changes` all or nothing (see [`Engine::apply`]) and makes the result current.
    ///
    /// # Errors
    ///
    /// As [`Engine::apply`]; then nothing changes.
    pub fn apply(&self, changes: &[Change]) -> Result<Vec<Effect>> {
        self.apply_then(changes, |_, _| Ok::<(), std::convert::Infallible>(()))
            .map(|done| done.unwrap_or_else(|never| match never {}))
    }

    /// Applies `changes` all or nothing, then runs `commit` on the new engine and the effects
    /// before anyone can see them, and makes the new engine current only if `commit` succeeds:
    /// the hook where a service makes the batch durable (appends it to a journal and syncs)
    /// before readers see it and before it acknowledges the write.
    ///
    /// # Examples
    ///
    /// ```
    /// use pollinate::{Change, Community, Engine, LiveEngine, MatchWeights};
    ///
    /// let live = LiveEngine::new(Engine::new(Community::load("data/small.json")?, MatchWeights::default())?);
    /// let block = [Change::Block { a: "fundi-fix".into(), b: "savanna-angels".into() }];
    /// // The journal could not be written: the change is not made.
    /// let failed = live.apply_then(&block, |_, _| Err("disk full"))?;
    /// assert_eq!(failed, Err("disk full"));
    /// assert_eq!(live.snapshot().community().blocked().len(), 1); // the file's one block
    /// // Written: now it is.
    /// live.apply_then(&block, |_, effects| { assert_eq!(effects.len(), 1); Ok::<(), ()>(()) })?.unwrap();
    /// assert_eq!(live.snapshot().community().blocked().len(), 2);
    /// # Ok::<(), pollinate::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The outer error as [`Engine::apply`]; the inner one is `commit`'s. Either way the current
    /// engine is unchanged.
    pub fn apply_then<E>(
        &self,
        changes: &[Change],
        commit: impl FnOnce(&Engine, &[Effect]) -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<Vec<Effect>, E>> {
        let _writing = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (engine, effects) = self.current.load().apply(changes)?;
        if let Err(e) = commit(&engine, &effects) {
            return Ok(Err(e));
        }
        self.current.store(Arc::new(engine));
        Ok(Ok(effects))
    }
}
