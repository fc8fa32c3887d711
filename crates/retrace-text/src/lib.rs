//! retrace stage 3 (in progress).
#![deny(missing_docs)]
pub mod facts;
