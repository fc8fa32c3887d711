//! retrace-extract (in progress).
