//! Sharding: splitting a sweep's cells between independent processes (e.g. a Slurm job array).
//! Cell c belongs to shard c mod N, so every shard gets a spread of the design and the shards
//! together hold every cell exactly once.

use super::Refusal;
use serde::Serialize;

/// Shard `index` of `count` (0-based: 0/4 … 3/4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` with 0 ≤ I < N.
    pub fn parse(s: &str) -> Result<Shard, Refusal> {
        let bad = |why: &str| {
            Refusal(format!(
                "--shard '{s}': {why}; write I/N with 0 ≤ I < N, e.g. --shard 0/4 … --shard 3/4 \
                 (in Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-3)"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(|| bad("not I/N"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| bad("I is not a whole number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if count == 0 || index >= count {
            return Err(bad("need 0 ≤ I < N"));
        }
        Ok(Shard { index, count })
    }

    /// Whether cell `c` belongs to this shard.
    pub fn owns(self, c: usize) -> bool {
        c % self.count == self.index
    }

    /// The cells of this shard among `total`, in order.
    pub fn cells(self, total: usize) -> impl Iterator<Item = usize> {
        (self.index..total).step_by(self.count)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Cell indices as short ranges: `1, 5, 9-12`.
pub fn ranges(cells: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let mut j = i;
        while j + 1 < cells.len() && cells[j + 1] == cells[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}-{}", cells[i], cells[j])
        } else {
            cells[i].to_string()
        });
        i = j + 1;
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_cell_exactly_once() {
        for total in [0, 1, 7, 12, 101] {
            for count in [1, 2, 3, 4, 8, 13] {
                let mut seen = vec![0u32; total];
                for index in 0..count {
                    let shard = Shard { index, count };
                    for c in shard.cells(total) {
                        assert!(shard.owns(c));
                        seen[c] += 1;
                    }
                    assert_eq!(
                        shard.cells(total).count(),
                        (0..total).filter(|c| shard.owns(*c)).count()
                    );
                }
                assert!(
                    seen.iter().all(|n| *n == 1),
                    "{total} cells in {count} shards"
                );
            }
        }
    }

    #[test]
    fn shard_specs_parse_zero_based() {
        assert_eq!(Shard::parse("3/4").unwrap(), Shard { index: 3, count: 4 });
        assert_eq!(Shard::parse("0/1").unwrap(), Shard::ALL);
        for bad in ["4/4", "1/0", "a/2", "2", "-1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Shard::parse("1/3").unwrap().to_string(), "1/3");
    }

    #[test]
    fn ranges_are_compressed() {
        assert_eq!(ranges(&[1, 5, 9, 10, 11, 12, 20]), "1, 5, 9-12, 20");
        assert_eq!(ranges(&[]), "");
    }
}
