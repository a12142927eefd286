//! The community as a weighted graph: members, verticals, categories, topics and communities of
//! practice as nodes; memberships, offers, needs and ties as weighted edges.

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use crate::community::Community;
use crate::member::{CopId, MemberId, TopicId};
use crate::taxonomy::{CategoryId, VerticalId};

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

/// One of a member's contacts, with the tie strength.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contact {
    /// The contact.
    pub member: MemberId,
    /// Tie strength in (0, 1].
    pub strength: f32,
}

/// A contact two members share, with the strength of each side's tie to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MutualContact {
    /// The shared contact.
    pub member: MemberId,
    /// Strength of the first member's tie to it.
    pub strength_a: f32,
    /// Strength of the second member's tie to it.
    pub strength_b: f32,
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
/// # Ok::<(), pollinate::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CommunityGraph {
    graph: UnGraph<Node, Edge>,
    members: Vec<NodeIndex>,
    verticals: Vec<NodeIndex>,
    categories: Vec<NodeIndex>,
    topics: Vec<NodeIndex>,
    cops: Vec<NodeIndex>,
    /// Each member's ties sorted by contact, `ties[tie_start[m]..tie_start[m + 1]]`: the graph's
    /// tie edges laid out flat, so that contacts are read without walking a member's edge list
    /// (which also holds its verticals, topics and communities) and sorting it.
    tie_start: Vec<u32>,
    ties: Vec<Contact>,
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
        let members: Vec<NodeIndex> = community
            .member_ids()
            .map(|m| graph.add_node(Node::Member(m)))
            .collect();
        for (i, m) in community.members().iter().enumerate() {
            let node = members[i];
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
            graph.add_edge(
                members[c.a.index()],
                members[c.b.index()],
                Edge::Tie(c.strength),
            );
        }
        // Duplicate connections are refused when the community is built, so each contact
        // appears once in a member's ties.
        let n = community.len();
        let mut tie_start = vec![0u32; n + 1];
        for c in community.connections() {
            tie_start[c.a.index() + 1] += 1;
            tie_start[c.b.index() + 1] += 1;
        }
        for i in 1..=n {
            tie_start[i] += tie_start[i - 1];
        }
        let mut next = tie_start.clone();
        let unset = Contact {
            member: MemberId(0),
            strength: 0.0,
        };
        let mut ties = vec![unset; tie_start[n] as usize];
        for c in community.connections() {
            for (from, to) in [(c.a, c.b), (c.b, c.a)] {
                let slot = &mut next[from.index()];
                ties[*slot as usize] = Contact {
                    member: to,
                    strength: c.strength,
                };
                *slot += 1;
            }
        }
        for m in 0..n {
            ties[tie_start[m] as usize..tie_start[m + 1] as usize].sort_by_key(|c| c.member);
        }
        CommunityGraph {
            graph,
            members,
            verticals,
            categories,
            topics,
            cops,
            tie_start,
            ties,
        }
    }

    /// Member `m`'s ties, sorted by contact (the engine builds its tie index from them).
    pub(crate) fn ties_of(&self, m: MemberId) -> &[Contact] {
        &self.ties[self.tie_start[m.index()] as usize..self.tie_start[m.index() + 1] as usize]
    }

    /// Number of nodes of every type.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges of every type.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// A member's contacts with tie strengths, by member id (input order).
    pub fn contacts(&self, member: MemberId) -> Vec<Contact> {
        self.ties_of(member).to_vec()
    }

    /// Contacts `a` and `b` share, with each side's tie strength, by member id.
    pub fn mutual_contacts(&self, a: MemberId, b: MemberId) -> Vec<MutualContact> {
        let (ca, cb) = (self.ties_of(a), self.ties_of(b));
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
        self.neighbours_of_type(self.members[member.index()], |n| match n {
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
        let mut out: Vec<MemberId> = self
            .graph
            .edges(self.topics[topic.index()])
            .filter(|e| which(e.weight()))
            .filter_map(|e| {
                let other = if e.source() == self.topics[topic.index()] {
                    e.target()
                } else {
                    e.source()
                };
                match self.graph[other] {
                    Node::Member(m) => Some(m),
                    _ => None,
                }
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

    /// The graph in Graphviz DOT format, nodes labelled with `label`.
    pub fn to_dot(&self, label: impl Fn(Node) -> String) -> String {
        use std::fmt::Write;
        let mut out = String::from("graph community {\n");
        for n in self.graph.node_indices() {
            let _ = writeln!(out, "  {} [label={:?}];", n.index(), label(self.graph[n]));
        }
        for e in self.graph.edge_references() {
            let _ = writeln!(
                out,
                "  {} -- {} [weight={}, label={:?}];",
                e.source().index(),
                e.target().index(),
                e.weight().weight(),
                format!("{:?}", e.weight())
            );
        }
        out.push_str("}\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Community {
        Community::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/community-1500.json"
        ))
        .expect("sample loads")
    }

    /// The flat ties are the graph's tie edges: each member's, read from petgraph's edge list
    /// and sorted, equals `contacts`; and `mutual_contacts` is every contact of both, found by
    /// a nested scan.
    #[test]
    fn flat_ties_are_the_tie_edges_of_the_graph() {
        let community = sample();
        let g = CommunityGraph::new(&community);
        let mut ties = 0;
        for m in community.member_ids() {
            let mut from_edges: Vec<Contact> = g
                .graph
                .edges(g.members[m.index()])
                .filter_map(
                    |e| match (e.weight(), g.graph[e.target()], g.graph[e.source()]) {
                        (Edge::Tie(s), Node::Member(a), Node::Member(b)) => Some(Contact {
                            member: if a == m { b } else { a },
                            strength: *s,
                        }),
                        _ => None,
                    },
                )
                .collect();
            from_edges.sort_by_key(|c| c.member);
            assert_eq!(g.contacts(m), from_edges);
            ties += from_edges.len();
        }
        assert_eq!(ties, 2 * community.connections().len());
        // Pairs two hops apart (a, a contact of its first contact), so most share a contact.
        let mut shared = 0;
        let pairs = community.member_ids().step_by(7).flat_map(|a| {
            let via = g.contacts(a).first().map(|c| c.member);
            via.into_iter()
                .flat_map(|v| g.contacts(v))
                .filter(move |c| c.member != a)
                .map(move |c| (a, c.member))
        });
        for (a, b) in pairs.collect::<Vec<_>>() {
            let expected: Vec<MutualContact> = g
                .contacts(a)
                .iter()
                .flat_map(|x| {
                    g.contacts(b)
                        .into_iter()
                        .filter(move |y| y.member == x.member)
                        .map(move |y| MutualContact {
                            member: x.member,
                            strength_a: x.strength,
                            strength_b: y.strength,
                        })
                })
                .collect();
            assert_eq!(g.mutual_contacts(a, b), expected);
            shared += expected.len();
        }
        assert!(shared > 100, "only {shared} shared contacts checked");
    }
}
