//! Hot paths of the simulation core (criterion): the turn loop of one meeting, a whole
//! meeting, a week of a group, and a replicate of the benchmark scenario (scaled down).
//! `cargo bench --bench hot_paths`; the end-to-end figures are `dugnad bench`
//! (docs/performance.md).

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dugnad::mechanisms::events::NoEvents;
use dugnad::mechanisms::{attendance, talk};
use dugnad::model::group::Design;
use dugnad::sim::engine::GroupRun;
use dugnad::sim::replicates::run_replicate;
use std::path::Path;

/// The benchmark scenario with `overrides`, compiled.
fn designs(overrides: &[&str]) -> Vec<Design> {
    let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let s = dugnad::scenario::validate::load(Path::new("scenarios/bench.toml"), &o)
        .expect("scenarios/bench.toml loads");
    Design::compile_all(&s)
}

/// A group of the benchmark design after `weeks` simulated weeks.
fn warm_group(d: &Design, weeks: u32) -> GroupRun<'_> {
    let mut run = GroupRun::new(d, 1, 0, 0);
    for _ in 0..weeks {
        run.step(&mut NoEvents);
    }
    run
}

fn turns(c: &mut Criterion) {
    let ds = designs(&[]);
    let d = &ds[0];
    let turns = d.activity.turns_per_meeting as u64;
    let mut g = c.benchmark_group("meeting");
    g.throughput(Throughput::Elements(turns));
    // The turn loop alone (M1: speaker choice, hesitation, usurping), on a fixed attendance.
    let mut run = warm_group(d, 8);
    while !attendance::attend(
        &mut run.group,
        d,
        &mut run.scratch,
        &mut run.streams.attendance,
        &mut NoEvents,
    ) {}
    g.bench_function("take_turns", |b| {
        b.iter(|| {
            talk::prepare_floor(&run.group, d, &mut run.scratch);
            talk::take_turns(
                &mut run.group,
                d,
                &mut run.scratch,
                &mut run.streams.talk,
                &mut NoEvents,
            );
        })
    });
    // A whole meeting: attendance, talk, help, agenda, perception, judging, learning, ties.
    let mut run = warm_group(d, 8);
    g.bench_function("whole", |b| {
        b.iter(|| black_box(run.meeting(0, &mut NoEvents).group.turns))
    });
    g.finish();
}

fn week(c: &mut Criterion) {
    let ds = designs(&[]);
    let d = &ds[0];
    let mut g = c.benchmark_group("group_week");
    g.throughput(Throughput::Elements(
        40 * d.activity.turns_per_meeting as u64 * d.activity.meetings_per_week as u64,
    ));
    // A week of a group (meetings plus the week's end: motives, doors, transitions,
    // withdrawal, dropout, refills, tie decay, observation), on a group 8 weeks in; the
    // group is restarted every 40 weeks so it does not drift far from a typical one.
    g.bench_function("step_x40", |b| {
        b.iter_batched_ref(
            || warm_group(d, 8),
            |run| {
                for _ in 0..40 {
                    black_box(run.step(&mut NoEvents).group.turns);
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn replicate(c: &mut Criterion) {
    // The benchmark scenario scaled down to 20 groups × 52 weeks (one replicate, one thread).
    let ds = designs(&["activity.groups=20"]);
    let mut g = c.benchmark_group("replicate");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        20 * 52 * ds[0].activity.turns_per_meeting as u64,
    ));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    g.bench_function("bench_20_groups_52_weeks", |b| {
        b.iter(|| pool.install(|| black_box(run_replicate(&ds, 1, 0, 52, false))))
    });
    g.finish();
}

criterion_group!(benches, turns, week, replicate);
criterion_main!(benches);
