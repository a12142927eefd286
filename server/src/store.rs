//! The durable live community: the last snapshot plus the journal replayed over it at start,
//! every write journaled and synced before it is seen or acknowledged, and compaction into a
//! new snapshot in the background.
//!
//! The data folder holds `snapshot-S.json` (the community after entry `S`, written atomically)
//! and `journal-N.log` segments. At start the newest snapshot is loaded and every journal
//! entry after `S` is applied in order. Compaction starts a new segment, writes the snapshot of
//! the engine at that point, then deletes the older snapshots and segments: a crash at any
//! step leaves a folder that replays to the same community.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use pollinate::{
    Catalogue, Change, Community, ConsumedRecord, Effect, Engine, LiveEngine, MatchWeights,
};
use serde::Serialize;

use crate::journal::{self, AppendError, Entry, Journal, TornTail};

/// What opening the data folder found and did.
#[derive(Clone, Debug, Serialize)]
pub struct Recovery {
    /// The snapshot loaded: the journal entry it includes everything up to.
    pub snapshot_seq: u64,
    /// Journal entries applied over it.
    pub replayed: u64,
    /// The torn last line dropped, if there was one.
    pub torn_tail: Option<TornTail>,
}

/// Why the data folder could not be opened.
#[derive(Debug)]
pub struct OpenError(pub String);

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

/// Why a write was not applied. Either way nothing changed.
#[derive(Debug)]
pub enum WriteError {
    /// The batch does not validate (every problem listed) or names an unknown member.
    Rejected(pollinate::Error),
    /// The journal could not be written: the change was not made.
    Journal(std::io::Error),
    /// An earlier journal failure left the journal unusable: no writes until a restart.
    Unavailable,
}

struct Writer {
    journal: Journal,
    /// The last entry written.
    seq: u64,
    /// Entries since the last snapshot was started.
    since_snapshot: u64,
    /// Set when a failed append could not be cut back.
    broken: bool,
}

/// The live engine, its journal and its snapshots. `Send + Sync`: reads take
/// [`Store::engine`]; writes go one at a time through [`Store::write`].
pub struct Store {
    dir: PathBuf,
    live: Arc<LiveEngine>,
    writer: Mutex<Writer>,
    compacting: Arc<AtomicBool>,
    /// The last entry written, for readers that must not wait on a write's sync.
    committed: AtomicU64,
    compact_every: u64,
    recovery: Recovery,
    /// The learning catalogue, read at start, grown by recorded consumption and saved with
    /// every snapshot. Consumption by
    /// members erased since is dropped when it is saved.
    catalogue: RwLock<Arc<Catalogue>>,
}

fn snapshot_name(seq: u64) -> String {
    format!("snapshot-{seq:016}.json")
}

fn snapshot_seq(name: &str) -> Option<u64> {
    name.strip_prefix("snapshot-")?
        .strip_suffix(".json")?
        .parse()
        .ok()
}

/// The snapshots and segments in `dir`, each sorted by number.
fn listing(dir: &Path) -> Result<(Vec<u64>, Vec<u64>), OpenError> {
    let mut snapshots = Vec::new();
    let mut segments = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| OpenError(format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| OpenError(format!("{}: {e}", dir.display())))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if let Some(seq) = snapshot_seq(&name) {
            snapshots.push(seq);
        } else if let Some(n) = journal::segment_number(&name) {
            segments.push(n);
        }
    }
    snapshots.sort_unstable();
    segments.sort_unstable();
    Ok((snapshots, segments))
}

impl Store {
    /// Opens the data folder `dir` (created if missing). When it holds no snapshot yet, the
    /// community at `seed` is loaded and saved as the first one; afterwards the folder wins and
    /// `seed` is not read.
    ///
    /// # Errors
    ///
    /// The folder cannot be read or written; there is no snapshot and no seed; the snapshot
    /// or seed does not load; a journal line before the last is corrupt; or an entry no longer
    /// applies. The message names the file and the problem.
    pub fn open(
        dir: &Path,
        seed: Option<&Path>,
        weights: MatchWeights,
        compact_every: u64,
    ) -> Result<Store, OpenError> {
        let io = |e: std::io::Error| OpenError(format!("{}: {e}", dir.display()));
        fs::create_dir_all(dir).map_err(io)?;
        let (snapshots, segments) = listing(dir)?;
        let (snapshot_seq, community, mut catalogue) = if let Some(&seq) = snapshots.last() {
            let path = dir.join(snapshot_name(seq));
            let c = Community::load(&path)
                .map_err(|e| OpenError(format!("{}: {e}", path.display())))?;
            let catalogue = Catalogue::load(&path, &c)
                .map_err(|e| OpenError(format!("{}: {e}", path.display())))?;
            (seq, c, catalogue)
        } else {
            let seed = seed.ok_or_else(|| {
                OpenError(format!(
                    "{} holds no snapshot yet: give --community to start from",
                    dir.display()
                ))
            })?;
            let c =
                Community::load(seed).map_err(|e| OpenError(format!("{}: {e}", seed.display())))?;
            let catalogue = Catalogue::load(seed, &c)
                .map_err(|e| OpenError(format!("{}: {e}", seed.display())))?;
            catalogue
                .write_json_with(&c, dir.join(snapshot_name(0)))
                .map_err(|e| OpenError(e.to_string()))?;
            (0, c, catalogue)
        };
        let mut engine = Engine::new(community, weights).map_err(|e| OpenError(e.to_string()))?;
        let mut seq = snapshot_seq;
        let mut replayed = 0;
        let mut torn_tail = None;
        for (i, &n) in segments.iter().enumerate() {
            let path = dir.join(journal::segment_name(n));
            let segment = journal::read_segment(&path).map_err(OpenError)?;
            if let Some(torn) = segment.torn {
                if i + 1 != segments.len() {
                    return Err(OpenError(format!(
                        "{}:{}: {} (not the last segment: the journal is corrupt)",
                        torn.file, torn.line, torn.reason
                    )));
                }
                journal::truncate(&path, torn.offset).map_err(io)?;
                tracing::warn!(
                    file = %torn.file, line = torn.line, bytes = torn.bytes, reason = torn.reason,
                    "dropped a torn journal tail"
                );
                torn_tail = Some(torn);
            }
            for entry in segment.entries {
                if entry.seq <= seq {
                    continue;
                }
                if entry.seq != seq + 1 {
                    return Err(OpenError(format!(
                        "{}: entry {} follows {seq}: entries are missing",
                        path.display(),
                        entry.seq
                    )));
                }
                let failed = |e: pollinate::Error| {
                    OpenError(format!("{}: entry {}: {e}", path.display(), entry.seq))
                };
                if !entry.changes.is_empty() {
                    engine = engine.apply(&entry.changes).map_err(failed)?.0;
                }
                if !entry.consumed.is_empty() {
                    catalogue = catalogue
                        .with_consumed(&entry.consumed, engine.community())
                        .map_err(failed)?;
                }
                seq = entry.seq;
                replayed += 1;
            }
        }
        let next = segments.last().map_or(1, |n| n + 1);
        let journal = Journal::create(dir, next).map_err(io)?;
        Ok(Store {
            dir: dir.to_owned(),
            live: Arc::new(LiveEngine::new(engine)),
            writer: Mutex::new(Writer {
                journal,
                seq,
                since_snapshot: replayed,
                broken: false,
            }),
            compacting: Arc::new(AtomicBool::new(false)),
            committed: AtomicU64::new(seq),
            compact_every: compact_every.max(1),
            recovery: Recovery {
                snapshot_seq,
                replayed,
                torn_tail,
            },
            catalogue: RwLock::new(Arc::new(catalogue)),
        })
    }

    /// The engine as it is now (a consistent snapshot, whatever is written meanwhile).
    pub fn engine(&self) -> Arc<Engine> {
        self.live.snapshot()
    }

    /// The learning catalogue as it is now.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        Arc::clone(
            &self
                .catalogue
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// What opening the folder found.
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// The last journal entry applied.
    pub fn seq(&self) -> u64 {
        self.committed.load(Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Writer> {
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Applies `changes` all or nothing, journals them and syncs the journal, then makes them
    /// visible; returns what each did. When it returns `Ok`, the batch survives a crash.
    ///
    /// # Errors
    ///
    /// [`WriteError`]: then nothing changed.
    pub fn write(&self, mut changes: Vec<Change>) -> Result<Vec<Effect>, WriteError> {
        let mut w = self.lock();
        if w.broken {
            return Err(WriteError::Unavailable);
        }
        let today = today();
        for change in &mut changes {
            if let Change::Propose { date, .. } | Change::Event { date, .. } = change {
                date.get_or_insert_with(|| today.clone());
            }
        }
        let seq = w.seq + 1;
        let mut broken = false;
        let applied = self
            .live
            .apply_then(&changes, |_, effects| {
                // Journal the batch as applied: a proposal gets the id the engine made.
                let mut applied = changes.clone();
                for (change, effect) in applied.iter_mut().zip(effects) {
                    if let (Change::Propose { id, .. }, Effect::Proposed { id: made }) =
                        (change, effect)
                    {
                        id.get_or_insert_with(|| made.clone());
                    }
                }
                let entry = Entry {
                    seq,
                    changes: applied,
                    consumed: Vec::new(),
                };
                w.journal.append(&entry).map_err(|e| match e {
                    AppendError::Failed(e) => e,
                    AppendError::Broken(e) => {
                        broken = true;
                        e
                    }
                })
            })
            .map_err(WriteError::Rejected)?;
        w.broken |= broken;
        let effects = applied.map_err(WriteError::Journal)?;
        w.seq = seq;
        self.committed.store(seq, Ordering::Release);
        w.since_snapshot += 1;
        if w.since_snapshot >= self.compact_every {
            self.start_compaction(&mut w);
        }
        Ok(effects)
    }

    /// Records resources members consumed (a date of today when none is given): validated
    /// against the current community and catalogue, journaled and synced, then used by
    /// learning lists.
    ///
    /// # Errors
    ///
    /// [`WriteError`]: then nothing is recorded.
    pub fn record_consumed(&self, mut records: Vec<ConsumedRecord>) -> Result<(), WriteError> {
        let mut w = self.lock();
        if w.broken {
            return Err(WriteError::Unavailable);
        }
        let today = today();
        for r in &mut records {
            r.date.get_or_insert_with(|| today.clone());
        }
        let next = self
            .catalogue()
            .with_consumed(&records, self.engine().community())
            .map_err(WriteError::Rejected)?;
        let seq = w.seq + 1;
        let entry = Entry {
            seq,
            changes: Vec::new(),
            consumed: records,
        };
        if let Err(e) = w.journal.append(&entry) {
            return Err(match e {
                AppendError::Failed(e) => WriteError::Journal(e),
                AppendError::Broken(e) => {
                    w.broken = true;
                    WriteError::Journal(e)
                }
            });
        }
        *self
            .catalogue
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(next);
        w.seq = seq;
        self.committed.store(seq, Ordering::Release);
        w.since_snapshot += 1;
        if w.since_snapshot >= self.compact_every {
            self.start_compaction(&mut w);
        }
        Ok(())
    }

    /// Starts a compaction unless one is running: a new segment now, the snapshot written and
    /// the old files deleted on a background thread.
    fn start_compaction(&self, w: &mut Writer) {
        if self.compacting.swap(true, Ordering::AcqRel) {
            return;
        }
        let closed = match w.journal.rotate() {
            Ok(closed) => closed,
            Err(e) => {
                tracing::error!(error = %e, "could not start a new journal segment");
                self.compacting.store(false, Ordering::Release);
                return;
            }
        };
        w.since_snapshot = 0;
        let (seq, engine) = (w.seq, self.live.snapshot());
        let (dir, compacting) = (self.dir.clone(), Arc::clone(&self.compacting));
        let catalogue = self.catalogue();
        std::thread::spawn(move || {
            match compact(&dir, seq, &engine, &catalogue, closed) {
                Ok(()) => tracing::info!(seq, "compacted the journal into a snapshot"),
                Err(e) => tracing::error!(error = %e, "compaction failed; the journal is kept"),
            }
            compacting.store(false, Ordering::Release);
        });
    }

    /// Writes a snapshot now and waits for it (for a clean shutdown).
    ///
    /// # Errors
    ///
    /// The snapshot could not be written; the journal is kept.
    pub fn compact_now(&self) -> Result<(), String> {
        while self.compacting.swap(true, Ordering::AcqRel) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let result = {
            let mut w = self.lock();
            w.journal
                .rotate()
                .map_err(|e| e.to_string())
                .and_then(|closed| {
                    w.since_snapshot = 0;
                    compact(
                        &self.dir,
                        w.seq,
                        &self.live.snapshot(),
                        &self.catalogue(),
                        closed,
                    )
                })
        };
        self.compacting.store(false, Ordering::Release);
        result
    }
}

/// Saves `engine` (the community after entry `seq`) and the catalogue as a snapshot, then
/// deletes the snapshots before it and the segments up to `closed`.
fn compact(
    dir: &Path,
    seq: u64,
    engine: &Engine,
    catalogue: &Catalogue,
    closed: u64,
) -> Result<(), String> {
    catalogue
        .write_json_with(engine.community(), dir.join(snapshot_name(seq)))
        .map_err(|e| e.to_string())?;
    journal::sync_dir(dir).map_err(|e| e.to_string())?;
    let (snapshots, segments) = listing(dir).map_err(|e| e.0)?;
    for old in snapshots.into_iter().filter(|&s| s < seq) {
        fs::remove_file(dir.join(snapshot_name(old))).map_err(|e| e.to_string())?;
    }
    for old in segments.into_iter().filter(|&n| n <= closed) {
        fs::remove_file(dir.join(journal::segment_name(old))).map_err(|e| e.to_string())?;
    }
    journal::sync_dir(dir).map_err(|e| e.to_string())
}

/// Today's date (UTC), for changes that give none.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
