//! Short given names for the people of a transcript, drawn deterministically from small lists
//! by origin: Norwegian for the majority, Arabic, Tigrinya, Somali or Dari (and a few others)
//! for participants, so that a class can follow "Liv" and "Amal" instead of slot numbers.
//!
//! A [`Roster`] names the people of one group over a run: each person is named when she first
//! appears — the founding members in slot order, then each newcomer as she fills an empty
//! place — with a name nobody else in the group has had in the run, and keeps it for the rest
//! of the run, whatever her role becomes (a participant who steps up to volunteer is still
//! Amal). Names depend only on (seed, replicate, activity key, group index) and the order in
//! which people arrive: the same run always casts the same people.

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

/// The names of one group's people over a run (see the module text).
#[derive(Debug, Clone)]
pub struct Roster {
    base: u64,
    /// Every name given in this group so far, in the order given.
    given: Vec<String>,
    /// The name of the person now in each slot.
    current: Vec<String>,
}

impl Roster {
    /// Names the founding members, slot by slot.
    pub fn new(seed: u64, replicate: u64, activity: &str, group: u64, slots: &[Slot]) -> Roster {
        let mut r = Roster {
            base: stream_seed(seed, replicate, activity, group, "names"),
            given: Vec::with_capacity(slots.len()),
            current: Vec::with_capacity(slots.len()),
        };
        for (i, s) in slots.iter().enumerate() {
            let name = r.fresh(i, s);
            r.current.push(name);
        }
        r
    }

    /// A newcomer fills place `slot`: she gets a name nobody in the group has had.
    pub fn join(&mut self, slot: usize, s: &Slot) {
        let name = self.fresh(slot, s);
        if let Some(c) = self.current.get_mut(slot) {
            *c = name;
        }
    }

    /// The name of the person now in each slot.
    pub fn names(&self) -> &[String] {
        &self.current
    }

    /// A name not given before in this group: the first choice is drawn from the origin's list
    /// by a hash of (the group's seed, slot, generation); a name already given moves to the next
    /// one in the list, and a list that runs out gets numbered names ("Amal 2").
    fn fresh(&mut self, slot: usize, s: &Slot) -> String {
        let list = &list_for(s.origin, s.majority);
        let h = mix(mix(self.base ^ slot as u64) ^ s.generation as u64);
        let start = (h % list.len() as u64) as usize;
        let name = (1..)
            .flat_map(|round| {
                (0..list.len()).map(move |k| {
                    let name = list[(start + k) % list.len()];
                    if round == 1 {
                        name.to_string()
                    } else {
                        format!("{name} {round}")
                    }
                })
            })
            .find(|candidate| !self.given.contains(candidate))
            .unwrap_or_else(|| format!("Person {slot}"));
        self.given.push(name.clone());
        name
    }
}

/// Names every slot of a group at once, distinct within the group (a [`Roster`] of founding
/// members).
pub fn cast(seed: u64, replicate: u64, activity: &str, group: u64, slots: &[Slot]) -> Vec<String> {
    Roster::new(seed, replicate, activity, group, slots)
        .names()
        .to_vec()
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
    fn a_roster_never_gives_a_name_twice() {
        let slot = |g| Slot {
            origin: "syria",
            majority: false,
            generation: g,
        };
        let mut r = Roster::new(3, 1, "a", 2, &[slot(0), slot(0), slot(0)]);
        let first = r.names().to_vec();
        let mut seen = first.clone();
        // 40 newcomers in place 1: more than the Arabic list holds, so numbered names appear.
        for g in 1..=40 {
            r.join(1, &slot(g));
            assert_eq!(r.names()[0], first[0], "the others keep their names");
            assert_eq!(r.names()[2], first[2]);
            let n = r.names()[1].clone();
            assert!(!seen.contains(&n), "{n} was given before: {seen:?}");
            seen.push(n);
        }
        assert!(seen.iter().any(|n| n.ends_with(" 2")), "{seen:?}");
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
