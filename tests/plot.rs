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

// ---------------------------------------------------------------------------------------------
// Compare and sensitivity folders: redrawn from their written files, byte for byte.

/// A tiny compare, Morris and Sobol sensitivity folder, made once per test process.
fn experiment_dirs() -> &'static (tempfile::TempDir, Vec<PathBuf>) {
    static DIRS: OnceLock<(tempfile::TempDir, Vec<PathBuf>)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let tmp = scratch();
        let small = ["--replicates", "3", "--weeks", "6", "--quiet"];
        let ranges = [
            "--range",
            "parameters.alpha1=0.1:0.8",
            "--range",
            "activity.co_design=0:1",
        ];
        let jobs: Vec<(&str, Vec<&str>)> = vec![
            (
                "compare",
                vec![
                    "compare",
                    "scenarios/knitting-cafe.toml",
                    "scenarios/co-designed-cafe.toml",
                    "--variant",
                    "facil: activity.facilitation=0.8",
                ],
            ),
            (
                "morris",
                [
                    &[
                        "sensitivity",
                        "scenarios/knitting-cafe.toml",
                        "--method",
                        "morris",
                    ][..],
                    &["--trajectories", "3"],
                    &ranges,
                ]
                .concat(),
            ),
            (
                "sobol",
                [
                    &[
                        "sensitivity",
                        "scenarios/knitting-cafe.toml",
                        "--method",
                        "sobol",
                    ][..],
                    &["--samples", "8"],
                    &ranges,
                ]
                .concat(),
            ),
        ];
        let mut dirs = Vec::new();
        for (name, args) in jobs {
            let dir = tmp.path().join(name);
            dugnad()
                .args(&args)
                .args(small)
                .arg("-o")
                .arg(&dir)
                .assert()
                .success();
            dirs.push(dir);
        }
        (tmp, dirs)
    })
}

/// The SVG files of a folder, by name, with their bytes.
fn svg_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn compare_and_sensitivity_folders_redraw_byte_for_byte() {
    let (_, dirs) = experiment_dirs();
    for dir in dirs {
        let drawn = svg_files(&dir.join("charts"));
        assert!(!drawn.is_empty(), "{}: no charts", dir.display());
        let out = scratch();
        dugnad()
            .arg("plot")
            .arg(dir)
            .args(["--format", "svg", "--quiet", "-o"])
            .arg(out.path())
            .assert()
            .success();
        let redrawn = svg_files(out.path());
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&redrawn),
            names(&drawn),
            "{}: the same charts",
            dir.display()
        );
        for ((name, a), (_, b)) in drawn.iter().zip(&redrawn) {
            assert!(
                a == b,
                "{}: {name} differs from the command's",
                dir.display()
            );
        }
    }
}

#[test]
fn compare_and_sensitivity_folders_redraw_in_place_and_as_figures() {
    let (_, dirs) = experiment_dirs();
    // In place: a copy without its charts (nor, for a sensitivity analysis, its report) gets
    // them back from `plot` as the command wrote them.
    for dir in dirs {
        let c = copy_of(dir);
        let report = std::fs::read(dir.join("report.html")).unwrap();
        std::fs::remove_dir_all(c.path().join("charts")).unwrap();
        if dir.ends_with("morris") || dir.ends_with("sobol") {
            std::fs::remove_file(c.path().join("report.html")).unwrap();
        }
        dugnad().arg("plot").arg(c.path()).assert().success();
        assert!(
            svg_files(&c.path().join("charts")) == svg_files(&dir.join("charts")),
            "{}: the charts differ from the command's",
            dir.display()
        );
        assert!(
            std::fs::read(c.path().join("report.html")).unwrap() == report,
            "{}: the report differs from the command's",
            dir.display()
        );
    }
    // In bokmål: a sensitivity analysis written in bokmål is redrawn in bokmål as it was
    // written, its report's sentences too.
    let tmp = scratch();
    let nb = tmp.path().join("nb");
    dugnad()
        .args([
            "sensitivity",
            "scenarios/knitting-cafe.toml",
            "--method",
            "morris",
        ])
        .args([
            "--trajectories",
            "2",
            "--range",
            "parameters.alpha1=0.1:0.8",
        ])
        .args([
            "--range",
            "activity.co_design=0:1",
            "--replicates",
            "2",
            "--weeks",
            "4",
        ])
        .args(["--quiet", "--lang", "nb", "-o"])
        .arg(&nb)
        .assert()
        .success();
    let report = std::fs::read(nb.join("report.html")).unwrap();
    let charts = svg_files(&nb.join("charts"));
    std::fs::remove_dir_all(nb.join("charts")).unwrap();
    std::fs::remove_file(nb.join("report.html")).unwrap();
    dugnad()
        .arg("plot")
        .arg(&nb)
        .args(["--lang", "nb"])
        .assert()
        .success();
    assert!(svg_files(&nb.join("charts")) == charts, "bokmål charts");
    assert!(
        std::fs::read(nb.join("report.html")).unwrap() == report,
        "the bokmål report differs from the command's"
    );
    // Figures: one chart by name, as PDF, untitled, in bokmål.
    let out = scratch();
    let file = out.path().join("forest.pdf");
    dugnad()
        .arg("plot")
        .arg(&dirs[0])
        .args(["--chart", "forest", "--format", "pdf", "-o"])
        .arg(&file)
        .assert()
        .success();
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    let svg = out.path().join("morris.svg");
    dugnad()
        .arg("plot")
        .arg(&dirs[1])
        .args([
            "--chart",
            "sensitivity-mean_agency-newcomers",
            "--format",
            "svg",
            "--lang",
            "nb",
            "--no-title",
            "-o",
        ])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    let en = std::fs::read_to_string(dirs[1].join("charts/sensitivity-mean_agency-newcomers.svg"))
        .unwrap();
    assert_ne!(
        text, en,
        "bokmål and untitled differ from the command's chart"
    );
    assert!(!text.contains("Morris"), "--no-title drops the title");
}

/// A copy of `src` (files and one level of folders) in a new scratch folder. (The shared
/// folders are only read: a test that redraws in place or breaks a file does it on a copy.)
fn copy_of(src: &Path) -> tempfile::TempDir {
    let copy = |from: &Path, to: &Path| {
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    };
    let tmp = scratch();
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        let to = tmp.path().join(p.file_name().unwrap());
        if p.is_dir() {
            std::fs::create_dir(&to).unwrap();
            for f in std::fs::read_dir(&p).unwrap() {
                let f = f.unwrap().path();
                copy(&f, &to.join(f.file_name().unwrap()));
            }
        } else {
            copy(&p, &to);
        }
    }
    tmp
}

/// Replaces the first `from` in `dir/file` by `to` (which must be there).
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} has {from}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// Why `plot` refuses a copy of `src` with the first `from` in `file` replaced by `to`.
fn refused_after_edit(src: &Path, file: &str, from: &str, to: &str) -> String {
    let c = copy_of(src);
    edit(c.path(), file, from, to);
    refused(c.path())
}

/// Why `plot` refuses a copy of `src` without its file `file`.
fn refused_without(src: &Path, file: &str) -> String {
    let c = copy_of(src);
    std::fs::remove_file(c.path().join(file)).unwrap();
    refused(c.path())
}

fn refused(dir: &Path) -> String {
    let e = dugnad()
        .arg("plot")
        .arg(dir)
        .args(["--format", "svg", "-o"])
        .arg(dir.join("figs"))
        .assert()
        .code(2);
    stderr_of(&e)
}

#[test]
fn broken_compare_and_sensitivity_folders_are_refused_naming_file_and_field() {
    let (_, dirs) = experiment_dirs();
    let (compare, morris) = (&dirs[0], &dirs[1]);
    for dir in [compare, morris] {
        // An older result format.
        let err = refused_after_edit(
            dir,
            "manifest.json",
            "\"format_version\": 2",
            "\"format_version\": 1",
        );
        assert!(err.contains("format 1") && err.contains("rerun"), "{err}");
    }
    // A compare without its table, or whose table names a design the manifest does not.
    let err = refused_without(compare, "comparison.csv");
    assert!(err.contains("comparison.csv"), "{err}");
    let err = refused_after_edit(compare, "comparison.csv", "\nfacil,", "\nfacill,");
    assert!(
        err.contains("comparison.csv") && err.contains("column `design`") && err.contains("facill"),
        "{err}"
    );
    let err = refused_after_edit(compare, "manifest.json", "\"baseline\"", "\"base\"");
    assert!(err.contains("manifest.json"), "{err}");
    // A sensitivity folder missing a point, a field, or incomplete.
    let err = refused_without(morris, "cells/cell-000002-replicates.csv");
    assert!(
        err.contains("cell-000002-replicates.csv") && err.contains("missing"),
        "{err}"
    );
    let err = refused_after_edit(
        morris,
        "manifest.json",
        "\"indicators\"",
        "\"indicator_list\"",
    );
    assert!(
        err.contains("manifest.json") && err.contains("`indicators`"),
        "{err}"
    );
    let err = refused_after_edit(
        morris,
        "manifest.json",
        "\"complete\": true",
        "\"complete\": false",
    );
    assert!(err.contains("`complete`") && err.contains("merge"), "{err}");
}
