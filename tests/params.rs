//! No dead parameters: every parameter of `dugnad params`, set to the bottom and to the top of its
//! range, moves some indicator at some lens (every series: indicator × lens) of a design in which
//! its mechanism acts (tests/fixtures/every-mechanism.toml), on the same random numbers. A parameter that is inactive
//! in some designs says so in `dugnad params`.

mod common;

use common::{dugnad, root};
use dugnad::metrics::aggregate::RunAggregate;
use dugnad::model::params::PARAMS;
use dugnad::scenario::load;
use dugnad::sim::replicates::run_scenario;

/// Every series' (indicator × lens) final-week and run-mean values of every replicate, in order.
fn outcome(a: &RunAggregate) -> Vec<u64> {
    a.finals
        .iter()
        .chain(&a.means)
        .flat_map(|(_, row)| row.iter().map(|x| x.to_bits()))
        .collect()
}

#[test]
fn every_parameter_moves_some_indicator_between_its_range_bounds() {
    let file = root().join("tests/fixtures/every-mechanism.toml");
    let run = |sets: &[String]| run_scenario(&load(&file, sets).unwrap_or_else(|e| panic!("{e}")));
    let first = run(&[]);
    assert!(
        first.layout.len() > dugnad::metrics::N_INDICATORS,
        "every lens of every indicator is compared, not one value per indicator"
    );
    let base = outcome(&first);
    assert!(!base.is_empty());
    let mut dead = Vec::new();
    for p in PARAMS {
        let at = |x: f64| outcome(&run(&[format!("parameters.{}={x}", p.name)]));
        if at(p.min) == at(p.max) {
            dead.push(p.name);
        }
    }
    assert!(
        dead.is_empty(),
        "parameters that move no indicator between the bounds of their range: {dead:?}"
    );
}

#[test]
fn params_says_where_a_parameter_is_inactive() {
    let out = dugnad()
        .arg("params")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = format!("\n{}", String::from_utf8(out).unwrap());
    let block = |name: &str| -> String {
        let start = text
            .find(&format!("\n{name} "))
            .unwrap_or_else(|| panic!("{name} listed"));
        text[start + 1..]
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        block("theta_l").contains("inactive: without activity.pathway"),
        "{}",
        block("theta_l")
    );
    assert!(block("targeting_salience").contains("inactive: without activity.targets"));
    assert!(block("alpha1").contains("with mechanisms.status_usurping = false"));
    assert!(
        !block("beta_e").contains("inactive"),
        "beta_e acts everywhere"
    );
    let mech = dugnad()
        .args(["params", "--mechanisms", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&mech).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        dugnad::scenario::MECHANISMS.len()
    );
}
