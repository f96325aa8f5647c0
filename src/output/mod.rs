//! Output: the only I/O of a run's data. Results are [`table::Table`]s written in every
//! registered format ([`formats`]; CSV today), with a [`manifest`], into a result folder that is
//! written aside and renamed into place ([`atomic`]). Charts and reports are drawn from the
//! written files by `present`.

pub mod agents;
pub mod atomic;
pub mod codebook;
pub mod csv;
pub mod export;
pub mod formats;
pub mod manifest;
pub mod markdown;
pub mod number;
pub mod run;
pub mod table;
