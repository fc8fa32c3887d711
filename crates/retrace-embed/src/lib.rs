//! retrace-embed (in progress).
