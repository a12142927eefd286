//! Communities of practice: recommending existing ones to a member, and discovering emerging
//! ones by clustering the match graph.

use std::collections::BTreeMap;

use graphrs::algorithms::community::louvain;
use graphrs::{Edge, Graph, GraphSpecs, Node};

use crate::engine::{Engine, Query};
use crate::error::{Error, Result};
use crate::member::{CopId, MemberId, TopicId};
use crate::taxonomy::VerticalId;

/// A community of practice recommended to a member.
#[derive(Clone, Debug, PartialEq)]
pub struct CopRecommendation {
    /// The community of practice.
    pub cop: CopId,
    /// `0.5 * like + 0.5 * needs_met`, in [0, 1].
    pub score: f32,
    /// Mean pair score of the member with the (up to) five most similar members of the `CoP`.
    pub like: f32,
    /// Share of the member's needs that some member of the `CoP` offers.
    pub needs_met: f32,
    /// Plain-language reasons.
    pub reasons: Vec<String>,
}

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
#[derive(Clone, Debug, PartialEq)]
pub struct EmergingCommunity {
    /// Its members, by id.
    pub members: Vec<MemberId>,
    /// Its most common verticals with member counts, most common first (up to 3).
    pub verticals: Vec<(VerticalId, usize)>,
    /// Its most common topics (needs and offers) with counts, most common first (up to 5).
    pub topics: Vec<(TopicId, usize)>,
    /// The existing `CoP` holding the largest share of it, with that share, if any.
    pub closest_cop: Option<(CopId, f64)>,
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
    /// Communities of practice `member` is not in, best first (score, then slug): members like
    /// them are in it (`like`), and its members offer what they need (`needs_met`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when `member` is not a member of this community.
    pub fn recommend_cops(&self, member: MemberId, k: usize) -> Result<Vec<CopRecommendation>> {
        let c = self.community();
        let m = c.get(member).ok_or_else(|| Error::InvalidOption {
            name: "member",
            value: member.index().to_string(),
            reason: "not a member id of this engine's community",
        })?;
        let mut out = Vec::new();
        for i in 0..c.cops().len() {
            let cop = CopId(i as u32);
            if m.communities().contains(&cop) {
                continue;
            }
            let members: Vec<MemberId> = self
                .graph()
                .cop_members(cop)
                .into_iter()
                .filter(|&x| x != member)
                .collect();
            if members.is_empty() {
                continue;
            }
            let mut scored: Vec<(f32, MemberId)> = members
                .iter()
                .map(|&x| Ok((self.score(member, x)?, x)))
                .collect::<Result<_>>()?;
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let best = &scored[..scored.len().min(5)];
            let like = best.iter().map(|x| x.0).sum::<f32>() / best.len() as f32;
            let met: Vec<TopicId> = m
                .needs()
                .iter()
                .copied()
                .filter(|t| {
                    members
                        .iter()
                        .any(|&x| c[x].offers().binary_search(t).is_ok())
                })
                .collect();
            let needs_met = if m.needs().is_empty() {
                0.0
            } else {
                met.len() as f32 / m.needs().len() as f32
            };
            let mut reasons = Vec::new();
            let same_vertical = members
                .iter()
                .filter(|&&x| c[x].verticals().iter().any(|v| m.verticals().contains(v)))
                .count();
            if same_vertical > 0 {
                let names: Vec<&str> = m
                    .verticals()
                    .iter()
                    .map(|&v| c.taxonomy()[v].name())
                    .collect();
                reasons.push(format!(
                    "{same_vertical} of its {} members work in your verticals ({})",
                    members.len(),
                    names.join("; ")
                ));
            }
            if !met.is_empty() {
                let topics: Vec<&str> = met.iter().map(|&t| c.topic(t)).collect();
                reasons.push(format!(
                    "its members offer {} that you need",
                    topics.join(", ")
                ));
            }
            let closest: Vec<String> = best
                .iter()
                .take(3)
                .map(|(s, x)| format!("{} ({s:.2})", c[*x].name()))
                .collect();
            reasons.push(format!("closest members: {}", closest.join(", ")));
            out.push(CopRecommendation {
                cop,
                score: 0.5 * like + 0.5 * needs_met,
                like,
                needs_met,
                reasons,
            });
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| c.cop(a.cop).cmp(c.cop(b.cop)))
        });
        out.truncate(k);
        Ok(out)
    }

    /// Clusters the match graph (each open member linked to their top recommendations, weighted
    /// by score) with the Louvain method (seeded, deterministic) and proposes the clusters of at
    /// least `min_size` members that no existing community of practice covers, largest first.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] when `links_per_member` is 0 or `resolution` is not positive;
    /// [`Error::Shape`] if the clustering library fails.
    pub fn discover_communities(&self, config: &DiscoveryConfig) -> Result<Vec<EmergingCommunity>> {
        if config.links_per_member == 0
            || !(config.resolution.is_finite() && config.resolution > 0.0)
        {
            return Err(Error::InvalidOption {
                name: "discovery",
                value: format!(
                    "links_per_member {}, resolution {}",
                    config.links_per_member, config.resolution
                ),
                reason: "links_per_member must be >= 1 and resolution > 0",
            });
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
        let graph_error = |e: graphrs::Error| Error::Shape {
            file: "match graph".into(),
            message: format!("clustering failed: {e}"),
        };
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
                        format!("{}: {short}", c.taxonomy()[v].name()),
                        format!("{vslug}-{short}"),
                    )
                }
                (Some(&(v, _)), None) => (
                    c.taxonomy()[v].name().to_owned(),
                    c.taxonomy()[v].slug().to_owned(),
                ),
                _ => ("members".to_owned(), "members".to_owned()),
            };
            out.push(EmergingCommunity {
                members,
                verticals,
                topics,
                closest_cop,
                name,
                slug,
            });
        }
        Ok(out)
    }
}
