//! The command line (clap derive): doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// dugnad: simulate how volunteers and immigrant participants interact in voluntary integration
/// activities (knitting cafés, language cafés, tours, community work), and how an activity's
/// design shapes participants' agency, their minoritization, social ties and volunteer retention.
#[derive(Debug, Parser)]
#[command(name = "dugnad", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario: many replicates in parallel; writes timeseries.csv, summary.csv,
    /// final.csv, manifest.json, charts and report.html to output/<name>/.
    Run(RunCmd),
    /// Validate a scenario and print it fully resolved, with every default filled in.
    Check(CheckCmd),
    /// Print the JSON Schema of the scenario file format (for editors).
    Schema,
    /// Print every model parameter with its default, range, meaning and where it is inactive;
    /// with --mechanisms, the mechanism switches of `[mechanisms]` instead.
    Params(ParamsCmd),
    /// Print every indicator with its lenses, unit, range, direction, meaning and formula.
    Indicators(IndicatorsCmd),
    /// Redraw the charts of a finished run, compare, sweep, sensitivity analysis or fit from its
    /// files: in place, or with --format png|svg|pdf, --width, --height, --dpi, --no-title,
    /// --lang as figures for a paper.
    Plot(PlotCmd),
    /// Print the calibration figures (attrition, interruption odds ratio, language growth)
    /// that docs/calibration.md reports, computed on a calibration scenario.
    Calibrate(CalibrateCmd),
    /// Run the ablation matrix: every stylized fact intact and with the mechanisms it rests on
    /// switched off, on common random numbers; prints the table and writes validation.csv and
    /// manifest.json to output/validation/ (docs/calibration.md). Exits with 1 if a fact fails
    /// intact or survives its ablation.
    Validate(ValidateCmd),
    /// Print one week of one group as a readable meeting transcript (for teaching).
    ///
    /// By default the first week in which the group met; --find usurp|subtype|limbo|door|step-up
    /// jumps to the first week where that happens. Who took the floor, who hesitated, who
    /// finished whose sentence, which help was given and how, the agenda, and how views and
    /// agency moved; rendered from the engine's own event stream (same seed, same transcript).
    /// See docs/teaching.md.
    Trace(TraceCmd),
    /// Serve the classroom page: two designs side by side, live charts, a meeting replay.
    ///
    /// Sliders for the design and the people of two designs run on the same seed, charts that
    /// follow them, a replay of any meeting, and the settings as a scenario file to download.
    /// Listens on 127.0.0.1 unless --host says otherwise. See docs/teaching.md.
    Serve(ServeCmd),
    /// Compare designs on common random numbers (the same replicate seeds): per indicator each
    /// design's mean and CI and the paired difference to the baseline with a 95 % CI and Cohen's
    /// d_z; writes comparison.csv, charts/forest.png, report.html, manifest.json.
    Compare(CompareCmd),
    /// Sweep parameters over a grid (--vary) or a sample (--sample lhs:N|sobol:N --range):
    /// resumable cell by cell, shardable (--shard I/N); writes sweep.csv, cells/, charts.
    Sweep(SweepCmd),
    /// Merge the folders of a sharded sweep into one result, identical to the unsharded sweep.
    Merge(MergeCmd),
    /// Global sensitivity analysis (Morris or Sobol) of chosen assumptions on agency and
    /// minoritization indicators: resumable point by point, shardable (--shard I/N); writes
    /// sensitivity.csv, noise.csv, points.csv, charts, report.html (docs/sensitivity.md).
    Sensitivity(SensitivityCmd),
    /// Fit the model to a pilot's own data by ABC-SMC: priors from the scenario's [fit] table,
    /// observed values from --data (week,lens,indicator,value[,sd|n]); resumable generation by
    /// generation, shardable (--shard I/N); writes posterior.csv, fit.csv, parameters.csv,
    /// predictive.csv, charts and report.html (docs/fitting.md).
    Fit(FitCmd),
    /// Time the simulation core on a benchmark scenario, on one thread and on all cores: turns
    /// per second per core, ns per turn, group-weeks and replicates per second, parallel
    /// speed-up and efficiency, peak memory (docs/performance.md).
    Bench(BenchCmd),
}

/// Flags shared by every command that runs the model.
#[derive(Debug, Clone, Args, Default)]
pub struct RunArgs {
    /// Number of replicates (overrides scenario.replicates).
    #[arg(long, value_name = "N")]
    pub replicates: Option<u32>,
    /// Number of weeks (overrides scenario.weeks).
    #[arg(long, value_name = "N")]
    pub weeks: Option<u32>,
    /// Base random seed (overrides scenario.seed).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = crate::limits::parse_threads)]
    pub threads: Option<usize>,
    /// Override any scenario value by dotted path with a TOML value, e.g.
    /// --set activity.co_design=0.6 --set 'population.newcomers.language={beta=[2,2]}'.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Change a value from the start of a week on, as a [[schedule]] entry would, e.g.
    /// --at 26:activity.co_design=0.6 (any KEY --set takes but scenario.*).
    #[arg(long = "at", value_name = "WEEK:KEY=VALUE")]
    pub at: Vec<String>,
    /// Output folder (default: output/<scenario name>/).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar or summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Flags shared by every command that writes a report: whether to draw it, and in which
/// language.
#[derive(Debug, Clone, Args, Default)]
pub struct ReportArgs {
    /// Skip charts and report.html.
    #[arg(long)]
    pub no_charts: bool,
    /// Language of the report, its charts and the command's terminal summary: en (default) or
    /// nb (Norwegian bokmål); when not given, the DUGNAD_LANG environment variable, if set.
    /// The CSVs and the manifest are the same in every language.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,
}

impl ReportArgs {
    /// The language asked for ([`resolve_lang`]).
    pub fn lang(&self) -> Result<crate::lang::Lang, String> {
        resolve_lang(self.lang)
    }
}

impl RunArgs {
    /// The flag that gave the scenario value at `path` when a flag did (`--weeks` for
    /// `scenario.weeks`, ...): the flags are applied after `--set`, so a flag given wins.
    pub fn flag_for(&self, path: &str) -> Option<&'static str> {
        match path {
            "scenario.replicates" if self.replicates.is_some() => Some("--replicates"),
            "scenario.weeks" if self.weeks.is_some() => Some("--weeks"),
            "scenario.seed" if self.seed.is_some() => Some("--seed"),
            _ => None,
        }
    }

    /// The --set list with --replicates/--weeks/--seed folded in as overrides, then the --at
    /// changes (as `WEEK:KEY=VALUE`, which `scenario::overrides` applies to the schedule).
    pub fn overrides(&self) -> Vec<String> {
        let mut v = self.set.clone();
        if let Some(r) = self.replicates {
            v.push(format!("scenario.replicates={r}"));
        }
        if let Some(w) = self.weeks {
            v.push(format!("scenario.weeks={w}"));
        }
        if let Some(s) = self.seed {
            v.push(format!("scenario.seed={s}"));
        }
        v.extend(self.at.iter().cloned());
        v
    }
}

#[derive(Debug, Args, Default)]
pub struct RunCmd {
    /// Scenario file (TOML), e.g. scenarios/knitting-cafe.toml.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Also write groups.csv: indicators per group (pooled over replicates).
    #[arg(long)]
    pub per_group: bool,
    /// Also write replicates.csv: every replicate's weekly series.
    #[arg(long)]
    pub keep_replicates: bool,
    /// Also write agents.csv (every person: role, class, origin, attributes, agency, language,
    /// belonging, perceived vs true competence, limbo, transitions) and ties.csv (every tie:
    /// type, strength), for every replicate and group, at the final week and at
    /// --snapshot-weeks.
    #[arg(long)]
    pub agents: bool,
    /// Weeks besides the final one at whose end --agents and --network are written, e.g. 26,52.
    #[arg(long, value_name = "WEEKS", value_delimiter = ',')]
    pub snapshot_weeks: Vec<u32>,
    /// Also write the networks of ties: graphml writes network-rRRRR-wWWWW.graphml, one
    /// GraphML graph per replicate and snapshot week (every group a component; opens in Gephi,
    /// igraph and networkx).
    #[arg(long, value_name = "FORMAT", value_parser = ["graphml"])]
    pub network: Option<String>,
    /// Draw each replicate's values of the fitted parameters from the posterior of a finished
    /// `dugnad fit` folder (docs/fitting.md).
    #[arg(long, value_name = "DIR")]
    pub posterior: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckCmd {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Override values by dotted path before checking (as for `run`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Change a value from the start of a week on (as for `run`), e.g. --at 26:activity.co_design=0.6.
    #[arg(long = "at", value_name = "WEEK:KEY=VALUE")]
    pub at: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ParamsCmd {
    /// Print as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Print as a Markdown table.
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
    /// List the mechanism switches (`[mechanisms]`, for ablation) instead of the parameters.
    #[arg(long)]
    pub mechanisms: bool,
}

#[derive(Debug, Args)]
pub struct ValidateCmd {
    /// Replicates per arm of each comparison (the one-meeting focus group runs ten times as
    /// many).
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub replicates: u32,
    /// Seed of the common random numbers.
    #[arg(long, value_name = "S", default_value_t = 2019)]
    pub seed: u64,
    /// Only these facts (repeatable), e.g. --fact 1a --fact 5d.
    #[arg(long, value_name = "ID")]
    pub fact: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = crate::limits::parse_threads)]
    pub threads: Option<usize>,
    /// Output folder (default: output/validation/).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
    /// Print the table as Markdown (for docs/calibration.md) instead of text.
    #[arg(long)]
    pub markdown: bool,
    /// No progress on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct IndicatorsCmd {
    /// Print as the Markdown reference of docs/indicators.md.
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct PlotCmd {
    /// A result folder written by `dugnad run`, `compare`, `sweep`, `sensitivity` or `fit`.
    pub dir: PathBuf,
    /// Only this chart (repeatable), by its file name without extension, e.g. --chart
    /// trajectories --chart heatmap; an unknown name lists the folder's charts.
    #[arg(long, value_name = "NAME")]
    pub chart: Vec<String>,
    /// Write figures in this format (default png), into -o or DIR/figures/, instead of redrawing
    /// the folder's charts in place.
    #[arg(long, value_enum)]
    pub format: Option<FigureFormat>,
    /// Width in pixels (the height follows in proportion unless --height is given).
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(1..=20_000))]
    pub width: Option<u32>,
    /// Height in pixels (the width follows in proportion unless --width is given).
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(1..=20_000))]
    pub height: Option<u32>,
    /// Resolution in pixels per inch: recorded in a PNG, sets a PDF's page size (default 96).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=2_400))]
    pub dpi: Option<u32>,
    /// Leave out each chart's title and subtitle (a paper's caption says it).
    #[arg(long)]
    pub no_title: bool,
    /// Language of the charts' words: en (default) or nb (Norwegian bokmål).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,
    /// Where the figures go: a folder, or with one --chart a file with the format's extension
    /// (default: DIR/figures/).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace existing figure files.
    #[arg(long)]
    pub force: bool,
    /// Do not list the files written.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The file format of `dugnad plot`'s figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FigureFormat {
    Png,
    Svg,
    Pdf,
}

impl FigureFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            FigureFormat::Png => "png",
            FigureFormat::Svg => "svg",
            FigureFormat::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Args)]
#[command(
    mut_arg("output", |a| a.hide(true)),
    mut_arg("force", |a| a.hide(true)),
    mut_arg("quiet", |a| a.hide(true))
)]
pub struct CalibrateCmd {
    /// Calibration scenario.
    #[arg(default_value = "scenarios/calibration.toml")]
    pub scenario: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Output format of `dugnad trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TraceFormat {
    /// A readable transcript.
    Text,
    /// The week's events as a JSON array, persons named.
    Json,
}

/// What `dugnad trace --find` looks for: the first meeting where it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TraceFind {
    /// Someone finishes another person's sentence ("speaking for").
    Usurp,
    /// A host first counts a participant as an exception to the stereotype (subtyping).
    Subtype,
    /// Someone is in limbo at the end of the week: a valued exception who is not "us".
    Limbo,
    /// A door opens: a participant finds housing or a job through a contact.
    Door,
    /// Someone steps up: a participant becomes a co-organizer, a co-organizer a volunteer.
    StepUp,
}

// `trace` reads the scenario flags of `run` (--weeks, --seed, --set) but writes no folder and
// shows one replicate: -o, --force and --replicates are refused and not shown in --help;
// --threads and --quiet have nothing to act on and are hidden.
#[derive(Debug, Args)]
#[command(
    mut_arg("output", |a| a.hide(true)),
    mut_arg("force", |a| a.hide(true)),
    mut_arg("replicates", |a| a.hide(true)),
    mut_arg("threads", |a| a.hide(true)),
    mut_arg("quiet", |a| a.hide(true))
)]
pub struct TraceCmd {
    /// Scenario file (TOML), e.g. scenarios/knitting-cafe.toml.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    /// Replicate to show (0-based; replicate R is replicate R of `dugnad run` on the same seed).
    #[arg(long, value_name = "R", default_value_t = 0)]
    pub replicate: u64,
    /// Week to show (1-based; weeks 1..W are simulated, week W is shown). Default: the first
    /// week in which the group met. With --find: search from this week on.
    #[arg(long, value_name = "W")]
    pub week: Option<u32>,
    /// Group to show: an index over all groups of the scenario (from 0), or KEY:INDEX for a
    /// keyed design, e.g. --group knitting:2. Default: group 0; with --find, the group where
    /// it happens first (earliest week, then lowest group).
    #[arg(long, value_name = "G")]
    pub group: Option<String>,
    /// Show the first week in which this happens (from --week on): usurp, subtype, limbo,
    /// door, step-up. When it never happens, says so on stderr and exits with code 3.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub find: Option<TraceFind>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
    /// Language of the transcript: en (default) or nb (Norwegian bokmål); when not given, the
    /// DUGNAD_LANG environment variable, if set. The JSON's kinds and numbers are the same in
    /// every language; only its labels are translated.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,
}

#[derive(Debug, Args)]
pub struct ServeCmd {
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, value_name = "P", default_value_t = 8750)]
    pub port: u16,
    /// Address to listen on. The default serves this computer only; pass --host 0.0.0.0 to
    /// let other computers on the network open the page.
    #[arg(long, value_name = "H", default_value = "127.0.0.1")]
    pub host: String,
    /// Worker threads answering requests.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub workers: usize,
    /// Language the page opens in: en or nb (the page has a switch too).
    #[arg(long, value_name = "CODE", default_value = "en")]
    pub lang: crate::lang::Lang,
}

#[derive(Debug, Args, Default)]
#[command(mut_arg("output", |a| a.help(
    "Output folder (default: output/compare-A-vs-B/, from the design names in order)"
)))]
pub struct CompareCmd {
    /// Scenario files; the first is the baseline unless --baseline, and fixes seed, replicates
    /// and weeks for all (unless the flags do).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// A variant of the first file: 'NAME: KEY=VALUE, KEY=VALUE' (repeatable), e.g.
    /// --variant 'cafe-codesign: activity.co_design=0.7, activity.facilitation=0.5'.
    #[arg(long, value_name = "NAME: KEY=VALUE,...")]
    pub variant: Vec<String>,
    /// The design the others are compared with (a scenario or variant name; default: the first).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// Which per-replicate value to compare.
    #[arg(long, default_value = "final_week", value_parser = ["final_week", "run_mean"])]
    pub scope: String,
    /// Adaptive replication: add replicates until the 95 % CI half-width of every paired
    /// difference in --indicator is below W.
    #[arg(long, value_name = "W", requires = "indicator")]
    pub target_ci: Option<f64>,
    /// The indicator --target-ci applies to, e.g. voice_parity.
    #[arg(long, value_name = "NAME", requires = "target_ci")]
    pub indicator: Option<String>,
    /// Whose figures the summary, the forest plot and --target-ci are about: a lens such as
    /// newcomers (default), local_participants, all, newcomers|gender=woman; volunteer
    /// indicators fall back to all when no lens is given. comparison.csv has every lens.
    #[arg(long, value_name = "LENS")]
    pub lens: Option<String>,
    /// Most replicates per design adaptive replication may run.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_replicates: u64,
    /// Replicates added per step of adaptive replication (fixed, so the thread count never
    /// changes the result).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub batch: u64,
    /// Draw each replicate's values of the fitted parameters from the posterior of a finished
    /// `dugnad fit` folder; replicate r of every design uses the same draw.
    #[arg(long, value_name = "DIR")]
    pub posterior: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args, Default)]
#[command(mut_arg("output", |a| a.help("Output folder (default: output/sweep-<scenario name>/)")))]
pub struct SweepCmd {
    /// Scenario file (TOML); may declare the sweep in a [sweep] table (flags override it).
    pub scenario: PathBuf,
    /// A grid axis: KEY=v1,v2,... or KEY=lo:hi:step (hi included); several make a full
    /// factorial, the first varying slowest.
    #[arg(long, value_name = "KEY=VALUES")]
    pub vary: Vec<String>,
    /// Sample the --range box instead of a grid: lhs:N (Latin hypercube) or sobol:N.
    #[arg(long, value_name = "lhs:N|sobol:N")]
    pub sample: Option<String>,
    /// A sampled parameter's range: KEY=lo:hi (integers when both are integers).
    #[arg(long, value_name = "KEY=LO:HI")]
    pub range: Vec<String>,
    /// Run only shard I of N (0-based): the cells c with c mod N = I.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Which per-replicate value each cell summarizes.
    #[arg(long, default_value = "final_week", value_parser = ["final_week", "run_mean"])]
    pub scope: String,
    /// Also write sweep-replicates.csv: every cell's per-replicate values.
    #[arg(long)]
    pub keep_replicates: bool,
    /// Whose figures the charts show: a lens such as newcomers (default), local_participants,
    /// all; volunteer indicators fall back to all. sweep.csv has every lens.
    #[arg(long, value_name = "LENS")]
    pub lens: Option<String>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct MergeCmd {
    /// Shard folders written by `dugnad sweep --shard I/N`.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder of the merged sweep.
    #[arg(short = 'o', long = "output", value_name = "DIR", required = true)]
    pub output: PathBuf,
    /// Replace an existing output folder.
    #[arg(long)]
    pub force: bool,
    /// No summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("output", |a| a.hide(true)),
    mut_arg("force", |a| a.hide(true))
)]
pub struct BenchCmd {
    /// Benchmark scenario; size it so that one single-thread run takes seconds.
    #[arg(default_value = "scenarios/bench.toml")]
    pub scenario: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    /// Timed runs of each configuration (1 thread, all cores), interleaved; the best is reported.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub repeats: usize,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Exit with an error when a target (≤ 25 ns per turn on one thread, ≥ 95 % parallel
    /// efficiency from 1 to 2 threads) is missed.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args, Default)]
#[command(mut_arg("output", |a| a.help(
    "Output folder (default: output/sensitivity-<scenario name>-<method>/)"
)))]
pub struct SensitivityCmd {
    /// Scenario file (TOML), e.g. scenarios/knitting-cafe.toml.
    pub scenario: PathBuf,
    /// Morris elementary effects (screening, cheap) or Sobol indices (variance shares).
    #[arg(long, default_value = "morris", value_parser = ["morris", "sobol"])]
    pub method: String,
    /// A factor and its range: KEY=lo:hi for any numeric dotted path (repeatable), e.g.
    /// --range population.volunteers.withdrawal_propensity=0.1:0.5.
    #[arg(long, value_name = "KEY=LO:HI")]
    pub range: Vec<String>,
    /// Every model parameter (`dugnad params`) over its plausible range, as parameters.<name>.
    #[arg(long)]
    pub all_params: bool,
    /// Morris: number of trajectories R (points: R·(k+1)).
    #[arg(long, value_name = "R", default_value_t = 10)]
    pub trajectories: usize,
    /// Morris: number of grid levels p (even).
    #[arg(long, value_name = "P", default_value_t = 4)]
    pub levels: usize,
    /// Sobol: base sample size N, ideally a power of two (points: N·(k+2)).
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub samples: usize,
    /// Indicator to analyse (repeatable; default: mean_agency, minoritization_index,
    /// agency_index, voice_parity, dependency_help_share, annual_attrition).
    #[arg(long, value_name = "NAME")]
    pub indicator: Vec<String>,
    /// Whose figures are analysed: a lens such as newcomers (default), local_participants,
    /// all; volunteer indicators fall back to all when no lens is given.
    #[arg(long, value_name = "LENS")]
    pub lens: Option<String>,
    /// Which per-replicate value is the output.
    #[arg(long, default_value = "final_week", value_parser = ["final_week", "run_mean"])]
    pub scope: String,
    /// Run only shard I of N (0-based): the points p with p mod N = I.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

// `fit` simulates one replicate per proposal: --replicates is refused and not shown in --help.
#[derive(Debug, Args)]
#[command(
    mut_arg("replicates", |a| a.hide(true)),
    mut_arg("output", |a| a.help("Output folder (default: output/fit-<scenario name>/)"))
)]
pub struct FitCmd {
    /// Scenario file (TOML) with a [fit] table: the priors of the values to estimate.
    pub scenario: PathBuf,
    /// Observed data: CSV with columns week,lens,indicator,value and optionally sd or n
    /// (template: scenarios/observed-template.csv).
    #[arg(long, value_name = "CSV")]
    pub data: PathBuf,
    /// Particles per generation (overrides [fit] particles).
    #[arg(long, value_name = "N")]
    pub particles: Option<u32>,
    /// Most generations, the prior's included (overrides [fit] generations).
    #[arg(long, value_name = "G")]
    pub generations: Option<u32>,
    /// Stop after a generation accepting a smaller share of its proposals (overrides [fit]
    /// min_acceptance).
    #[arg(long, value_name = "A")]
    pub min_acceptance: Option<f64>,
    /// Most simulations in all (overrides [fit] max_simulations).
    #[arg(long, value_name = "N")]
    pub max_simulations: Option<u64>,
    /// Run only shard I of N (0-based) of every round of proposals, all shards writing into the
    /// same folder (-o on a shared file system); each waits for the others between rounds.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// With --shard: stop instead of waiting when the other shards have not finished a round
    /// (run the command again to continue).
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// The language of a command's report and summary: `--lang` when given, else the
/// `DUGNAD_LANG` environment variable when set (and not empty), else English.
pub fn resolve_lang(flag: Option<crate::lang::Lang>) -> Result<crate::lang::Lang, String> {
    if let Some(l) = flag {
        return Ok(l);
    }
    match std::env::var("DUGNAD_LANG") {
        Ok(v) if !v.trim().is_empty() => v
            .parse()
            .map_err(|e: crate::lang::UnknownLang| format!("DUGNAD_LANG: {e}")),
        _ => Ok(crate::lang::Lang::En),
    }
}
