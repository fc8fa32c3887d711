//! The `retrace` command.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "terminal front end"
)]
#![allow(
    rustdoc::bare_urls,
    reason = "the argument docs are clap's --help text, read on a terminal, not in rustdoc"
)]

mod args;
mod commands;
mod progress;
mod tally;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: scans allocate and free many small strings on
/// every thread, and glibc's per-thread arenas keep what was freed (a 100k-document scan held
/// 850 MB after reading with glibc malloc; see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Compare(args) => commands::compare::run(args),
        args::Command::Extract(args) => commands::extract::run(args),
        args::Command::Scan(args) => commands::scan::run(args),
        args::Command::Index(command) => commands::index::run(command),
        args::Command::Query(args) => commands::query::run(args),
        args::Command::Serve(args) => commands::serve::run(args),
        args::Command::Explain(args) => commands::explain::run(args),
        args::Command::Model(command) => commands::model::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `retrace compare … | head` closing the pipe is not a failure.
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            // Messages quote inputs (paths, headers, titles): never let them drive the terminal.
            let shown = |text: String| retrace_report::terminal::printable(&text).into_owned();
            let _ = writeln!(stderr, "retrace: {}", shown(err.to_string()));
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {}", shown(cause.to_string()));
            }
            if let Some(hint) = hint(&err) {
                let _ = writeln!(stderr, "  to fix: {}", shown(hint));
            }
            ExitCode::from(2)
        }
    }
}

/// What to run about an error, in this command's words: the libraries' errors say what is wrong
/// and what to do in general, the command names its own subcommand and flags.
fn hint(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(err) = cause.downcast_ref::<retrace_index::Error>() {
            let dir = |path: &std::path::Path| {
                path.parent()
                    .unwrap_or(std::path::Path::new("."))
                    .display()
                    .to_string()
            };
            return match err {
                retrace_index::Error::Missing { path } => Some(format!(
                    "create it with 'retrace index add PATH... --index {}'",
                    dir(path)
                )),
                retrace_index::Error::Version { .. } => Some(
                    "rebuild it with 'retrace index add PATH... --index NEW-FOLDER'".to_string(),
                ),
                retrace_index::Error::Corrupt { path, .. } => {
                    Some(format!("run 'retrace index check --index {}'", dir(path)))
                }
                _ => None,
            };
        }
        #[cfg(feature = "embed")]
        if let Some(err) = cause.downcast_ref::<retrace_embed::Error>() {
            return match err {
                retrace_embed::Error::MissingFile { .. }
                | retrace_embed::Error::Config { .. }
                | retrace_embed::Error::Tokenizer { .. }
                | retrace_embed::Error::Weights { .. } => {
                    Some("run 'retrace model install' (or set RETRACE_MODEL)".to_string())
                }
                _ => None,
            };
        }
    }
    None
}
