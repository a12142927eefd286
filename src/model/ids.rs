//! Dense ids: members, topics and communities of practice inside one community; and
//! [`MemberRef`], a member as results name it.

use std::sync::Arc;

use serde::{Serialize, Serializer};

/// A map from string ids or slugs, with a fast hasher seeded per process (so crafted ids cannot
/// force collisions); only looked up, never iterated into output.
pub(crate) type IdMap<V> = foldhash::HashMap<Arc<str>, V>;

/// Dense id of a member inside one [`Community`](crate::Community): its 0-based position in input
/// order. String ids live in files and output; inside, everything uses this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberId(pub(crate) u32);

impl MemberId {
    /// The id as a 0-based index in input order.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Dense id of a topic (a need or offer slug) in a community; topics are numbered in
/// alphabetical order of their slugs, so ids do not depend on the order of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicId(pub(crate) u32);

impl TopicId {
    /// The id as a 0-based index into [`Community::topics`](crate::Community::topics).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Dense id of a community of practice (`CoP`), numbered in alphabetical order of the slugs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CopId(pub(crate) u32);

impl CopId {
    /// The id as a 0-based index into [`Community::cops`](crate::Community::cops).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A member as results name it: its dense id in the engine's community (to index the
/// community) and its string id (what it serializes as).
///
/// # Examples
///
/// ```
/// use pollinate::{Community, Engine, MatchWeights, Query};
///
/// let engine = Engine::new(Community::load("data/small.json")?, MatchWeights::default())?;
/// let fundi = engine.community().resolve("fundi-fix")?;
/// let recs = engine.recommend(fundi, &Query::top(1))?;
/// let best = &recs.items[0].candidate;
/// assert_eq!(engine.community()[best.member()].id(), best.id());
/// assert_eq!(serde_json::to_string(best).unwrap(), format!("\"{}\"", best.id()));
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberRef {
    member: MemberId,
    id: Arc<str>,
}

impl MemberRef {
    pub(crate) fn new(member: MemberId, id: Arc<str>) -> Self {
        MemberRef { member, id }
    }

    /// The member's dense id in the community it was ranked in.
    pub fn member(&self) -> MemberId {
        self.member
    }

    /// The member's string id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Serialize for MemberRef {
    /// A member serializes as its string id.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id)
    }
}

/// A topic, community of practice or vertical as results name it: its dense id and its slug
/// (what it serializes as).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labeled<I> {
    id: I,
    label: Arc<str>,
}

impl<I: Copy> Labeled<I> {
    pub(crate) fn new(id: I, label: Arc<str>) -> Self {
        Labeled { id, label }
    }

    /// The dense id.
    pub fn id(&self) -> I {
        self.id
    }

    /// The slug.
    pub fn label(&self) -> &str {
        &self.label
    }
}

impl<I> Serialize for Labeled<I> {
    /// Serializes as the slug.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label)
    }
}
