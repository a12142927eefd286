//! The community model: value types (ids, taxonomy, countries, stages, kinds, dates, slugs),
//! members and relations, records as files supply them, the immutable [`Community`](crate::Community) and the
//! builder that validates records into one.

pub(crate) mod builder;
pub(crate) mod community;
pub(crate) mod consent;
pub(crate) mod country;
pub(crate) mod date;
pub(crate) mod history;
pub(crate) mod ids;
pub(crate) mod intro_status;
pub(crate) mod kind;
pub(crate) mod label;
pub(crate) mod language;
pub(crate) mod member;
pub(crate) mod record;
pub(crate) mod relation;
pub(crate) mod slug;
pub(crate) mod stage;
pub(crate) mod suggest;
pub(crate) mod taxonomy;
pub(crate) mod validate;
