//! Emerging communities of practice: clusters of the match graph (Louvain) that no existing
//! community covers.

use std::collections::BTreeMap;
use std::sync::Arc;

use graphrs::algorithms::community::louvain;
use graphrs::{Edge, Graph, GraphSpecs, Node};
use serde::Serialize;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::model::ids::{CopId, Labeled, MemberId, MemberRef, TopicId};
use crate::model::label::topic_label;
use crate::model::taxonomy::VerticalId;
use crate::rank::query::Query;

/// How emerging communities are discovered.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscoveryConfig {
    /// Seed of the clustering (default 7).
    pub seed: u64,
    /// The match graph links each member to this many top recommendations (default 10).
    pub links_per_member: usize,
    /// Smallest cluster proposed (default 5).
    pub min_size: usize,
    /// A cluster is proposed when no existing `CoP` holds more than this share of it (default
    /// 0.5).
    pub max_covered: f64,
    /// Louvain resolution: above 1 favours smaller clusters (default 1).
    pub resolution: f64,
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        DiscoveryConfig {
            seed: 7,
            links_per_member: 10,
            min_size: 5,
            max_covered: 0.5,
            resolution: 1.0,
        }
    }
}

/// A cluster of members no existing community of practice covers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmergingCommunity {
    /// Its members, by id.
    pub members: Vec<MemberRef>,
    /// Its most common verticals with member counts, most common first (up to 3).
    pub verticals: Vec<(Labeled<VerticalId>, usize)>,
    /// Its most common topics (needs and offers) with counts, most common first (up to 5).
    pub topics: Vec<(Labeled<TopicId>, usize)>,
    /// The existing `CoP` holding the largest share of it, with that share, if any.
    pub closest_cop: Option<(Labeled<CopId>, f64)>,
    /// A suggested name from its dominant vertical and topic.
    pub name: String,
    /// The suggested name as a slug.
    pub slug: String,
}

fn top<T: Ord + Copy>(counts: BTreeMap<T, usize>, k: usize) -> Vec<(T, usize)> {
    let mut v: Vec<(T, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(k);
    v
}

impl Engine {
    /// Clusters the match graph (each open member linked to their top recommendations, weighted
    /// by score) with the Louvain method (seeded, deterministic) and proposes the clusters of at
    /// least `min_size` members that no existing community of practice covers, largest first.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidOption`](crate::ErrorKind::InvalidOption) when `links_per_member`
    /// is 0, `resolution` is not a positive number or `max_covered` is not in [0, 1] (NaN
    /// included); [`ErrorKind::Shape`](crate::ErrorKind::Shape) if
    /// the clustering library fails.
    pub fn discover_communities(&self, config: &DiscoveryConfig) -> Result<Vec<EmergingCommunity>> {
        if config.links_per_member == 0 {
            return Err(Error::option(
                "links_per_member",
                &config.links_per_member,
                "must be at least 1",
            ));
        }
        if !(config.resolution.is_finite() && config.resolution > 0.0) {
            return Err(Error::option(
                "resolution",
                &config.resolution,
                "must be a finite number above 0",
            ));
        }
        if !(0.0..=1.0).contains(&config.max_covered) {
            return Err(Error::option(
                "max_covered",
                &config.max_covered,
                "must be a share in [0, 1]",
            ));
        }
        let c = self.community();
        let mut weights: BTreeMap<(u32, u32), f64> = BTreeMap::new();
        for (s, list) in self.rank_all(&Query::top(config.links_per_member))? {
            for (t, score) in list {
                weights.insert((s.0.min(t.0), s.0.max(t.0)), f64::from(score));
            }
        }
        let linked: std::collections::BTreeSet<u32> =
            weights.keys().flat_map(|&(a, b)| [a, b]).collect();
        let nodes: Vec<std::sync::Arc<Node<u32, ()>>> =
            linked.iter().map(|&m| Node::from_name(m)).collect();
        let edges = weights
            .iter()
            .map(|(&(a, b), &w)| Edge::with_weight(a, b, w))
            .collect();
        let graph_error =
            |e: graphrs::Error| Error::shape("match graph", format!("clustering failed: {e}"));
        let graph = Graph::<u32, ()>::new_from_nodes_and_edges(
            nodes,
            edges,
            GraphSpecs::undirected_create_missing(),
        )
        .map_err(graph_error)?;
        let clusters = if weights.is_empty() {
            Vec::new()
        } else {
            louvain::louvain_communities(
                &graph,
                true,
                Some(config.resolution),
                None,
                Some(config.seed),
            )
            .map_err(graph_error)?
        };
        let mut clusters: Vec<Vec<MemberId>> = clusters
            .into_iter()
            .map(|set| {
                let mut v: Vec<MemberId> = set.into_iter().map(MemberId).collect();
                v.sort();
                v
            })
            .filter(|v| v.len() >= config.min_size)
            .collect();
        clusters.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut out = Vec::new();
        for members in clusters {
            let mut cop_counts: BTreeMap<CopId, usize> = BTreeMap::new();
            let mut verticals: BTreeMap<VerticalId, usize> = BTreeMap::new();
            let mut topics: BTreeMap<TopicId, usize> = BTreeMap::new();
            for &m in &members {
                for &x in c[m].communities() {
                    *cop_counts.entry(x).or_default() += 1;
                }
                for &v in c[m].verticals() {
                    *verticals.entry(v).or_default() += 1;
                }
                for &t in c[m].needs().iter().chain(c[m].offers()) {
                    *topics.entry(t).or_default() += 1;
                }
            }
            let closest_cop = top(cop_counts, 1)
                .first()
                .map(|&(cop, n)| (cop, n as f64 / members.len() as f64));
            if closest_cop.is_some_and(|(_, share)| share > config.max_covered) {
                continue;
            }
            let verticals = top(verticals, 3);
            let topics = top(topics, 5);
            let (name, slug) = match (verticals.first(), topics.first()) {
                (Some(&(v, _)), Some(&(t, _))) => {
                    // A vertical's own topics repeat its slug (`care-services-regulation`).
                    let vslug = c.taxonomy()[v].slug();
                    let topic = c.topic(t);
                    let short = topic
                        .strip_prefix(vslug)
                        .and_then(|x| x.strip_prefix('-'))
                        .unwrap_or(topic);
                    (
                        format!("{}: {}", c.taxonomy()[v].name(), topic_label(short)),
                        format!("{vslug}-{short}"),
                    )
                }
                (Some(&(v, _)), None) => (
                    c.taxonomy()[v].name().to_owned(),
                    c.taxonomy()[v].slug().to_owned(),
                ),
                _ => ("members".to_owned(), "members".to_owned()),
            };
            let tax = c.taxonomy();
            out.push(EmergingCommunity {
                members: members.into_iter().map(|m| c.member_ref(m)).collect(),
                verticals: verticals
                    .into_iter()
                    .map(|(v, n)| (Labeled::new(v, Arc::from(tax[v].slug())), n))
                    .collect(),
                topics: topics
                    .into_iter()
                    .map(|(t, n)| (Labeled::new(t, c.topic_slug(t)), n))
                    .collect(),
                closest_cop: closest_cop
                    .map(|(cop, share)| (Labeled::new(cop, c.cop_slug(cop)), share)),
                name,
                slug,
            });
        }
        Ok(out)
    }
}
