//! Space-filling designs on the unit hypercube: Latin hypercube samples and the Sobol
//! low-discrepancy sequence.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// A Latin hypercube sample: `n` points in [0, 1)^`dims`, with exactly one point in each of
/// the `n` equal strata of every dimension, placed uniformly at random within its stratum.
///
/// Deterministic given `(n, dims, seed)`: a Xoshiro256PlusPlus stream seeded with
/// `seed_from_u64(seed)` is consumed dimension by dimension, first a Fisher–Yates shuffle of
/// the strata (n−1 draws), then one jitter per point (n draws). Returns `n` rows of `dims`.
// McKay, Beckman & Conover (1979), Technometrics 21(2):239–245.
pub fn lhs(n: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut points = vec![vec![0.0; dims]; n];
    let mut perm: Vec<usize> = Vec::with_capacity(n);
    let below_one = 1.0 - f64::EPSILON / 2.0;
    for d in 0..dims {
        perm.clear();
        perm.extend(0..n);
        for i in (1..n).rev() {
            let j = bounded(&mut rng, i as u64 + 1) as usize;
            perm.swap(i, j);
        }
        for (point, &stratum) in points.iter_mut().zip(&perm) {
            let u = unit_f64(&mut rng);
            point[d] = ((stratum as f64 + u) / n as f64).min(below_one);
        }
    }
    points
}

/// A uniform integer in [0, bound) by Lemire's multiply-shift (bias < bound/2⁶⁴, negligible).
fn bounded(rng: &mut Xoshiro256PlusPlus, bound: u64) -> u64 {
    ((rng.next_u64() as u128 * bound as u128) >> 64) as u64
}

/// A uniform f64 in [0, 1) from the top 53 bits.
pub(crate) fn unit_f64(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The largest number of dimensions [`sobol`] supports.
pub const SOBOL_MAX_DIMS: usize = JOE_KUO.len() + 1;

/// Points `skip, skip+1, …, skip+n−1` of the (unscrambled) Sobol sequence in [0, 1)^`dims`,
/// `dims ≤ SOBOL_MAX_DIMS` (128), with 32-bit precision and Joe & Kuo (2008) direction
/// numbers (`new-joe-kuo-6.21201`); dimension 1 is van der Corput.
///
/// Points are in Gray-code order, as in Joe & Kuo's reference generator and SciPy's
/// `qmc.Sobol(scramble=False)`: point 0 is the origin, then (0.5, 0.5, …), (0.75, 0.25, …),
/// (0.25, 0.75, …), … Pass `skip = 1` to drop the origin; balance properties hold for
/// blocks of 2^m points starting at a multiple of 2^m.
///
/// # Panics
/// If `dims > SOBOL_MAX_DIMS` or `skip + n > 2³²`.
// Bratley & Fox (1988), ACM TOMS 14(1):88–100 (Gray-code construction); Joe & Kuo (2008), SIAM J. Sci. Comput. 30(5):2635–2654 (direction numbers).
pub fn sobol(n: usize, dims: usize, skip: u64) -> Vec<Vec<f64>> {
    assert!(
        dims <= SOBOL_MAX_DIMS,
        "sobol: at most {SOBOL_MAX_DIMS} dimensions (asked for {dims})"
    );
    assert!(
        skip.checked_add(n as u64).is_some_and(|end| end <= 1 << 32),
        "sobol: points beyond index 2^32 are not available"
    );
    let v: Vec<[u32; 32]> = (0..dims).map(directions).collect();
    // State at index `skip`: XOR of the direction numbers selected by Gray(skip).
    let gray = skip ^ (skip >> 1);
    let mut x: Vec<u32> = v
        .iter()
        .map(|vd| {
            (0..32)
                .filter(|b| gray >> b & 1 == 1)
                .fold(0, |acc, b| acc ^ vd[b])
        })
        .collect();
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    let mut out = Vec::with_capacity(n);
    for i in skip..skip + n as u64 {
        out.push(x.iter().map(|&xd| xd as f64 * SCALE).collect());
        let c = (i + 1).trailing_zeros() as usize;
        if c < 32 {
            for (xd, vd) in x.iter_mut().zip(&v) {
                *xd ^= vd[c];
            }
        }
    }
    out
}

/// The 32 left-aligned direction numbers V₁…V₃₂ of dimension `d` (0-based).
fn directions(d: usize) -> [u32; 32] {
    let mut v = [0u32; 32];
    if d == 0 {
        for (j, vj) in v.iter_mut().enumerate() {
            *vj = 1 << (31 - j);
        }
        return v;
    }
    let (s, a, m) = JOE_KUO[d - 1];
    let s = s as usize;
    for j in 0..32 {
        v[j] = if j < s {
            m[j] << (31 - j)
        } else {
            let mut x = v[j - s] ^ (v[j - s] >> s);
            for k in 1..s {
                if (a >> (s - 1 - k)) & 1 == 1 {
                    x ^= v[j - k];
                }
            }
            x
        };
    }
    v
}

/// Joe & Kuo (2008) `new-joe-kuo-6.21201`, dimensions 2..=128: (degree s, polynomial
/// coefficients a, initial direction numbers m₁…m_s). Cross-checked row by row against
/// SciPy 1.17's `_sobol_direction_numbers.npz`.
#[rustfmt::skip]
const JOE_KUO: [(u32, u32, &[u32]); 127] = [
    (1, 0, &[1]), // dim 2
    (2, 1, &[1, 3]), // dim 3
    (3, 1, &[1, 3, 1]), // dim 4
    (3, 2, &[1, 1, 1]), // dim 5
    (4, 1, &[1, 1, 3, 3]), // dim 6
    (4, 4, &[1, 3, 5, 13]), // dim 7
    (5, 2, &[1, 1, 5, 5, 17]), // dim 8
    (5, 4, &[1, 1, 5, 5, 5]), // dim 9
    (5, 7, &[1, 1, 7, 11, 19]), // dim 10
    (5, 11, &[1, 1, 5, 1, 1]), // dim 11
    (5, 13, &[1, 1, 1, 3, 11]), // dim 12
    (5, 14, &[1, 3, 5, 5, 31]), // dim 13
    (6, 1, &[1, 3, 3, 9, 7, 49]), // dim 14
    (6, 13, &[1, 1, 1, 15, 21, 21]), // dim 15
    (6, 16, &[1, 3, 1, 13, 27, 49]), // dim 16
    (6, 19, &[1, 1, 1, 15, 7, 5]), // dim 17
    (6, 22, &[1, 3, 1, 15, 13, 25]), // dim 18
    (6, 25, &[1, 1, 5, 5, 19, 61]), // dim 19
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]), // dim 20
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]), // dim 21
    (7, 7, &[1, 1, 3, 13, 7, 35, 63]), // dim 22
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]), // dim 23
    (7, 14, &[1, 3, 1, 13, 9, 35, 107]), // dim 24
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]), // dim 25
    (7, 21, &[1, 1, 5, 11, 19, 41, 61]), // dim 26
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]), // dim 27
    (7, 31, &[1, 1, 7, 13, 1, 19, 1]), // dim 28
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]), // dim 29
    (7, 37, &[1, 1, 3, 9, 25, 29, 41]), // dim 30
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]), // dim 31
    (7, 42, &[1, 3, 7, 3, 13, 59, 17]), // dim 32
    (7, 50, &[1, 3, 1, 3, 5, 53, 69]), // dim 33
    (7, 55, &[1, 1, 5, 5, 23, 33, 13]), // dim 34
    (7, 56, &[1, 1, 7, 7, 1, 61, 123]), // dim 35
    (7, 59, &[1, 1, 7, 9, 13, 61, 49]), // dim 36
    (7, 62, &[1, 3, 3, 5, 3, 55, 33]), // dim 37
    (8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]), // dim 38
    (8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]), // dim 39
    (8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]), // dim 40
    (8, 38, &[1, 3, 1, 11, 27, 43, 71, 9]), // dim 41
    (8, 47, &[1, 1, 7, 15, 21, 11, 81, 45]), // dim 42
    (8, 49, &[1, 3, 7, 3, 25, 31, 65, 79]), // dim 43
    (8, 50, &[1, 3, 1, 1, 19, 11, 3, 205]), // dim 44
    (8, 52, &[1, 1, 5, 9, 19, 21, 29, 157]), // dim 45
    (8, 56, &[1, 3, 7, 11, 1, 33, 89, 185]), // dim 46
    (8, 67, &[1, 3, 3, 3, 15, 9, 79, 71]), // dim 47
    (8, 70, &[1, 3, 7, 11, 15, 39, 119, 27]), // dim 48
    (8, 84, &[1, 1, 3, 1, 11, 31, 97, 225]), // dim 49
    (8, 97, &[1, 1, 1, 3, 23, 43, 57, 177]), // dim 50
    (8, 103, &[1, 3, 7, 7, 17, 17, 37, 71]), // dim 51
    (8, 115, &[1, 3, 1, 5, 27, 63, 123, 213]), // dim 52
    (8, 122, &[1, 1, 3, 5, 11, 43, 53, 133]), // dim 53
    (9, 8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]), // dim 54
    (9, 13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]), // dim 55
    (9, 16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]), // dim 56
    (9, 22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]), // dim 57
    (9, 25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]), // dim 58
    (9, 44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]), // dim 59
    (9, 47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]), // dim 60
    (9, 52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]), // dim 61
    (9, 55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]), // dim 62
    (9, 59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]), // dim 63
    (9, 62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]), // dim 64
    (9, 67, &[1, 1, 1, 11, 21, 53, 125, 249, 293]), // dim 65
    (9, 74, &[1, 1, 7, 11, 11, 7, 57, 79, 323]), // dim 66
    (9, 81, &[1, 1, 5, 5, 17, 13, 81, 3, 131]), // dim 67
    (9, 82, &[1, 1, 7, 13, 23, 7, 65, 251, 475]), // dim 68
    (9, 87, &[1, 3, 5, 1, 9, 43, 3, 149, 11]), // dim 69
    (9, 91, &[1, 1, 3, 13, 31, 13, 13, 255, 487]), // dim 70
    (9, 94, &[1, 3, 3, 1, 5, 63, 89, 91, 127]), // dim 71
    (9, 103, &[1, 1, 3, 3, 1, 19, 123, 127, 237]), // dim 72
    (9, 104, &[1, 1, 5, 7, 23, 31, 37, 243, 289]), // dim 73
    (9, 109, &[1, 1, 5, 11, 17, 53, 117, 183, 491]), // dim 74
    (9, 122, &[1, 1, 1, 5, 1, 13, 13, 209, 345]), // dim 75
    (9, 124, &[1, 1, 3, 15, 1, 57, 115, 7, 33]), // dim 76
    (9, 137, &[1, 3, 1, 11, 7, 43, 81, 207, 175]), // dim 77
    (9, 138, &[1, 3, 1, 1, 15, 27, 63, 255, 49]), // dim 78
    (9, 143, &[1, 3, 5, 3, 27, 61, 105, 171, 305]), // dim 79
    (9, 145, &[1, 1, 5, 3, 1, 3, 57, 249, 149]), // dim 80
    (9, 152, &[1, 1, 3, 5, 5, 57, 15, 13, 159]), // dim 81
    (9, 157, &[1, 1, 1, 11, 7, 11, 105, 141, 225]), // dim 82
    (9, 167, &[1, 3, 3, 5, 27, 59, 121, 101, 271]), // dim 83
    (9, 173, &[1, 3, 5, 9, 11, 49, 51, 59, 115]), // dim 84
    (9, 176, &[1, 1, 7, 1, 23, 45, 125, 71, 419]), // dim 85
    (9, 181, &[1, 1, 3, 5, 23, 5, 105, 109, 75]), // dim 86
    (9, 182, &[1, 1, 7, 15, 7, 11, 67, 121, 453]), // dim 87
    (9, 185, &[1, 3, 7, 3, 9, 13, 31, 27, 449]), // dim 88
    (9, 191, &[1, 3, 1, 15, 19, 39, 39, 89, 15]), // dim 89
    (9, 194, &[1, 1, 1, 1, 1, 33, 73, 145, 379]), // dim 90
    (9, 199, &[1, 3, 1, 15, 15, 43, 29, 13, 483]), // dim 91
    (9, 218, &[1, 1, 7, 3, 19, 27, 85, 131, 431]), // dim 92
    (9, 220, &[1, 3, 3, 3, 5, 35, 23, 195, 349]), // dim 93
    (9, 227, &[1, 3, 3, 7, 9, 27, 39, 59, 297]), // dim 94
    (9, 229, &[1, 1, 3, 9, 11, 17, 13, 241, 157]), // dim 95
    (9, 230, &[1, 3, 7, 15, 25, 57, 33, 189, 213]), // dim 96
    (9, 234, &[1, 1, 7, 1, 9, 55, 73, 83, 217]), // dim 97
    (9, 236, &[1, 3, 3, 13, 19, 27, 23, 113, 249]), // dim 98
    (9, 241, &[1, 3, 5, 3, 23, 43, 3, 253, 479]), // dim 99
    (9, 244, &[1, 1, 5, 5, 11, 5, 45, 117, 217]), // dim 100
    (9, 253, &[1, 3, 3, 7, 29, 37, 33, 123, 147]), // dim 101
    (10, 4, &[1, 3, 1, 15, 5, 5, 37, 227, 223, 459]), // dim 102
    (10, 13, &[1, 1, 7, 5, 5, 39, 63, 255, 135, 487]), // dim 103
    (10, 19, &[1, 3, 1, 7, 9, 7, 87, 249, 217, 599]), // dim 104
    (10, 22, &[1, 1, 3, 13, 9, 47, 7, 225, 363, 247]), // dim 105
    (10, 50, &[1, 3, 7, 13, 19, 13, 9, 67, 9, 737]), // dim 106
    (10, 55, &[1, 3, 5, 5, 19, 59, 7, 41, 319, 677]), // dim 107
    (10, 64, &[1, 1, 5, 3, 31, 63, 15, 43, 207, 789]), // dim 108
    (10, 69, &[1, 1, 7, 9, 13, 39, 3, 47, 497, 169]), // dim 109
    (10, 98, &[1, 3, 1, 7, 21, 17, 97, 19, 415, 905]), // dim 110
    (10, 107, &[1, 3, 7, 1, 3, 31, 71, 111, 165, 127]), // dim 111
    (10, 115, &[1, 1, 5, 11, 1, 61, 83, 119, 203, 847]), // dim 112
    (10, 121, &[1, 3, 3, 13, 9, 61, 19, 97, 47, 35]), // dim 113
    (10, 127, &[1, 1, 7, 7, 15, 29, 63, 95, 417, 469]), // dim 114
    (10, 134, &[1, 3, 1, 9, 25, 9, 71, 57, 213, 385]), // dim 115
    (10, 140, &[1, 3, 5, 13, 31, 47, 101, 57, 39, 341]), // dim 116
    (10, 145, &[1, 1, 3, 3, 31, 57, 125, 173, 365, 551]), // dim 117
    (10, 152, &[1, 3, 7, 1, 13, 57, 67, 157, 451, 707]), // dim 118
    (10, 158, &[1, 1, 1, 7, 21, 13, 105, 89, 429, 965]), // dim 119
    (10, 161, &[1, 1, 5, 9, 17, 51, 45, 119, 157, 141]), // dim 120
    (10, 171, &[1, 3, 7, 7, 13, 45, 91, 9, 129, 741]), // dim 121
    (10, 181, &[1, 3, 7, 1, 23, 57, 67, 141, 151, 571]), // dim 122
    (10, 194, &[1, 1, 3, 11, 17, 47, 93, 107, 375, 157]), // dim 123
    (10, 199, &[1, 3, 3, 5, 11, 21, 43, 51, 169, 915]), // dim 124
    (10, 203, &[1, 1, 5, 3, 15, 55, 101, 67, 455, 625]), // dim 125
    (10, 208, &[1, 3, 5, 9, 1, 23, 29, 47, 345, 595]), // dim 126
    (10, 227, &[1, 3, 7, 7, 5, 49, 29, 155, 323, 589]), // dim 127
    (10, 242, &[1, 3, 3, 7, 5, 41, 127, 61, 261, 717]), // dim 128
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lhs_has_one_point_per_stratum() {
        let n = 50;
        let pts = lhs(n, 4, 42);
        assert_eq!(pts.len(), n);
        for d in 0..4 {
            let mut seen = vec![false; n];
            for p in &pts {
                assert!((0.0..1.0).contains(&p[d]));
                let s = (p[d] * n as f64).floor() as usize;
                assert!(!seen[s], "stratum {s} of dim {d} hit twice");
                seen[s] = true;
            }
        }
        assert_eq!(pts, lhs(n, 4, 42));
        assert_ne!(pts, lhs(n, 4, 43));
        assert!(lhs(0, 3, 1).is_empty());
    }

    #[test]
    fn sobol_first_points_match_published_sequence() {
        // SciPy qmc.Sobol(d, scramble=False).random(9), which uses the same direction numbers.
        let want = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
            [0.1875, 0.3125, 0.9375],
        ];
        let got = sobol(9, 3, 0);
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.as_slice(), w.as_slice());
        }
        // Skipping continues the same sequence.
        assert_eq!(sobol(4, 3, 5), got[5..9].to_vec());
    }

    #[test]
    fn sobol_high_dimensions_match_scipy() {
        let pts = sobol(1024, 128, 0);
        let dims = [4, 32, 33, 64, 65, 100, 128];
        let want: [(usize, [f64; 7]); 3] = [
            (
                100,
                [
                    0.7265625, 0.4140625, 0.2578125, 0.6484375, 0.1953125, 0.8828125, 0.4609375,
                ],
            ),
            (
                1000,
                [
                    0.6767578125,
                    0.1455078125,
                    0.2958984375,
                    0.4462890625,
                    0.1298828125,
                    0.1865234375,
                    0.5439453125,
                ],
            ),
            (
                1023,
                [
                    0.1455078125,
                    0.6142578125,
                    0.4521484375,
                    0.0400390625,
                    0.0986328125,
                    0.5302734375,
                    0.7001953125,
                ],
            ),
        ];
        for (i, w) in want {
            for (d, wv) in dims.iter().zip(w) {
                assert_eq!(pts[i][d - 1], wv, "point {i} dim {d}");
            }
        }
        assert_eq!(pts[1000].iter().sum::<f64>(), 66.060546875);
        // Each 1-D projection of the first 1024 points is a (0,10)-net: one point per 1/1024.
        for d in 0..128 {
            let mut seen = vec![false; 1024];
            for p in &pts {
                seen[(p[d] * 1024.0) as usize] = true;
            }
            assert!(seen.iter().all(|&s| s), "dim {}", d + 1);
        }
    }
}
