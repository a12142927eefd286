//! The community as a weighted graph: members, verticals, categories, topics and communities of
//! practice as nodes; memberships, offers, needs and ties as weighted edges. For graph
//! algorithms (connected components, strongest introduction paths) and export; rankings read
//! the ties from their own adjacency.

use petgraph::algo::{astar, connected_components};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::{EdgeFiltered, EdgeRef};

use crate::model::community::Community;
use crate::model::ids::{CopId, MemberId, TopicId};
use crate::model::taxonomy::{CategoryId, VerticalId};
use crate::ties::{Contact, MutualContact};

/// A node of the [`CommunityGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// A member.
    Member(MemberId),
    /// A vertical of the taxonomy.
    Vertical(VerticalId),
    /// A category of the taxonomy.
    Category(CategoryId),
    /// A topic (need or offer).
    Topic(TopicId),
    /// A community of practice.
    Cop(CopId),
}

/// An edge of the [`CommunityGraph`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
    /// Member works in (or is interested in) a vertical; weight 1.
    InVertical,
    /// Vertical belongs to a category; weight 1.
    InCategory,
    /// Member offers a topic; weight 1.
    Offers,
    /// Member needs a topic; weight 1.
    Needs,
    /// Member belongs to a community of practice; weight 1.
    InCop,
    /// A tie between two members, with its strength in (0, 1].
    Tie(f32),
}

impl Edge {
    /// The edge's weight: the tie strength for ties, 1 for memberships.
    pub fn weight(self) -> f32 {
        match self {
            Edge::Tie(s) => s,
            _ => 1.0,
        }
    }
}

/// A chain of ties from one member to another, strongest first by the product of its tie
/// strengths.
#[derive(Clone, Debug, PartialEq)]
pub struct TiePath {
    /// The members along the path, both ends included.
    pub members: Vec<MemberId>,
    /// The product of the strengths of its ties, in (0, 1].
    pub strength: f32,
}

/// The weighted community graph (built on petgraph, which stays private).
///
/// # Examples
///
/// ```
/// use pollinate::{Community, CommunityGraph};
///
/// let community = Community::load("data/small.json")?;
/// let graph = CommunityGraph::new(&community);
/// let fundi = community.resolve("fundi-fix")?;
/// let riders = community.resolve("safari-riders")?;
/// let hub = community.resolve("nairobi-venture-hub")?;
/// let mutual = graph.mutual_contacts(fundi, riders);
/// assert!(mutual.iter().any(|m| m.member == hub && m.strength_a == 0.9 && m.strength_b == 0.6));
/// // The strongest chain of ties between them runs through the hub.
/// let path = graph.strongest_path(fundi, riders, 3).unwrap();
/// assert_eq!(path.members, [fundi, hub, riders]);
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CommunityGraph {
    graph: UnGraph<Node, Edge>,
    /// Each member id's node; `None` for members removed from a live community.
    members: Vec<Option<NodeIndex>>,
    verticals: Vec<NodeIndex>,
    categories: Vec<NodeIndex>,
    topics: Vec<NodeIndex>,
    cops: Vec<NodeIndex>,
}

impl CommunityGraph {
    /// Builds the graph of `community`.
    ///
    /// # Complexity
    ///
    /// O(n + e) nodes and edges: one node per member, vertical, category, topic and community of
    /// practice; one edge per membership, offer, need and tie.
    pub fn new(community: &Community) -> Self {
        let t = community.taxonomy();
        let mut graph = UnGraph::default();
        let categories: Vec<NodeIndex> = t
            .category_ids()
            .map(|c| graph.add_node(Node::Category(c)))
            .collect();
        let verticals: Vec<NodeIndex> = t
            .vertical_ids()
            .map(|v| {
                let node = graph.add_node(Node::Vertical(v));
                graph.add_edge(node, categories[t[v].category().index()], Edge::InCategory);
                node
            })
            .collect();
        let topics: Vec<NodeIndex> = (0..community.topics().len())
            .map(|i| graph.add_node(Node::Topic(TopicId(i as u32))))
            .collect();
        let cops: Vec<NodeIndex> = (0..community.cops().len())
            .map(|i| graph.add_node(Node::Cop(CopId(i as u32))))
            .collect();
        let mut members: Vec<Option<NodeIndex>> = vec![None; community.slots()];
        for m in community.member_ids() {
            members[m.index()] = Some(graph.add_node(Node::Member(m)));
        }
        for (m, node) in community.member_ids().zip(members.iter().flatten()) {
            let (m, node) = (&community[m], *node);
            for v in m.verticals() {
                graph.add_edge(node, verticals[v.index()], Edge::InVertical);
            }
            for t in m.offers() {
                graph.add_edge(node, topics[t.index()], Edge::Offers);
            }
            for t in m.needs() {
                graph.add_edge(node, topics[t.index()], Edge::Needs);
            }
            for c in m.communities() {
                graph.add_edge(node, cops[c.index()], Edge::InCop);
            }
        }
        for c in community.connections() {
            if let (Some(a), Some(b)) = (members[c.a.index()], members[c.b.index()]) {
                graph.add_edge(a, b, Edge::Tie(c.strength));
            }
        }
        CommunityGraph {
            graph,
            members,
            verticals,
            categories,
            topics,
            cops,
        }
    }

    /// Number of nodes of every type.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges of every type.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// A member's contacts with tie strengths, by member id.
    ///
    /// # Complexity
    ///
    /// O(d log d) for the member's d edges.
    pub fn contacts(&self, member: MemberId) -> Vec<Contact> {
        let Some(node) = self.node(member) else {
            return Vec::new();
        };
        let mut out: Vec<Contact> = self
            .graph
            .edges(node)
            .filter_map(|e| match (e.weight(), self.graph[other_end(&e, node)]) {
                (Edge::Tie(strength), Node::Member(m)) => Some(Contact {
                    member: m,
                    strength: *strength,
                }),
                _ => None,
            })
            .collect();
        out.sort_by_key(|c| c.member);
        out
    }

    /// Contacts `a` and `b` share, with each side's tie strength, by member id.
    ///
    /// # Complexity
    ///
    /// O(d log d) for the two members' d edges.
    pub fn mutual_contacts(&self, a: MemberId, b: MemberId) -> Vec<MutualContact> {
        let (ca, cb) = (self.contacts(a), self.contacts(b));
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < ca.len() && j < cb.len() {
            match ca[i].member.cmp(&cb[j].member) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push(MutualContact {
                        member: ca[i].member,
                        strength_a: ca[i].strength,
                        strength_b: cb[j].strength,
                    });
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// The members' groups connected by ties (petgraph's connected components of the tie
    /// subgraph): 1 when everyone can reach everyone through chains of ties. Members without
    /// ties are each a group of their own.
    ///
    /// # Complexity
    ///
    /// O(n + e) with union-find over the graph's edges.
    pub fn tie_components(&self) -> usize {
        let ties = EdgeFiltered::from_fn(&self.graph, |e| matches!(e.weight(), Edge::Tie(_)));
        // Every non-member node is a component of its own in the tie subgraph.
        let others = self.graph.node_count() - self.members.iter().flatten().count();
        connected_components(&ties) - others
    }

    /// The strongest chain of at most `max_ties` ties from `from` to `to` (the product of its
    /// strengths is the largest), by A* over ties weighted `-ln(strength)`; `None` when no
    /// chain of ties joins them, or the strongest one is longer than `max_ties`.
    ///
    /// # Complexity
    ///
    /// O(e log n) in the worst case, for e ties and n members.
    pub fn strongest_path(&self, from: MemberId, to: MemberId, max_ties: usize) -> Option<TiePath> {
        let ties = EdgeFiltered::from_fn(&self.graph, |e| matches!(e.weight(), Edge::Tie(_)));
        let (from, to) = (self.node(from)?, self.node(to)?);
        let (cost, nodes) = astar(
            &ties,
            from,
            |n| n == to,
            |e| -f64::from(e.weight().weight()).ln(),
            |_| 0.0,
        )?;
        if nodes.len() > max_ties + 1 {
            return None;
        }
        let members = nodes
            .into_iter()
            .filter_map(|n| match self.graph[n] {
                Node::Member(m) => Some(m),
                _ => None,
            })
            .collect();
        Some(TiePath {
            members,
            strength: (-cost).exp() as f32,
        })
    }

    /// Member `m`'s node, when it is in the graph.
    fn node(&self, m: MemberId) -> Option<NodeIndex> {
        self.members.get(m.index()).copied().flatten()
    }

    /// Member `m`'s neighbours picked by `pick`, sorted (none when `m` is not in the graph).
    fn member_neighbours<T: Ord>(&self, m: MemberId, pick: impl Fn(Node) -> Option<T>) -> Vec<T> {
        self.node(m)
            .map_or_else(Vec::new, |node| self.neighbours_of_type(node, pick))
    }

    fn neighbours_of_type<T: Ord>(
        &self,
        node: NodeIndex,
        pick: impl Fn(Node) -> Option<T>,
    ) -> Vec<T> {
        let mut out: Vec<T> = self
            .graph
            .neighbors(node)
            .filter_map(|n| pick(self.graph[n]))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// A member's verticals.
    pub fn verticals(&self, member: MemberId) -> Vec<VerticalId> {
        self.member_neighbours(member, |n| match n {
            Node::Vertical(v) => Some(v),
            _ => None,
        })
    }

    /// The categories of a member's verticals.
    pub fn categories(&self, member: MemberId) -> Vec<CategoryId> {
        let mut out: Vec<CategoryId> = self
            .verticals(member)
            .into_iter()
            .flat_map(|v| {
                self.neighbours_of_type(self.verticals[v.index()], |n| match n {
                    Node::Category(c) => Some(c),
                    _ => None,
                })
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Members who offer `topic`.
    pub fn offered_by(&self, topic: TopicId) -> Vec<MemberId> {
        self.topic_members(topic, |e| matches!(e, Edge::Offers))
    }

    /// Members who need `topic`.
    pub fn needed_by(&self, topic: TopicId) -> Vec<MemberId> {
        self.topic_members(topic, |e| matches!(e, Edge::Needs))
    }

    fn topic_members(&self, topic: TopicId, which: impl Fn(&Edge) -> bool) -> Vec<MemberId> {
        let node = self.topics[topic.index()];
        let mut out: Vec<MemberId> = self
            .graph
            .edges(node)
            .filter(|e| which(e.weight()))
            .filter_map(|e| match self.graph[other_end(&e, node)] {
                Node::Member(m) => Some(m),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    /// Members of a community of practice.
    pub fn cop_members(&self, cop: CopId) -> Vec<MemberId> {
        self.neighbours_of_type(self.cops[cop.index()], |n| match n {
            Node::Member(m) => Some(m),
            _ => None,
        })
    }

    /// Members in a vertical.
    pub fn vertical_members(&self, vertical: VerticalId) -> Vec<MemberId> {
        self.neighbours_of_type(self.verticals[vertical.index()], |n| match n {
            Node::Member(m) => Some(m),
            _ => None,
        })
    }

    /// Verticals of a category.
    pub fn category_verticals(&self, category: CategoryId) -> Vec<VerticalId> {
        self.neighbours_of_type(self.categories[category.index()], |n| match n {
            Node::Vertical(v) => Some(v),
            _ => None,
        })
    }

    /// The graph in Graphviz DOT format (petgraph's `Dot`), nodes labelled with `label`.
    pub fn to_dot(&self, label: impl Fn(Node) -> String) -> String {
        let labelled = self.graph.map(|_, &n| label(n), |_, e| format!("{e:?}"));
        format!("{}", petgraph::dot::Dot::new(&labelled))
    }
}

/// The end of edge `e` that is not `node`.
fn other_end<E>(e: &petgraph::graph::EdgeReference<'_, E>, node: NodeIndex) -> NodeIndex {
    if e.source() == node {
        e.target()
    } else {
        e.source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::taxonomy::Taxonomy;
    use crate::ties::Ties;

    fn sample() -> Community {
        Community::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/community-1500.json"
        ))
        .expect("sample loads")
    }

    /// The graph's ties are the community's: each member's contacts, read from petgraph's
    /// edges, are its connections; and the ranking's adjacency gives the same mutual contacts.
    #[test]
    fn graph_ties_are_the_connections_and_the_ranking_adjacency_agrees() {
        let community = sample();
        let g = CommunityGraph::new(&community);
        let ranks: crate::chunked::Chunked<u64> = (0..community.len() as u64).collect();
        let ties = Ties::new(&community, &ranks);
        let mut seen = 0;
        for m in community.member_ids() {
            let mut expected: Vec<Contact> = community
                .connections()
                .iter()
                .filter_map(|c| {
                    (c.a == m)
                        .then_some(c.b)
                        .or((c.b == m).then_some(c.a))
                        .map(|x| Contact {
                            member: x,
                            strength: c.strength,
                        })
                })
                .collect();
            expected.sort_by_key(|c| c.member);
            assert_eq!(g.contacts(m), expected);
            seen += expected.len();
        }
        assert_eq!(seen, 2 * community.connections().len());
        for a in community.member_ids().step_by(37) {
            for b in community.member_ids().step_by(11) {
                let mut from_ties = ties.mutual_contacts(a, b);
                from_ties.sort_by_key(|m| m.member);
                assert_eq!(g.mutual_contacts(a, b), from_ties);
            }
        }
    }

    #[test]
    fn components_and_paths_follow_ties_only() {
        let c = Community::from_json_str(
            r#"{"members": [
                {"id": "a", "kind": "platform", "country": "KE", "verticals": ["microwork"]},
                {"id": "b", "kind": "platform", "country": "KE", "verticals": ["microwork"]},
                {"id": "c", "kind": "platform", "country": "KE", "verticals": ["microwork"]},
                {"id": "d", "kind": "platform", "country": "KE", "verticals": ["microwork"]}],
              "connections": [{"a": "a", "b": "b", "strength": 0.5}, {"a": "b", "b": "c", "strength": 0.5},
                              {"a": "a", "b": "c", "strength": 0.2}]}"#,
            Taxonomy::jobtech(),
        )
        .expect("valid");
        let g = CommunityGraph::new(&c);
        // a-b-c are joined by ties; d is alone (sharing a vertical is not a tie).
        assert_eq!(g.tie_components(), 2);
        let id = |s: &str| c.member_id(s).expect("a member");
        let path = g.strongest_path(id("a"), id("c"), 3).expect("a path");
        assert_eq!(path.members, [id("a"), id("b"), id("c")]);
        assert!((path.strength - 0.25).abs() < 1e-6);
        assert_eq!(
            g.strongest_path(id("a"), id("c"), 1).map(|p| p.members),
            None
        );
        assert_eq!(g.strongest_path(id("a"), id("d"), 5), None);
        assert!(g.to_dot(|n| format!("{n:?}")).starts_with("graph {"));
    }
}
