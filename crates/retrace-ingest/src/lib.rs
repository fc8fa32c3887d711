//! retrace-ingest (in progress).
