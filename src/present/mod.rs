//! Presentation: the charts and HTML reports of run, compare, sweep and sensitivity, drawn from
//! the results (a run's and a sweep's from their written files, so `dugnad plot` and `merge`
//! redraw them).
//!
//! - [`style`]: the one style: palette (Okabe–Ito, one fixed colour per role), fonts and sizes,
//!   number formats of axes, the reports' style sheets;
//! - [`chart`]: a [`chart::Chart`] is drawn by one function on any backend and written as SVG
//!   and PNG, each atomically;
//! - [`html`]: escaping, sanitized inline SVG, page shells;
//! - [`meta`]: what each indicator means, in words and units;
//! - [`run`], [`compare`], [`sweep`], [`sensitivity`], [`fit`]: the charts and report of each result;
//! - [`scatter`]: what each parameter of a sweep does (scatter with binned means and CIs, and
//!   a ranking of the parameters by standardized regression coefficient);
//! - [`reports`]: the `report.html` of a comparison, a sweep and a sensitivity analysis.
//!
//! Every word of a report comes from the language catalogue (`crate::lang`).
//!
//! Text is rendered with the bundled DejaVu Sans (`assets/fonts/`), never a system font.

pub mod chart;
pub mod compare;
pub mod fit;
pub mod html;
pub mod layout;
pub mod meta;
pub mod reports;
pub mod run;
pub mod scatter;
pub mod sensitivity;
pub mod style;
pub mod sweep;
