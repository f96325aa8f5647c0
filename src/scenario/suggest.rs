//! "Did you mean ...?": the closest of the allowed names to a mistyped one, for the messages of
//! validation ([`super::validate`]) and of `--set` ([`super::overrides`]).

/// Edit distance between two short strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Candidates ordered by closeness to `word`.
pub(crate) fn ranked<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let w = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (levenshtein(&w, c), *c))
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, c)| c).collect()
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&w, c), *c))
        .filter(|(d, c)| {
            *d <= 2.max(c.chars().count().max(w.chars().count()) / 3)
                || (w.len() >= 3 && (c.contains(w.as_str()) || w.contains(c)))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `did you mean 'X'? ` (with the trailing space) when a candidate is close, else "".
pub(crate) fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    closest(word, candidates)
        .map(|c| format!("did you mean '{c}'? "))
        .unwrap_or_default()
}

/// The tail of a message that refuses `word`: `did you mean 'X'? ` when one of `names` is
/// close, then `{heading}: ` and every name.
pub(crate) fn choices(word: &str, heading: &str, names: &[&str]) -> String {
    format!(
        "{}{heading}: {}",
        did_you_mean(word, names),
        names.join(", ")
    )
}

/// The message that refuses `word` where one of `names` (a `what`) is wanted: `there is no
/// {what} '{word}'; ` and then [`choices`] under `heading`.
pub(crate) fn no_such(what: &str, word: &str, heading: &str, names: &[&str]) -> String {
    format!(
        "there is no {what} '{word}'; {}",
        choices(word, heading, names)
    )
}

/// The message that refuses a name of a declared table (`what`: a parameter, a mechanism):
/// `unknown {what}; `, `did you mean 'X'? ` when one of `names` is close, the five closest
/// names, and that `dugnad params` lists them all (`listed_under`, e.g. ` under 'mechanisms'`).
pub(crate) fn unknown_name(what: &str, word: &str, names: &[&str], listed_under: &str) -> String {
    let near: Vec<&str> = ranked(word, names).into_iter().take(5).collect();
    format!(
        "unknown {what}; {}closest names: {} (`dugnad params` lists all {}{listed_under})",
        did_you_mean(word, names),
        near.join(", "),
        names.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word_and_strangers_find_none() {
        assert_eq!(levenshtein("co_desing", "co_design"), 2);
        assert_eq!(
            closest("co_desing", &["groups", "co_design"]),
            Some("co_design")
        );
        assert_eq!(closest("Groups", &["groups", "kind"]), Some("groups"));
        assert_eq!(closest("zzzzzz", &["groups", "kind"]), None);
        assert_eq!(
            did_you_mean("betta", &["beta", "normal"]),
            "did you mean 'beta'? "
        );
        assert_eq!(did_you_mean("qqq", &["beta", "normal"]), "");
        assert_eq!(
            ranked("alpha_1", &["beta_e", "alpha1", "alpha0"])[0],
            "alpha1"
        );
    }
}
