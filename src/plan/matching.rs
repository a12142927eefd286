//! Maximum-weight matchings: Edmonds' blossom algorithm, by the mwmatching crate (a port of
//! Joris van Rantwijk's reference implementation).

/// The blossom matching on integer weights; `max_cardinality` first maximises the number of
/// pairs.
pub(crate) fn integer_matching(
    n: usize,
    edges: mwmatching::Edges,
    max_cardinality: bool,
) -> Vec<Option<usize>> {
    if edges.is_empty() {
        return vec![None; n];
    }
    let mut matching = mwmatching::Matching::new(edges);
    if max_cardinality {
        matching.max_cardinality();
    }
    let mate = matching.solve();
    (0..n)
        .map(|v| mate.get(v).copied().filter(|&m| m != mwmatching::SENTINEL))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test vectors of Joris van Rantwijk's reference implementation (`mwmatching.py`): edge
    /// lists and the mate of every vertex (-1 for none) of the maximum-weight matching.
    #[test]
    fn reference_test_vectors() {
        type Case = (&'static [(usize, usize, i32)], bool, &'static [i64]);
        let cases: &[Case] = &[
            (&[(1, 2, 10), (2, 3, 11)], false, &[-1, -1, 3, 2]),
            (
                &[(1, 2, 5), (2, 3, 11), (3, 4, 5)],
                false,
                &[-1, -1, 3, 2, -1],
            ),
            (&[(1, 2, 5), (2, 3, 11), (3, 4, 5)], true, &[-1, 2, 1, 4, 3]),
            (
                &[(1, 2, 2), (1, 3, -2), (2, 3, 1), (2, 4, -1), (3, 4, -6)],
                false,
                &[-1, 2, 1, -1, -1],
            ),
            (
                &[(1, 2, 2), (1, 3, -2), (2, 3, 1), (2, 4, -1), (3, 4, -6)],
                true,
                &[-1, 3, 4, 1, 2],
            ),
            (
                &[(1, 2, 8), (1, 3, 9), (2, 3, 10), (3, 4, 7)],
                false,
                &[-1, 2, 1, 4, 3],
            ),
            (
                &[
                    (1, 2, 8),
                    (1, 3, 9),
                    (2, 3, 10),
                    (3, 4, 7),
                    (1, 6, 5),
                    (4, 5, 6),
                ],
                false,
                &[-1, 6, 3, 2, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 8),
                    (2, 3, 10),
                    (1, 4, 5),
                    (4, 5, 4),
                    (1, 6, 3),
                ],
                false,
                &[-1, 6, 3, 2, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 8),
                    (2, 3, 10),
                    (1, 4, 5),
                    (4, 5, 3),
                    (1, 6, 4),
                ],
                false,
                &[-1, 6, 3, 2, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 8),
                    (2, 3, 10),
                    (1, 4, 5),
                    (4, 5, 3),
                    (3, 6, 4),
                ],
                false,
                &[-1, 2, 1, 6, 5, 4, 3],
            ),
            (
                &[
                    (1, 2, 9),
                    (1, 3, 9),
                    (2, 3, 10),
                    (2, 4, 8),
                    (3, 5, 8),
                    (4, 5, 10),
                    (5, 6, 6),
                ],
                false,
                &[-1, 3, 4, 1, 2, 6, 5],
            ),
            (
                &[
                    (1, 2, 10),
                    (1, 7, 10),
                    (2, 3, 12),
                    (3, 4, 20),
                    (3, 5, 20),
                    (4, 5, 25),
                    (5, 6, 10),
                    (6, 7, 10),
                    (7, 8, 8),
                ],
                false,
                &[-1, 2, 1, 4, 3, 6, 5, 8, 7],
            ),
            (
                &[
                    (1, 2, 8),
                    (1, 3, 8),
                    (2, 3, 10),
                    (2, 4, 12),
                    (3, 5, 12),
                    (4, 5, 14),
                    (4, 6, 12),
                    (5, 7, 12),
                    (6, 7, 14),
                    (7, 8, 12),
                ],
                false,
                &[-1, 2, 1, 5, 6, 3, 4, 8, 7],
            ),
            (
                &[
                    (1, 2, 23),
                    (1, 5, 22),
                    (1, 6, 15),
                    (2, 3, 25),
                    (3, 4, 22),
                    (4, 5, 25),
                    (4, 8, 14),
                    (5, 7, 13),
                ],
                false,
                &[-1, 6, 3, 2, 8, 7, 1, 5, 4],
            ),
            (
                &[
                    (1, 2, 19),
                    (1, 3, 20),
                    (1, 8, 8),
                    (2, 3, 25),
                    (2, 4, 18),
                    (3, 5, 18),
                    (4, 5, 13),
                    (4, 7, 7),
                    (5, 6, 7),
                ],
                false,
                &[-1, 8, 3, 2, 7, 6, 5, 4, 1],
            ),
            (
                &[
                    (1, 2, 45),
                    (1, 5, 45),
                    (2, 3, 50),
                    (3, 4, 45),
                    (4, 5, 50),
                    (1, 6, 30),
                    (3, 9, 35),
                    (4, 8, 35),
                    (5, 7, 26),
                    (9, 10, 5),
                ],
                false,
                &[-1, 6, 3, 2, 8, 7, 1, 5, 4, 10, 9],
            ),
        ];
        for (edges, maxcard, expected) in cases {
            let mate = integer_matching(expected.len(), edges.to_vec(), *maxcard);
            let got: Vec<i64> = mate
                .iter()
                .map(|m| m.map_or(-1, |x| i64::try_from(x).unwrap()))
                .collect();
            assert_eq!(&got, expected, "edges {edges:?}");
        }
    }
}
