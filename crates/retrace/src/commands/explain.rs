//! `retrace explain`: the documentation of change kinds.

use std::io::Write;

use anyhow::bail;
use retrace_judge::ChangeKind;

use crate::args::ExplainArgs;

pub(crate) fn run(args: ExplainArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match args.kind {
        Some(name) => {
            let Some(kind) = ChangeKind::from_name(&name) else {
                let names: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
                bail!(
                    "unknown change kind '{name}'; the kinds are: {}",
                    names.join(", ")
                );
            };
            out.write_all(kind.explain().as_bytes())?;
        }
        None => out.write_all(retrace_report::explain::list().as_bytes())?,
    }
    Ok(())
}
