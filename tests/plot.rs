//! `dugnad plot`: redraws a result folder's charts as figures (PNG, SVG, PDF) at a chosen size,
//! without the title, in bokmål; refuses bad input with exit 2 and never overwrites silently.

mod common;

use common::{dugnad, scratch, stderr_of};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A small run of the knitting café with its charts, made once per test process.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let tmp = scratch();
        let dir = tmp.path().join("run");
        dugnad()
            .args([
                "run",
                "scenarios/knitting-cafe.toml",
                "--replicates",
                "2",
                "--weeks",
                "4",
                "--quiet",
                "-o",
            ])
            .arg(&dir)
            .assert()
            .success();
        (tmp, dir)
    })
    .1
}

fn plot(args: &[&str]) -> assert_cmd::assert::Assert {
    dugnad().arg("plot").arg(run_dir()).args(args).assert()
}

#[test]
fn each_format_has_its_magic_bytes_and_a_real_size() {
    let out = scratch();
    for (format, magic, min) in [
        ("png", &b"\x89PNG\r\n\x1a\n"[..], 5_000),
        ("svg", &b"<svg"[..], 5_000),
        ("pdf", &b"%PDF-"[..], 3_000),
    ] {
        // -o is a folder here: the figure is <folder>/retention.<format>.
        dugnad()
            .arg("plot")
            .arg(run_dir())
            .args(["--chart", "retention", "--format", format, "-o"])
            .arg(out.path())
            .assert()
            .success();
        let bytes = std::fs::read(out.path().join(format!("retention.{format}")))
            .unwrap_or_else(|e| panic!("{format}: {e}"));
        let head: &[u8] = if format == "svg" {
            let at = bytes
                .windows(4)
                .position(|w| w == b"<svg")
                .expect("an <svg> element");
            &bytes[at..]
        } else {
            &bytes[..]
        };
        assert!(head.starts_with(magic), "{format}: wrong magic bytes");
        assert!(bytes.len() > min, "{format}: only {} bytes", bytes.len());
    }
}

fn plot_to(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    dugnad()
        .arg("plot")
        .arg(run_dir())
        .args(extra)
        .arg("-o")
        .arg(out)
        .assert()
}

#[test]
fn width_height_and_dpi_are_what_was_asked() {
    let out = scratch();
    let file = out.path().join("fig.png");
    plot_to(
        &file,
        &["--chart", "retention", "--width", "640", "--dpi", "300"],
    )
    .success();
    let decoder = png::Decoder::new(std::fs::File::open(&file).unwrap());
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    assert_eq!(
        (info.width, info.height),
        (640, 427),
        "1200×800 scaled to 640 wide"
    );
    let dims = info.pixel_dims.expect("a pHYs chunk");
    assert_eq!(dims.xppu, 11811, "300 dpi");
    let file = out.path().join("tall.svg");
    plot_to(
        &file,
        &[
            "--chart",
            "retention",
            "--format",
            "svg",
            "--width",
            "500",
            "--height",
            "700",
        ],
    )
    .success();
    let svg = std::fs::read_to_string(&file).unwrap();
    let l = dugnad::present::layout::layout(&svg).unwrap();
    assert_eq!((l.width, l.height), (500.0, 700.0));
}

fn svg_of(extra: &[&str]) -> String {
    let out = scratch();
    let file = out.path().join("fig.svg");
    let mut args = vec!["--chart", "retention", "--format", "svg"];
    args.extend(extra);
    plot_to(&file, &args).success();
    std::fs::read_to_string(&file).unwrap()
}

#[test]
fn no_title_drops_the_title() {
    let with = svg_of(&[]);
    let without = svg_of(&["--no-title"]);
    assert!(with.contains("Volunteer retention"), "the title is drawn");
    assert!(
        !without.contains("Volunteer retention"),
        "--no-title drops it"
    );
    let l = dugnad::present::layout::layout(&without).unwrap();
    assert!(l.rotated().next().is_some(), "the axes keep their labels");
}

#[test]
fn lang_nb_gives_norwegian_labels() {
    let en = svg_of(&[]);
    let nb = svg_of(&["--lang", "nb"]);
    assert!(en.contains(">week<") || en.contains("week"), "English axis");
    assert!(nb.contains("uke"), "bokmål axis: uke");
    assert_ne!(en, nb);
}

#[test]
fn an_existing_figure_is_not_overwritten_without_force() {
    let out = scratch();
    let file = out.path().join("fig.png");
    plot_to(&file, &["--chart", "retention"]).success();
    let before = std::fs::read(&file).unwrap();
    let e = plot_to(&file, &["--chart", "retention", "--width", "300"]).code(2);
    assert!(stderr_of(&e).contains("--force"), "{}", stderr_of(&e));
    assert_eq!(std::fs::read(&file).unwrap(), before, "left as it was");
    plot_to(
        &file,
        &["--chart", "retention", "--width", "300", "--force"],
    )
    .success();
    assert_ne!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    let tmp = scratch();
    let e = dugnad()
        .arg("plot")
        .arg(tmp.path())
        .arg("--format")
        .arg("png")
        .assert()
        .code(2);
    assert!(
        stderr_of(&e).contains("not a result folder"),
        "{}",
        stderr_of(&e)
    );
    let e = plot(&["--chart", "no-such-chart"]).code(2);
    let err = stderr_of(&e);
    assert!(
        err.contains("no-such-chart") && err.contains("retention"),
        "{err}"
    );
    let e = plot(&["--width", "0"]).code(2);
    assert!(stderr_of(&e).contains("0"), "{}", stderr_of(&e));
    plot(&["--format", "gif"]).code(2);
    plot(&["--lang", "xx"]).code(2);
}
