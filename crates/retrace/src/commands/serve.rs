//! `retrace serve --index DIR`: the web UI and HTTP API over an index ([`retrace_serve`]).

use crate::args::{ServeArgs, flag};

impl ServeArgs {
    /// The server's settings from the command line, checked.
    fn config(self) -> anyhow::Result<retrace_serve::ServeConfig> {
        let config = retrace_serve::ServeConfig {
            index: self.index,
            addr: self.addr,
            max_body: self.max_body,
            threads: self.threads,
            timeout: self.timeout,
            jobs: self.jobs,
            max_connections: self.max_connections,
            allow_host: self.allow_host,
        };
        config.check().map_err(flag)?;
        Ok(config)
    }
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    retrace_serve::run(args.config()?)
}
