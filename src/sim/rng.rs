//! Seed derivation and per-purpose random streams.
//!
//! Every draw names its purpose. A group of a replicate owns one Xoshiro256++ stream per
//! purpose, seeded from (scenario seed, replicate, activity key, group index, purpose name), so
//! adding a draw to one mechanism never shifts the numbers another mechanism sees, and two
//! designs compared on the same seed see the same attendance, talk, help, perception and
//! life-event streams (common random numbers).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The portable generator used everywhere.
pub type Rng = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a bijective 64-bit mixer (Steele et al. 2014).
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a name (stable across platforms and versions).
pub fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// Seed of one purpose's stream for one group of one replicate.
pub fn stream_seed(seed: u64, replicate: u64, activity: &str, group: u64, purpose: &str) -> u64 {
    let mut s = mix(seed);
    s = mix(s ^ replicate);
    s = mix(s ^ name_hash(activity));
    s = mix(s ^ group);
    mix(s ^ name_hash(purpose))
}

/// The random streams of one group, one per purpose.
#[derive(Debug, Clone)]
pub struct Streams {
    /// Drawing persons (initial and refills).
    pub init: Rng,
    /// Who attends each meeting.
    pub attendance: Rng,
    /// Speaker choice, hesitation, usurping.
    pub talk: Rng,
    /// Requests, offers, help type, independent attempts.
    pub help: Rng,
    /// Observation noise of performance; agenda decisions.
    pub perception: Rng,
    /// Withdrawal, dropout, recruitment, housing/job events, role transitions.
    pub life: Rng,
    /// Persons' categorical attributes (initial and refills); drawn only from weighted choices,
    /// so that declaring attributes shifts no other stream.
    pub attributes: Rng,
}

impl Streams {
    pub fn new(seed: u64, replicate: u64, activity: &str, group: u64) -> Streams {
        let mk = |purpose: &str| {
            Rng::seed_from_u64(stream_seed(seed, replicate, activity, group, purpose))
        };
        Streams {
            init: mk("init"),
            attendance: mk("attendance"),
            talk: mk("talk"),
            help: mk("help"),
            perception: mk("perception"),
            life: mk("life"),
            attributes: mk("attributes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn purposes_get_distinct_streams() {
        let mut s = Streams::new(1, 0, "activity", 0);
        let a: u64 = s.talk.gen();
        let b: u64 = s.help.gen();
        assert_ne!(a, b);
    }

    #[test]
    fn value_stability_pins_the_first_draw() {
        // Changing the seed derivation changes every result: this pins it.
        assert_eq!(
            stream_seed(2019, 0, "activity", 0, "talk"),
            stream_seed(2019, 0, "activity", 0, "talk")
        );
        let mut s = Streams::new(2019, 3, "activity", 1);
        let x: u64 = s.talk.gen();
        assert_eq!(
            x, PINNED_FIRST_TALK_DRAW,
            "seed derivation changed: results are no longer reproducible"
        );
    }

    const PINNED_FIRST_TALK_DRAW: u64 = 3285462935213542109;
}
