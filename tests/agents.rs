//! `run --agents` and `--network graphml`: per-person and tie tables for the final week and the
//! snapshot weeks, and GraphML that a real XML parser reads as one undirected graph per
//! replicate and week, consistent with ties.csv.

mod common;

use common::{dugnad, scratch};
use std::path::Path;

fn read_csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let head = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

#[test]
fn agents_ties_and_graphml_describe_the_same_people_and_ties() {
    let tmp = scratch();
    let out = tmp.path().join("a");
    dugnad()
        .args([
            "run",
            "scenarios/dugnad.toml",
            "--replicates",
            "2",
            "--weeks",
            "8",
        ])
        .args([
            "--quiet",
            "--no-charts",
            "--agents",
            "--snapshot-weeks",
            "4",
        ])
        .args(["--network", "graphml", "--set", "activity.groups=2", "-o"])
        .arg(&out)
        .assert()
        .success();
    let (ah, agents) = read_csv(&out.join("agents.csv"));
    let (th, ties) = read_csv(&out.join("ties.csv"));
    let col = |h: &[String], n: &str| h.iter().position(|c| c == n).unwrap();
    let (week, class, origin) = (col(&ah, "week"), col(&ah, "class"), col(&ah, "origin"));
    // Weeks 4 and 8 (the final week), both replicates, both groups.
    let mut weeks: Vec<&str> = agents.iter().map(|r| r[week].as_str()).collect();
    weeks.dedup();
    assert_eq!(weeks, ["4", "8", "4", "8", "4", "8", "4", "8"]);
    for r in &agents {
        let role = r[col(&ah, "role")].as_str();
        let newcomer = r[origin] != "local" && (role == "participant" || role == "co-organizer");
        assert_eq!(newcomer, r[class] == "newcomers", "{r:?}");
        let limbo = &r[col(&ah, "limbo")];
        assert!(limbo == "0" || limbo == "1");
    }
    let strength = col(&th, "strength");
    let kind = col(&th, "type");
    for t in &ties {
        let s: f64 = t[strength].parse().unwrap();
        assert!(s > 0.0 && s <= 1.0, "{t:?}");
        assert!(
            [
                "bonding",
                "bridging",
                "linking",
                "bridging+linking",
                "other"
            ]
            .contains(&t[kind].as_str()),
            "{t:?}"
        );
    }
    // The GraphML of replicate 1, week 8: a real parser reads it; its nodes are that week's
    // persons and its edges that week's ties, with the same strengths.
    let text = std::fs::read_to_string(out.join("network-r0001-w0008.graphml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed GraphML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://graphml.graphdrawing.org/xmlns")
    );
    let graphs: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("graph"))
        .collect();
    assert_eq!(graphs.len(), 1);
    assert_eq!(graphs[0].attribute("edgedefault"), Some("undirected"));
    let keys: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    let nodes: Vec<_> = graphs[0]
        .children()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let edges: Vec<_> = graphs[0]
        .children()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    let persons = agents
        .iter()
        .filter(|r| r[0] == "1" && r[week] == "8")
        .count();
    let week_ties: Vec<&Vec<String>> = ties.iter().filter(|t| t[0] == "1" && t[1] == "8").collect();
    assert_eq!(nodes.len(), persons);
    assert_eq!(edges.len(), week_ties.len());
    assert!(!edges.is_empty(), "some ties");
    let ids: std::collections::BTreeSet<&str> =
        nodes.iter().map(|n| n.attribute("id").unwrap()).collect();
    for (e, t) in edges.iter().zip(&week_ties) {
        let (s, d) = (
            e.attribute("source").unwrap(),
            e.attribute("target").unwrap(),
        );
        assert!(ids.contains(s) && ids.contains(d), "edge ends are nodes");
        assert_eq!(s, format!("g{}p{}", t[2], t[4]));
        assert_eq!(d, format!("g{}p{}", t[2], t[5]));
        let data = |key: &str| {
            e.children()
                .find(|c| c.has_tag_name("data") && c.attribute("key") == Some(key))
                .and_then(|c| c.text())
                .unwrap()
        };
        assert_eq!(data("weight"), t[strength]);
        assert_eq!(data("type"), t[kind]);
    }
    for n in &nodes {
        for d in n.children().filter(|c| c.has_tag_name("data")) {
            assert!(keys.contains(&d.attribute("key").unwrap()), "declared key");
        }
    }
    // --snapshot-weeks outside the run is a usage error.
    dugnad()
        .args(["run", "scenarios/dugnad.toml", "--weeks", "8", "--agents"])
        .args(["--snapshot-weeks", "9", "-o"])
        .arg(tmp.path().join("bad"))
        .assert()
        .code(2);
}
