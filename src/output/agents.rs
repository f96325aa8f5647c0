//! The per-person and network exports of a run (`run --agents`, `--network graphml`): the
//! tables `agents` (one row per person, group, replicate and snapshot week) and `ties` (one row
//! per tie), and the GraphML networks (one graph per replicate and snapshot week, every group a
//! connected component of its own), all drawn from the run's snapshots.

use super::number::num;
use super::table::{Cell, Column, Table};
use crate::metrics::aggregate::RunAggregate;
use crate::metrics::lens::Class;
use crate::metrics::snapshot::{GroupSnapshot, PersonRecord};
use crate::model::group::Design;
use crate::model::person::NO_VALUE;
use anyhow::Result;

/// The column of attribute `name` in `agents` (`attr_gender`).
pub fn attribute_column(name: &str) -> String {
    format!("attr_{name}")
}

/// How she entered, as `agents.entered_as` writes it.
fn entered_as(p: &PersonRecord) -> &'static str {
    p.entered.map_or("host", Class::lens_name)
}

fn origin<'a>(d: &'a Design, p: &PersonRecord) -> &'a str {
    d.origins.get(p.origin as usize).map_or("", String::as_str)
}

fn population<'a>(d: &'a Design, p: &PersonRecord) -> &'a str {
    d.populations
        .get(p.population as usize)
        .map_or("", |x| x.key.as_str())
}

/// Her value of attribute `k` of the design ("" where her population does not declare it).
fn attribute<'a>(d: &'a Design, p: &PersonRecord, k: usize) -> &'a str {
    match p.attributes.get(k) {
        Some(&v) if v != NO_VALUE => d.attributes[k]
            .values
            .get(v as usize)
            .map_or("", String::as_str),
        _ => "",
    }
}

/// The design of a snapshot's group.
fn design_of<'a>(designs: &'a [Design], s: &GroupSnapshot) -> &'a Design {
    designs
        .iter()
        .find(|d| d.activity_index == s.activity)
        .unwrap_or(&designs[0])
}

/// `agents`: replicate, week, group, activity, person, population, role, class, entered_as,
/// origin, one `attr_<name>` column per attribute, then her state.
pub fn agents<'a>(agg: &'a RunAggregate, designs: &'a [Design]) -> Table<'a> {
    let attributes: Vec<String> = designs
        .first()
        .map(|d| d.attributes.iter().map(|a| a.name.clone()).collect())
        .unwrap_or_default();
    let mut columns = vec![
        Column::int("replicate"),
        Column::int("week"),
        Column::int("group"),
        Column::text("activity"),
        Column::int("person"),
        Column::text("population"),
        Column::text("role"),
        Column::text("class"),
        Column::text("entered_as"),
        Column::text("origin"),
    ];
    columns.extend(attributes.iter().map(|a| Column::text(attribute_column(a))));
    columns.extend([
        Column::int("active"),
        Column::int("weeks_present"),
        Column::num("agency"),
        Column::num("p_indep"),
        Column::num("language"),
        Column::num("belonging"),
        Column::num("competence"),
        Column::num("perceived_competence"),
        Column::int("limbo"),
        Column::int("transitions"),
    ]);
    let n_attributes = attributes.len();
    Table::new("agents", columns, move |sink| {
        let mut row = Vec::new();
        for (r, s) in &agg.snapshots {
            let d = design_of(designs, s);
            for p in &s.persons {
                row.clear();
                row.extend([
                    Cell::Int(*r as i64),
                    Cell::Int(s.week as i64),
                    Cell::Int(s.group as i64),
                    Cell::Text(&d.activity.key),
                    Cell::Int(p.person as i64),
                    Cell::Text(population(d, p)),
                    Cell::Text(p.status.name()),
                    Cell::Text(p.class.lens_name()),
                    Cell::Text(entered_as(p)),
                    Cell::Text(origin(d, p)),
                ]);
                row.extend((0..n_attributes).map(|k| Cell::Text(attribute(d, p, k))));
                row.extend([
                    Cell::Int(p.active as i64),
                    Cell::Int(p.weeks_present as i64),
                    Cell::Num(p.agency),
                    Cell::Num(p.p_indep),
                    Cell::Num(p.language),
                    Cell::Num(p.belonging),
                    Cell::Num(p.competence),
                    Cell::Num(p.perceived),
                    Cell::Int(p.limbo as i64),
                    Cell::Int(p.transitions as i64),
                ]);
                sink(&row)?;
            }
        }
        Ok(())
    })
}

/// `ties`: replicate, week, group, activity, a, b, type, strength (a < b; ties of strength 0
/// are left out).
pub fn ties<'a>(agg: &'a RunAggregate, designs: &'a [Design]) -> Table<'a> {
    let columns = vec![
        Column::int("replicate"),
        Column::int("week"),
        Column::int("group"),
        Column::text("activity"),
        Column::int("a"),
        Column::int("b"),
        Column::text("type"),
        Column::num("strength"),
    ];
    Table::new("ties", columns, move |sink| {
        for (r, s) in &agg.snapshots {
            let d = design_of(designs, s);
            for t in &s.ties {
                sink(&[
                    Cell::Int(*r as i64),
                    Cell::Int(s.week as i64),
                    Cell::Int(s.group as i64),
                    Cell::Text(&d.activity.key),
                    Cell::Int(t.a as i64),
                    Cell::Int(t.b as i64),
                    Cell::Text(t.kind.name()),
                    Cell::Num(t.strength),
                ])?;
            }
        }
        Ok(())
    })
}

/// Escapes text for XML.
fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

/// The GraphML networks of a run: (file name, content), one file per replicate and snapshot
/// week, `network-r<replicate>-w<week>.graphml`, in replicate then week order. Each holds one
/// undirected graph: nodes `g<group>p<person>` with the person's group, activity, role, class,
/// origin, attributes and state; edges with the tie's type and strength (`weight`).
pub fn graphml(agg: &RunAggregate, designs: &[Design]) -> Result<Vec<(String, Vec<u8>)>> {
    let attributes: Vec<String> = designs
        .first()
        .map(|d| d.attributes.iter().map(|a| a.name.clone()).collect())
        .unwrap_or_default();
    let mut keys: Vec<(String, &str, &str)> = vec![
        ("group".into(), "node", "int"),
        ("activity".into(), "node", "string"),
        ("person".into(), "node", "int"),
        ("population".into(), "node", "string"),
        ("role".into(), "node", "string"),
        ("class".into(), "node", "string"),
        ("entered_as".into(), "node", "string"),
        ("origin".into(), "node", "string"),
    ];
    keys.extend(
        attributes
            .iter()
            .map(|a| (attribute_column(a), "node", "string")),
    );
    for (k, t) in [
        ("active", "int"),
        ("weeks_present", "int"),
        ("agency", "double"),
        ("p_indep", "double"),
        ("language", "double"),
        ("belonging", "double"),
        ("competence", "double"),
        ("perceived_competence", "double"),
        ("limbo", "int"),
        ("transitions", "int"),
    ] {
        keys.push((k.into(), "node", t));
    }
    keys.push(("type".into(), "edge", "string"));
    keys.push(("weight".into(), "edge", "double"));
    let head = {
        let mut h = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        );
        for (k, on, t) in &keys {
            h.push_str(&format!(
                "  <key id=\"{0}\" for=\"{on}\" attr.name=\"{0}\" attr.type=\"{t}\"/>\n",
                xml(k)
            ));
        }
        h
    };
    // Snapshots come in replicate order, then group, then week: gather each (replicate, week).
    let mut graphs: Vec<((u64, u32), Vec<&GroupSnapshot>)> = Vec::new();
    for (r, s) in &agg.snapshots {
        match graphs.iter_mut().find(|(k, _)| *k == (*r, s.week)) {
            Some((_, v)) => v.push(s),
            None => graphs.push(((*r, s.week), vec![s])),
        }
    }
    graphs.sort_by_key(|(k, _)| *k);
    let mut out = Vec::new();
    for ((r, week), groups) in graphs {
        let mut x = head.clone();
        x.push_str(&format!(
            "  <graph id=\"replicate-{r}-week-{week}\" edgedefault=\"undirected\">\n"
        ));
        for s in &groups {
            let d = design_of(designs, s);
            for p in &s.persons {
                x.push_str(&format!("    <node id=\"g{}p{}\">", s.group, p.person));
                let mut data = |k: &str, v: String| {
                    if !v.is_empty() {
                        x.push_str(&format!("<data key=\"{}\">{}</data>", xml(k), xml(&v)));
                    }
                };
                let number = |v: f64| if v.is_finite() { num(v) } else { String::new() };
                data("group", s.group.to_string());
                data("activity", d.activity.key.clone());
                data("person", p.person.to_string());
                data("population", population(d, p).to_string());
                data("role", p.status.name().to_string());
                data("class", p.class.lens_name().to_string());
                data("entered_as", entered_as(p).to_string());
                data("origin", origin(d, p).to_string());
                for (k, a) in attributes.iter().enumerate() {
                    data(&attribute_column(a), attribute(d, p, k).to_string());
                }
                data("active", (p.active as u8).to_string());
                data("weeks_present", p.weeks_present.to_string());
                data("agency", number(p.agency));
                data("p_indep", number(p.p_indep));
                data("language", number(p.language));
                data("belonging", number(p.belonging));
                data("competence", number(p.competence));
                data("perceived_competence", number(p.perceived));
                data("limbo", (p.limbo as u8).to_string());
                data("transitions", p.transitions.to_string());
                x.push_str("</node>\n");
            }
            for t in &s.ties {
                x.push_str(&format!(
                    "    <edge source=\"g{g}p{}\" target=\"g{g}p{}\"><data key=\"type\">{}</data><data key=\"weight\">{}</data></edge>\n",
                    t.a,
                    t.b,
                    xml(t.kind.name()),
                    num(t.strength),
                    g = s.group
                ));
            }
        }
        x.push_str("  </graph>\n</graphml>\n");
        out.push((
            format!("network-r{r:04}-w{week:04}.graphml"),
            x.into_bytes(),
        ));
    }
    Ok(out)
}
