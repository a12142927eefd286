//! What the pruned search reads of one member, in one place.

/// What the search reads of the member at one position, in one place: its place in the tree,
/// where its topics and communities are, and who it is.
#[derive(Clone, Copy, Debug)]
pub(super) struct Slot {
    pub(super) group: u32,
    /// Index into [`Index::stage_codes`] and [`Index::countries`].
    pub(super) stage: u16,
    pub(super) country: u16,
    /// The member offers `topics[offers..needs]`, needs `topics[needs..cops]` and is in the
    /// communities `topics[cops..end]`.
    pub(super) offers: u32,
    pub(super) needs: u32,
    pub(super) cops: u32,
    pub(super) end: u32,
    pub(super) member: u32,
    /// The member's communities folded into 32 bits (see [`fold_cops`]).
    pub(super) cops_fold: u32,
}

impl Slot {
    pub(super) fn needs_len(&self) -> u32 {
        self.cops - self.needs
    }
}
