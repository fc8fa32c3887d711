//! `retrace serve --index DIR`: the web UI and HTTP API over an index ([`retrace_serve`]).

use crate::args::ServeArgs;

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        anyhow::bail!("--timeout must be a number of seconds above 0 and at most 86400");
    }
    if args.max_connections == 0 || args.jobs == Some(0) || args.max_body == 0 {
        anyhow::bail!("--max-connections, --jobs and --max-body must be at least 1");
    }
    retrace_serve::run(retrace_serve::ServeConfig {
        index: args.index,
        addr: args.addr,
        max_body: args.max_body,
        threads: args.threads,
        timeout: args.timeout,
        jobs: args.jobs,
        max_connections: args.max_connections,
        allow_host: args.allow_host,
    })
}
