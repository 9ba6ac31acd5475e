//! Geodesic ball trees: lower bounds on geodesic distances that stay tight at any distance, up
//! to the antipode.
//!
//! The chord bounds of [`super::ecef`] are tight near a zone but lose ground as the chord
//! approaches the earth's diameter: the arc over a chord undershoots the geodesic by 1.3 km at
//! 5,000 km, 21 km at 10,600 km and 75 km at 14,500 km, more than the 0.1 % a far closest
//! approach is refined to, so far away they prune nothing. Geodesic distance itself obeys the
//! triangle inequality: if every point of a set X lies within rX of a point cX, and every point
//! of Y within rY of cY, then every x ∈ X, y ∈ Y are at least d(cX, cY) − rX − rY apart. That
//! bound loses at most rX + rY whatever the distance, and d(cX, cY) is itself a true distance
//! between the two geometries when the centres are their own points. A [`BallTree`] holds such
//! balls for a set of items (route edges, zone pieces), nested by halving the items along the
//! widest axis of their ECEF anchors, so that a branch and bound only opens the balls that could
//! hold the minimum.

use super::ecef::{dist3, geodesic_upper_bound, RHO_MAX_M};
use geo::{Distance, Geodesic, Point};
use rstar::{Envelope, AABB};
use std::cmp::Ordering;

/// Chords up to this length (metres) bound the geodesic from above through
/// [`geodesic_upper_bound`] (c + c³/20ρ², 1.2 km over at 1,000 km); longer ones are measured.
const CHORD_UB_MAX_M: f64 = 1.0e6;

/// A ball on the ellipsoid: every point of what it stands for lies within `r` metres
/// (geodesic) of its centre `c`, a point of the geometry itself (the item's `anchor` vertex).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ball {
    pub c: Point<f64>,
    pub e: [f64; 3],
    pub r: f64,
    /// The vertex at the centre, in the numbering of the tree's owner.
    pub anchor: u32,
}

/// A node of a [`BallTree`]: a ball holding its items, and either two children or one item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BallNode {
    pub ball: Ball,
    /// Children (internal node), or `[NONE, item]` for a leaf.
    kids: [u32; 2],
}

const NONE: u32 = u32::MAX;

impl BallNode {
    /// The item of a leaf, `None` for an internal node.
    pub fn item(&self) -> Option<usize> {
        (self.kids[0] == NONE).then_some(self.kids[1] as usize)
    }

    /// The children of an internal node.
    pub fn kids(&self) -> [usize; 2] {
        [self.kids[0] as usize, self.kids[1] as usize]
    }
}

/// Balls over a set of items, nested: node 0 is the root (holding every item), each internal
/// node holds the items of its two children, each leaf one item (with the item's own ball).
#[derive(Debug, Clone, Default)]
pub(crate) struct BallTree {
    pub nodes: Vec<BallNode>,
    /// For each node, the index in `boxes` of the ECEF box of its items, if it holds at least
    /// [`BOX_MIN`] of them and the items' boxes were given ([`BallTree::with_boxes`]).
    node_box: Vec<u32>,
    boxes: Vec<AABB<[f64; 3]>>,
}

/// Nodes holding at least this many items keep the ECEF box of their items.
const BOX_MIN: usize = 8;

/// An upper bound (metres) on the geodesic distance between `p` and `q` (ECEF `ep`, `eq`):
/// from their chord when it is short, else the distance itself.
fn upper_distance(p: Point<f64>, ep: [f64; 3], q: Point<f64>, eq: [f64; 3]) -> f64 {
    let c = dist3(ep, eq);
    if c <= CHORD_UB_MAX_M {
        geodesic_upper_bound(c)
    } else {
        Geodesic.distance(p, q)
    }
}

impl BallTree {
    /// The tree over `items`, each given by its own ball (centre on the item, radius bounding
    /// its points' distance from the centre). Deterministic: the same items give the same tree.
    #[cfg(test)]
    pub fn new(items: &[Ball]) -> BallTree {
        Self::with_boxes(items, &|_| None)
    }

    /// [`BallTree::new`], each node of [`BOX_MIN`] items or more also keeping the ECEF box of
    /// its items, from each item's box (`item_box`: a box holding every point of the item).
    /// The tree is the same.
    pub fn with_boxes(
        items: &[Ball],
        item_box: &dyn Fn(usize) -> Option<AABB<[f64; 3]>>,
    ) -> BallTree {
        let mut t = BallTree {
            nodes: Vec::with_capacity(2 * items.len()),
            node_box: Vec::with_capacity(2 * items.len()),
            boxes: Vec::new(),
        };
        if !items.is_empty() {
            let mut idx: Vec<u32> = (0..items.len() as u32).collect();
            t.build(items, &mut idx, item_box);
        }
        t
    }

    /// The ECEF box of node `n`'s items, if kept.
    pub fn node_box(&self, n: usize) -> Option<&AABB<[f64; 3]>> {
        let i = *self.node_box.get(n)?;
        (i != NONE).then(|| &self.boxes[i as usize])
    }

    /// Builds the node for `idx` (and its subtree) and returns its index and the box of its
    /// items (if every item's box is known).
    fn build(
        &mut self,
        items: &[Ball],
        idx: &mut [u32],
        item_box: &dyn Fn(usize) -> Option<AABB<[f64; 3]>>,
    ) -> (usize, Option<AABB<[f64; 3]>>) {
        let id = self.nodes.len();
        if idx.len() == 1 {
            self.nodes.push(BallNode {
                ball: items[idx[0] as usize],
                kids: [NONE, idx[0]],
            });
            self.node_box.push(NONE);
            return (id, item_box(idx[0] as usize));
        }
        let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
        for &i in idx.iter() {
            let e = items[i as usize].e;
            for k in 0..3 {
                lo[k] = lo[k].min(e[k]);
                hi[k] = hi[k].max(e[k]);
            }
        }
        // The centre: the anchor nearest the middle of the box (ties to the lower index).
        let mid = [
            (lo[0] + hi[0]) / 2.0,
            (lo[1] + hi[1]) / 2.0,
            (lo[2] + hi[2]) / 2.0,
        ];
        let centre = *idx
            .iter()
            .min_by(|a, b| {
                dist3(items[**a as usize].e, mid)
                    .total_cmp(&dist3(items[**b as usize].e, mid))
                    .then(a.cmp(b))
            })
            .expect("two items or more");
        let c = items[centre as usize];
        self.nodes.push(BallNode {
            ball: Ball { r: 0.0, ..c },
            kids: [NONE, NONE],
        });
        self.node_box.push(NONE);
        // Halve along the widest axis.
        let axis = (0..3)
            .max_by(|a, b| (hi[*a] - lo[*a]).total_cmp(&(hi[*b] - lo[*b])))
            .unwrap_or(0);
        let half = idx.len() / 2;
        idx.select_nth_unstable_by(half, |a, b| {
            let (ea, eb) = (items[*a as usize].e[axis], items[*b as usize].e[axis]);
            ea.total_cmp(&eb).then(a.cmp(b))
        });
        let n_items = idx.len();
        let (left, right) = idx.split_at_mut(half);
        let (kl, bl) = self.build(items, left, item_box);
        let (kr, br) = self.build(items, right, item_box);
        let env = match (bl, br) {
            (Some(l), Some(r)) => Some(l.merged(&r)),
            _ => None,
        };
        if let Some(e) = env.filter(|_| n_items >= BOX_MIN) {
            self.node_box[id] = self.boxes.len() as u32;
            self.boxes.push(e);
        }
        // The radius: from every item when the chords are short enough to bound geodesics
        // (cheap), else from the children's balls (one measured distance each).
        let r = if dist3(lo, hi) <= CHORD_UB_MAX_M {
            left.iter()
                .chain(right.iter())
                .map(|&i| {
                    let it = &items[i as usize];
                    geodesic_upper_bound(dist3(c.e, it.e)) + it.r
                })
                .fold(0.0, f64::max)
        } else {
            [kl, kr]
                .iter()
                .map(|&k| {
                    let b = self.nodes[k].ball;
                    upper_distance(c.c, c.e, b.c, b.e) + b.r
                })
                .fold(0.0, f64::max)
        };
        self.nodes[id].ball.r = r;
        self.nodes[id].kids = [kl as u32, kr as u32];
        (id, env)
    }

    /// The root's ball, `None` for an empty tree.
    pub fn root(&self) -> Option<&BallNode> {
        self.nodes.first()
    }
}

/// A lower bound (metres) on the least distance from a point to a geodesic piece of length
/// `len` whose ends are `da` and `db` from it.
///
/// The distance f(s) to the point, along the piece, is 1-Lipschitz: f ≥ (da + db − len)/2.
/// It also bends little: where the Gaussian curvature is at least k, the Hessian comparison
/// theorem bounds the Hessian of the distance r from a point by that of the sphere of curvature
/// k, cot(√k·r)·√k (at every point, in the barrier sense across the cut locus, where r is the
/// least of several smooth branches and only bends the more). WGS84's curvature 1/(M·N) is at
/// least 1/ρ² with ρ = a²/b, so f'' ≤ m = cot(r/ρ)/ρ with r at least the Lipschitz bound, and
/// f lies above the chord between its ends less m·s(len − s)/2. Beyond a quarter of that
/// sphere's circle (10,052 km) m ≤ 0: the piece is nearest at one of its ends.
pub(crate) fn piece_bound(da: f64, db: f64, len: f64) -> f64 {
    let lip = (da + db - len) / 2.0;
    if len <= 0.0 || lip <= 0.0 || !lip.is_finite() {
        return lip.min(da).min(db);
    }
    let m = ((lip / RHO_MAX_M).tan().recip() / RHO_MAX_M).max(0.0);
    // The least of da + k·s − m·s(len − s)/2 over [0, len] (a parabola opening upwards).
    let k = (db - da) / len;
    let s = if m > 0.0 {
        (len / 2.0 - k / m).clamp(0.0, len)
    } else if k >= 0.0 {
        0.0
    } else {
        len
    };
    let bent = da + k * s - m * s * (len - s) / 2.0;
    // A micrometre for the rounding of the distances themselves.
    bent.max(lip) - 1e-6
}

/// A branch-and-bound queue entry: a lower bound and what it bounds, smallest bound first
/// (ties in order of the payload, so that the search is deterministic).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bound<T: Ord + Copy>(pub f64, pub T);

impl<T: Ord + Copy> PartialEq for Bound<T> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl<T: Ord + Copy> Eq for Bound<T> {}
impl<T: Ord + Copy> PartialOrd for Bound<T> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<T: Ord + Copy> Ord for Bound<T> {
    /// Reversed, for a min-heap on `std::collections::BinaryHeap`.
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then_with(|| o.1.cmp(&self.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::ecef::ecef;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    // Every item's points lie within each ancestor's ball: checked on the items' anchors and on
    // points along random short geodesic items, for clusters from metres to continents.
    #[test]
    fn every_ball_holds_its_items() {
        use geo::{Bearing, Destination};
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for spread in [0.01f64, 1.0, 20.0, 170.0] {
            let mut items = Vec::new();
            let mut ends = Vec::new();
            for _ in 0..300 {
                let a = Point::new(
                    rng.random_range(-spread..spread).clamp(-180.0, 180.0),
                    rng.random_range(-spread / 2.0..spread / 2.0)
                        .clamp(-89.0, 89.0),
                );
                let len = rng.random_range(0.0..5_000.0);
                let b = Geodesic.destination(a, rng.random_range(0.0..360.0), len);
                items.push(Ball {
                    c: a,
                    e: ecef(a),
                    r: len,
                    anchor: items.len() as u32,
                });
                ends.push((a, b, len));
            }
            let item_box = |i: usize| {
                let (a, b, len) = ends[i];
                let env = AABB::from_points([&ecef(a), &ecef(b)]);
                Some(crate::geodesy::ecef::grow(
                    env,
                    crate::geodesy::ecef::sagitta(len),
                ))
            };
            let t = BallTree::with_boxes(&items, &item_box);
            assert_eq!(t.nodes.len(), 2 * items.len() - 1);
            // The same tree as without boxes.
            let plain = BallTree::new(&items);
            assert!(t
                .nodes
                .iter()
                .zip(&plain.nodes)
                .all(|(x, y)| x.kids == y.kids && x.ball.r == y.ball.r));
            // Walk every node with the items under it.
            fn under(t: &BallTree, n: usize, out: &mut Vec<usize>) {
                match t.nodes[n].item() {
                    Some(i) => out.push(i),
                    None => {
                        for k in t.nodes[n].kids() {
                            under(t, k, out);
                        }
                    }
                }
            }
            for (n, node) in t.nodes.iter().enumerate() {
                let mut its = Vec::new();
                under(&t, n, &mut its);
                for i in its {
                    let (a, b, len) = ends[i];
                    for f in [0.0, 0.3, 0.5, 1.0] {
                        let p = Geodesic.destination(a, Geodesic.bearing(a, b), f * len);
                        let d = Geodesic.distance(node.ball.c, p);
                        assert!(d <= node.ball.r + 1e-6, "{spread}: {d} > {}", node.ball.r);
                        // A kept box holds the item's points too.
                        if let Some(bx) = t.node_box(n) {
                            assert!(bx.contains_point(&ecef(p)), "{spread}: box");
                        }
                    }
                }
            }
        }
    }

    // The piece bound never exceeds the least distance found by sampling the piece densely
    // (from its own geodesic), at every distance up to the antipode and for every direction;
    // and beyond 10,052 km it is an end's distance.
    #[test]
    fn piece_bound_stays_below_the_piece() {
        use geo::{Bearing, Destination};
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut worst_far: f64 = 0.0;
        for i in 0..3_000 {
            let p = Point::new(
                rng.random_range(-180.0..180.0),
                rng.random_range(-85.0..85.0),
            );
            let d = match i % 3 {
                0 => rng.random_range(1.0e3..2.0e7),
                1 => rng.random_range(1.95e7..2.0e7),
                _ => rng.random_range(1.0e6..1.2e7),
            };
            let a = Geodesic.destination(p, rng.random_range(0.0..360.0), d);
            let len = rng.random_range(1.0..3_000.0);
            let b = Geodesic.destination(a, rng.random_range(0.0..360.0), len);
            let len = Geodesic.distance(a, b);
            let (da, db) = (Geodesic.distance(p, a), Geodesic.distance(p, b));
            let az = Geodesic.bearing(a, b);
            let n = 400;
            let sampled = (0..=n)
                .map(|j| {
                    Geodesic.distance(p, Geodesic.destination(a, az, len * j as f64 / n as f64))
                })
                .fold(f64::INFINITY, f64::min);
            let lb = piece_bound(da, db, len);
            assert!(lb <= sampled + 1e-6, "{p:?} {a:?} {b:?}: {lb} > {sampled}");
            if da.min(db) > 1.006e7 {
                worst_far = worst_far.max(da.min(db) - lb);
            }
        }
        assert!(worst_far < 1e-5, "{worst_far}");
    }

    #[test]
    fn the_queue_pops_the_least_bound_first() {
        let mut h = std::collections::BinaryHeap::new();
        for (b, i) in [(3.0, 1), (1.0, 7), (2.0, 0), (1.0, 2)] {
            h.push(Bound(b, i));
        }
        let order: Vec<(f64, i32)> = std::iter::from_fn(|| h.pop().map(|x| (x.0, x.1))).collect();
        assert_eq!(order, vec![(1.0, 2), (1.0, 7), (2.0, 0), (3.0, 1)]);
    }
}
