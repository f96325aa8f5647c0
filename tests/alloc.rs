//! No heap allocation in the simulation's inner loops (docs/performance.md): a counting global
//! allocator counts the allocations made by this test's own thread while it steps groups of
//! the bundled scenarios, after a warm-up week.

use dugnad::mechanisms::events::NoEvents;
use dugnad::mechanisms::{attendance, talk};
use dugnad::model::group::Design;
use dugnad::sim::engine::GroupRun;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts allocations (alloc, alloc_zeroed, realloc) of threads that switched counting on.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by this thread while `f` runs. Other tests' threads are not counted, but
/// the counter is shared, so the counting tests take a lock.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (ALLOCATIONS.load(Ordering::Relaxed) - before, out)
}

fn designs(file: &str, overrides: &[&str]) -> Vec<Design> {
    let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let s = dugnad::scenario::validate::load(Path::new(file), &o)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    Design::compile_all(&s)
}

#[test]
fn the_counter_sees_allocations() {
    let (n, v) = allocations(|| vec![1u8; 100]);
    assert_eq!(v.len(), 100);
    assert!(n >= 1, "the counting allocator is installed");
}

#[test]
fn the_turn_loop_never_allocates() {
    for file in [
        "scenarios/bench.toml",
        "scenarios/knitting-cafe.toml",
        "scenarios/municipality.toml",
    ] {
        for d in &designs(file, &[]) {
            let mut run = GroupRun::new(d, 7, 0, 0);
            run.step(&mut NoEvents);
            let mut meetings = 0;
            for _ in 0..50 {
                if !attendance::attend(
                    &mut run.group,
                    d,
                    &mut run.scratch,
                    &mut run.streams.attendance,
                    &mut NoEvents,
                ) {
                    continue;
                }
                talk::prepare_floor(&run.group, d, &mut run.scratch);
                let (n, ()) = allocations(|| {
                    talk::take_turns(
                        &mut run.group,
                        d,
                        &mut run.scratch,
                        &mut run.streams.talk,
                        &mut NoEvents,
                    )
                });
                assert_eq!(n, 0, "{file} {}: take_turns allocated", d.activity.key);
                meetings += 1;
            }
            assert!(meetings > 0, "{file}: some meetings happened");
        }
    }
}

#[test]
fn a_week_of_a_group_never_allocates_after_the_first() {
    // Every design of every bundled scenario, with refills, transitions, withdrawals and
    // dropouts over two simulated years.
    for file in [
        "scenarios/bench.toml",
        "scenarios/knitting-cafe.toml",
        "scenarios/co-designed-cafe.toml",
        "scenarios/focus-group.toml",
        "scenarios/dugnad.toml",
        "scenarios/municipality.toml",
    ] {
        for d in &designs(file, &[]) {
            for gi in 0..3 {
                let mut run = GroupRun::new(d, 2019, 1, gi);
                run.step(&mut NoEvents);
                let (n, _) = allocations(|| {
                    for _ in 0..104 {
                        std::hint::black_box(run.step(&mut NoEvents));
                    }
                });
                assert_eq!(
                    n, 0,
                    "{file} {} group {gi}: GroupRun::step allocated after the warm-up week",
                    d.activity.key
                );
            }
        }
    }
}

#[test]
fn a_meeting_never_allocates() {
    for d in &designs("scenarios/bench.toml", &[]) {
        let mut run = GroupRun::new(d, 3, 0, 0);
        run.step(&mut NoEvents);
        let (n, _) = allocations(|| {
            for m in 0..200 {
                std::hint::black_box(run.meeting(m % 2, &mut NoEvents));
            }
        });
        assert_eq!(n, 0, "GroupRun::meeting allocated");
    }
}
