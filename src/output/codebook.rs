//! The codebook: the table `codebook` that every result folder holds beside its tables, one row
//! per column of every table written (file, column, meaning, unit, range, lens), then one row
//! per indicator (column `indicator=<name>`: its meaning, unit, range and lenses, from the
//! indicator table) and one per fixed lens (column `lens=<name>`). It is generated from the same
//! sources as the files and `docs/indicators.md`, so a folder explains itself.

use super::table::{Cell, Column, Table};
use crate::metrics::indicators::lens_list;
use crate::metrics::lens::Class;
use crate::metrics::INDICATORS;

/// The name of the codebook table (written as `codebook.csv`).
pub const CODEBOOK: &str = "codebook";

/// The columns of the codebook.
pub const COLUMNS: [&str; 6] = ["file", "column", "meaning", "unit", "range", "lens"];

/// What a column of a result table holds: (meaning, unit, range).
type Entry = (&'static str, &'static str, &'static str);

/// The meaning of every column name a result table has, by name; a name with a dot is a
/// scenario key (a swept or analysed value). Where a column's meaning differs between files,
/// the words say so.
pub fn column_meaning(name: &str) -> Option<Entry> {
    let e: Entry = match name {
        "week" => ("week of the run (1 = the first)", "week", "1 … weeks"),
        "replicate" => ("replicate index (each its own random streams)", "index", "≥ 0"),
        "scope" => (
            "final_week: the value in the last week; run_mean: each replicate's mean over the weeks where the value is defined",
            "",
            "final_week, run_mean",
        ),
        "indicator" => ("the indicator (see its row indicator=<name> below)", "", "an indicator name"),
        "lens" => (
            "whom the value describes: newcomers (participants of a non-majority origin, the headline), local_participants, volunteers, staff, all (the indicator's pooled subject), newcomers|<attribute>=<value>, origin=<label> (see the rows lens=<name> below)",
            "",
            "a lens name",
        ),
        "value" => ("the indicator's value at this lens; NA where the lens had nobody in it (or the ratio is undefined)", "the indicator's unit", "the indicator's range"),
        "mean" => ("mean across the replicates where the value is defined", "the indicator's unit", "the indicator's range"),
        "sd" => ("standard deviation across those replicates", "the indicator's unit", "≥ 0"),
        "ci_low" => ("lower end of the 95 % confidence interval (of the mean, or of the estimate)", "the value's unit", ""),
        "ci_high" => ("upper end of the 95 % confidence interval (of the mean, or of the estimate)", "the value's unit", ""),
        "p05" => ("5th percentile across the replicates", "the indicator's unit", "the indicator's range"),
        "p95" => ("95th percentile across the replicates", "the indicator's unit", "the indicator's range"),
        "n" => (
            "replicates (pairs, in a comparison) the statistic rests on: those where the value is defined; fewer than ran when the lens was empty in some",
            "replicates",
            "≥ 0",
        ),
        "group" => ("group index across the run's activities", "index", "≥ 0"),
        "activity" => ("the activity the group belongs to", "", "an activity key"),
        "cell" => ("the cell of the sweep (a point of the design)", "index", "≥ 0"),
        "design" => ("the design compared (a scenario file's name or a variant)", "", ""),
        "baseline" => ("the design the differences are taken against", "", ""),
        "diff" => ("mean paired difference design − baseline across replicates (common random numbers)", "the indicator's unit", ""),
        "diff_ci_low" => ("lower end of the 95 % CI of the paired difference", "the indicator's unit", ""),
        "diff_ci_high" => ("upper end of the 95 % CI of the paired difference", "the indicator's unit", ""),
        "effect_size" => ("standardized paired difference: mean difference ÷ SD of the differences", "SD units", ""),
        "factor" => ("the scenario key varied", "", "a scenario key"),
        "method" => ("the sensitivity method", "", "morris, sobol"),
        "statistic" => ("the sensitivity statistic: mu_star, mu, sigma (Morris); s1, st (Sobol)", "", ""),
        "noise_share" => ("share of the output's variance across points that is replicate noise (within-point variance ÷ total)", "share", "≥ 0"),
        "point" => ("the design point of the sensitivity analysis", "index", "≥ 0"),
        "block" => ("the trajectory (Morris) or matrix (Sobol) the point belongs to", "", ""),
        "replicates" => ("replicates run at the point", "replicates", "≥ 1"),
        // agents.csv
        "person" => ("the person's slot in her group (a refill takes a slot over)", "index", "≥ 0"),
        "role" => ("her status that week", "", "participant, co-organizer, volunteer, staff"),
        "class" => ("her class that week (the lens she counts in)", "", "newcomers, local_participants, volunteers, staff"),
        "entered_as" => ("how she entered: as a newcomer, as a local participant, or as a volunteer/staff member (host)", "", "newcomers, local_participants, host"),
        "origin" => ("her origin (a label of the scenario)", "", ""),
        "population" => ("the scenario population she was drawn from", "", ""),
        "weeks_present" => ("weeks in which she came to at least one meeting, since she entered", "weeks", "≥ 0"),
        "agency" => ("her agency (participants and co-organizers; NA for volunteers and staff)", "agency", "[0, 1]"),
        "p_indep" => ("her readiness to try alone", "probability", "[0, 1]"),
        "language" => ("her local-language proficiency", "proficiency", "[0, 1]"),
        "belonging" => ("her sense of belonging", "belonging", "[0, 1]"),
        "competence" => ("her true competence", "competence", "[0, 1]"),
        "perceived_competence" => ("mean competence the active volunteers and staff ascribe to her (NA: nobody to perceive her, or she is one of them)", "competence", "[0, 1]"),
        "limbo" => ("1 if she is in limbo (subtyped as an exception by at least half of the hosts who met her, mean inclusion below theta_us), else 0", "", "0, 1"),
        "transitions" => ("steps she has taken from participant: 1 = co-organizer, 2 = volunteer", "steps", "0, 1, 2"),
        "active" => ("1 if she is still taking part, else 0 (she left this week)", "", "0, 1"),
        // ties.csv
        "a" => ("one end of the tie (person index in the group)", "index", "≥ 0"),
        "b" => ("the other end (person index, > a)", "index", "≥ 0"),
        "type" => (
            "bonding (same origin), bridging (a newcomer and a majority-origin person), linking (a newcomer and a volunteer or staff member), bridging+linking (both), other",
            "",
            "",
        ),
        "strength" => ("tie strength (symmetric)", "tie strength", "[0, 1]"),
        _ if name.starts_with("attr_") => ("her value of the population attribute named after attr_ (empty where her population does not declare it)", "", "the attribute's values"),
        _ if name.contains('.') => ("the scenario value of this key at the cell or point", "the key's unit", "the key's range"),
        _ => return None,
    };
    Some(e)
}

/// Columns whose meaning in one table is its own, not [`column_meaning`]'s: (table, column,
/// entry). A table that gives `indicator` a meaning of its own holds no indicator names, so the
/// indicator and lens rows are not written for it.
const TABLE_COLUMNS: &[(&str, &str, Entry)] = &[
    // validation.csv (`dugnad validate`, the ablation matrix)
    ("validation", "fact", ("the stylized fact and its clause (MODEL.md §5; docs/model.md §7.11)", "", "1a … 9c, C1")),
    ("validation", "condition", ("intact, or off: the [mechanisms] switched off together", "", "intact, off: <mechanism> + …")),
    ("validation", "indicator", ("what the effect measures, in words: the indicator, the designs compared and the scope", "", "")),
    ("validation", "lens", (
        "whom the indicator is read on: newcomers, volunteers, origin=<label>; a / b or a − b for a ratio or difference of two; empty where the clause follows persons directly",
        "",
        "",
    )),
    ("validation", "effect", ("the clause's effect: mean of the per-replicate paired differences on common random numbers (C1: a correlation r)", "the measure's unit", "")),
    ("validation", "holds", (
        "whether the fact holds in this condition: intact, its CI on the claimed side of 0 and at least the minimum effect; ablated, its CI on the claimed side and at least a quarter of the intact effect (a sound mechanism: true intact, false ablated)",
        "",
        "true, false",
    )),
];

/// The meaning of column `column` of table `table`: its own ([`TABLE_COLUMNS`]), else by name.
pub fn meaning_in(table: &str, column: &str) -> Option<Entry> {
    TABLE_COLUMNS
        .iter()
        .find(|(t, c, _)| *t == table && *c == column)
        .map(|(_, _, e)| *e)
        .or_else(|| column_meaning(column))
}

/// The codebook of the tables of one folder: every column of every table, written as
/// `<name>.<extension>` in each format, then every indicator and fixed lens.
pub fn codebook(tables: &[Table], extension: &str) -> Table<'static> {
    let mut rows: Vec<[String; 6]> = Vec::new();
    for t in tables {
        let file = format!("{}.{extension}", t.name);
        for c in &t.columns {
            let (meaning, unit, range) =
                meaning_in(&t.name, &c.name).unwrap_or(("(undocumented column)", "", ""));
            let lens = if c.name == "lens" { "every lens" } else { "" };
            rows.push([
                file.clone(),
                c.name.clone(),
                meaning.to_string(),
                unit.to_string(),
                range.to_string(),
                lens.to_string(),
            ]);
        }
    }
    let with_indicators: Vec<String> = tables
        .iter()
        .filter(|t| t.columns.iter().any(|c| c.name == "indicator"))
        .filter(|t| {
            !TABLE_COLUMNS
                .iter()
                .any(|(n, c, _)| *n == t.name && *c == "indicator")
        })
        .map(|t| format!("{}.{extension}", t.name))
        .collect();
    if !with_indicators.is_empty() {
        let files = with_indicators.join(" ");
        for i in INDICATORS {
            rows.push([
                files.clone(),
                format!("indicator={}", i.name),
                format!(
                    "{} — {} Higher is {}.",
                    i.title(),
                    i.meaning(),
                    direction(i)
                ),
                i.unit().to_string(),
                i.range.to_string(),
                lens_list(i),
            ]);
        }
        for c in Class::ALL {
            rows.push([
                files.clone(),
                format!("lens={}", c.lens_name()),
                c.words().to_string(),
                String::new(),
                String::new(),
                c.lens_name().to_string(),
            ]);
        }
        rows.push([
            files,
            "lens=all".to_string(),
            "the indicator's whole subject, pooled: all participants (newcomers and local participants) for participant and talk indicators, all volunteers and staff for volunteer indicators".to_string(),
            String::new(),
            String::new(),
            "all".to_string(),
        ]);
    }
    let own = [
        ("file", "the file a row describes (several, space-separated, for indicator and lens rows)"),
        ("column", "the column described, or indicator=<name> / lens=<name> for the values of columns indicator and lens"),
        ("meaning", "what the column (indicator, lens) holds"),
        ("unit", "its unit"),
        ("range", "the range of its values"),
        ("lens", "for an indicator, the lenses it is reported at"),
    ];
    for (column, meaning) in own {
        rows.push([
            format!("{CODEBOOK}.{extension}"),
            column.to_string(),
            meaning.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    Table::new(CODEBOOK, COLUMNS.map(Column::text).to_vec(), move |sink| {
        for r in &rows {
            let cells: Vec<Cell> = r.iter().map(|s| Cell::Text(s)).collect();
            sink(&cells)?;
        }
        Ok(())
    })
}

fn direction(i: &crate::metrics::Indicator) -> &'static str {
    use crate::metrics::indicators::Direction;
    match i.direction {
        Direction::HigherIsBetter => "better",
        Direction::HigherIsWorse => "worse",
        Direction::Neither => "neither better nor worse",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &Table) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        t.for_each_row(&mut |r| {
            out.push(
                r.iter()
                    .map(|c| match c {
                        Cell::Text(s) => s.to_string(),
                        _ => panic!("the codebook is text"),
                    })
                    .collect(),
            );
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn every_column_indicator_and_lens_has_a_row_and_unknown_columns_show() {
        let t = Table::new(
            "final",
            ["replicate", "indicator", "lens", "value", "made_up"]
                .map(Column::text)
                .to_vec(),
            |_| Ok(()),
        );
        let r = rows(&codebook(&[t], "csv"));
        let at = |file: &str, column: &str| {
            r.iter()
                .find(|x| x[0] == file && x[1] == column)
                .unwrap_or_else(|| panic!("{file} {column}"))
        };
        assert_eq!(at("final.csv", "made_up")[2], "(undocumented column)");
        assert!(at("final.csv", "value")[2].contains("NA where the lens had nobody"));
        for i in INDICATORS {
            let row = at("final.csv", &format!("indicator={}", i.name));
            assert_eq!((row[3].as_str(), row[4].as_str()), (i.unit(), i.range));
            assert!(row[5].contains("all"), "{}: lenses", i.name);
        }
        assert!(at("final.csv", "lens=newcomers")[2].contains("non-majority origin"));
        for c in COLUMNS {
            at("codebook.csv", c);
        }
        assert_eq!(r.len(), 5 + INDICATORS.len() + 5 + COLUMNS.len());
    }
}
