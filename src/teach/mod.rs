//! Teaching: meeting transcripts (`dugnad trace`) and a classroom web page (`dugnad serve`).
//! Both read the engine's own event stream and the same scenario validation as `dugnad run`;
//! nothing here re-implements the model. See docs/teaching.md.

pub mod names;
pub mod serve;
pub mod trace;
