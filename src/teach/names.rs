//! Short given names for the people of a transcript, drawn deterministically from small lists
//! by origin: Norwegian for the majority, Arabic, Tigrinya, Somali or Dari (and a few others)
//! for participants, so that a class can follow "Liv" and "Amal" instead of slot numbers.
//!
//! The name of a slot depends only on (seed, replicate, activity key, group index, slot, how
//! many times the slot has been refilled): the same run always casts the same people.

use crate::sim::rng::{mix, stream_seed};

const NORWEGIAN: &[&str] = &[
    "Liv", "Kari", "Ingrid", "Anne", "Solveig", "Astrid", "Randi", "Berit", "Marit", "Sigrid",
    "Tone", "Hilde", "Grete", "Inger", "Ragnhild", "Gunn", "Bjørg", "Turid", "Elin", "Siri",
    "Bjørn", "Odd", "Lars", "Knut", "Per", "Ola", "Eirik", "Håkon", "Nils", "Trond", "Arne",
    "Geir",
];
const ARABIC: &[&str] = &[
    "Amal", "Fatima", "Layla", "Rania", "Noor", "Huda", "Samira", "Yasmin", "Mariam", "Salma",
    "Rasha", "Dima", "Ahmad", "Omar", "Khaled", "Yusuf", "Karim", "Bilal",
];
const TIGRINYA: &[&str] = &[
    "Senait", "Selam", "Feven", "Rahwa", "Luwam", "Semhar", "Abeba", "Saba", "Tesfay", "Yonas",
    "Dawit", "Filmon",
];
const SOMALI: &[&str] = &[
    "Hodan", "Faadumo", "Ayaan", "Sahra", "Ifrah", "Hibo", "Nimco", "Asha", "Abdi", "Guled",
    "Farah", "Liibaan",
];
const DARI: &[&str] = &[
    "Zahra", "Parwana", "Shabnam", "Farida", "Mahnaz", "Nilofar", "Roya", "Soraya", "Farid",
    "Jawed", "Wahid", "Nasir",
];
const SWEDISH: &[&str] = &[
    "Elsa", "Maja", "Ebba", "Linnea", "Karin", "Anders", "Erik", "Johan",
];
const BOSNIAN: &[&str] = &[
    "Amra", "Lejla", "Emina", "Selma", "Aida", "Adnan", "Emir", "Haris", "Mirza",
];

/// The name list for an origin label. `majority` origins get Norwegian names; other labels are
/// matched by country or language; anything else draws from the Arabic, Tigrinya, Somali and
/// Dari lists together.
pub fn list_for(origin: &str, majority: bool) -> Vec<&'static str> {
    let o = origin.to_ascii_lowercase();
    let has = |keys: &[&str]| keys.iter().any(|k| o.contains(k));
    if majority || has(&["local", "norw", "majority"]) {
        NORWEGIAN.to_vec()
    } else if has(&[
        "syria", "iraq", "arab", "sudan", "leban", "palest", "jordan", "yemen", "egypt", "moroc",
    ]) {
        ARABIC.to_vec()
    } else if has(&["eritrea", "tigr", "ethiop"]) {
        TIGRINYA.to_vec()
    } else if has(&["somal"]) {
        SOMALI.to_vec()
    } else if has(&["afghan", "dari", "iran", "persian"]) {
        DARI.to_vec()
    } else if has(&["swed"]) {
        SWEDISH.to_vec()
    } else if has(&["bosnia"]) {
        BOSNIAN.to_vec()
    } else {
        // Interleave so that a small group still shows several origins' names.
        let lists = [ARABIC, TIGRINYA, SOMALI, DARI];
        let longest = lists.iter().map(|l| l.len()).max().unwrap_or(0);
        let mut out = Vec::new();
        for k in 0..longest {
            for l in lists {
                if let Some(n) = l.get(k) {
                    out.push(*n);
                }
            }
        }
        out
    }
}

/// One slot to be named: its origin label, whether that origin is the majority, and how many
/// times the slot has been refilled with a new person.
#[derive(Debug, Clone)]
pub struct Slot<'a> {
    pub origin: &'a str,
    pub majority: bool,
    pub generation: u32,
}

/// Names every slot of a group, distinct within the group: each slot's first choice is drawn
/// from its list by a hash of (seed, replicate, activity, group, slot, generation); a name
/// already taken by an earlier slot moves to the next one in the list, and a list that runs out
/// gets numbered names ("Amal 2").
pub fn cast(seed: u64, replicate: u64, activity: &str, group: u64, slots: &[Slot]) -> Vec<String> {
    let base = stream_seed(seed, replicate, activity, group, "names");
    let mut taken: Vec<String> = Vec::with_capacity(slots.len());
    for (i, s) in slots.iter().enumerate() {
        let list = list_for(s.origin, s.majority);
        let h = mix(mix(base ^ i as u64) ^ s.generation as u64);
        let start = (h % list.len() as u64) as usize;
        let mut chosen = None;
        'outer: for round in 1.. {
            for k in 0..list.len() {
                let candidate = if round == 1 {
                    list[(start + k) % list.len()].to_string()
                } else {
                    format!("{} {round}", list[(start + k) % list.len()])
                };
                if !taken.contains(&candidate) {
                    chosen = Some(candidate);
                    break 'outer;
                }
            }
        }
        taken.push(chosen.unwrap_or_else(|| format!("Person {i}")));
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deterministic_distinct_and_by_origin() {
        let slots: Vec<Slot> = (0..40)
            .map(|i| Slot {
                origin: if i < 5 { "local" } else { "non-western" },
                majority: i < 5,
                generation: 0,
            })
            .collect();
        let a = cast(7, 0, "activity", 0, &slots);
        let b = cast(7, 0, "activity", 0, &slots);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), a.len(), "names are distinct: {a:?}");
        assert!(NORWEGIAN.contains(&a[0].as_str()));
        assert!(!NORWEGIAN.contains(&a[10].as_str()));
        let c = cast(8, 0, "activity", 0, &slots);
        assert_ne!(a, c, "another seed casts other names");
        assert_eq!(list_for("somalia", false)[0], "Hodan");
        assert_eq!(list_for("sweden", false)[0], "Elsa");
    }

    #[test]
    fn a_refilled_slot_gets_a_new_name() {
        let one = |g| {
            cast(
                1,
                0,
                "a",
                0,
                &[Slot {
                    origin: "syria",
                    majority: false,
                    generation: g,
                }],
            )
        };
        let names: Vec<String> = (0..6).flat_map(one).collect();
        assert!(names.iter().any(|n| n != &names[0]), "{names:?}");
    }
}
