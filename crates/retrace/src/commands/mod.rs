//! One module per subcommand.

pub(crate) mod compare;
pub(crate) mod explain;
pub(crate) mod extract;
pub(crate) mod index;
pub(crate) mod model;
pub(crate) mod query;
pub(crate) mod scan;
pub(crate) mod serve;
