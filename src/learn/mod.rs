//! Learning resources: the catalogue (resources, journeys, what members consumed), reading it,
//! ranking it for a member, and replaying consumption to measure that ranking.

pub(crate) mod evaluate;
pub(crate) mod load;
pub(crate) mod reason;
pub(crate) mod recommend;
pub(crate) mod records;
pub(crate) mod resource;
pub(crate) mod write;
