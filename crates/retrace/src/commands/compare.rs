//! `retrace compare A B`.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use retrace_engine::Engine;
use retrace_report::terminal::{TerminalOptions, decoding_note};

use crate::args::{ColorChoice, CompareArgs};

/// Validated settings of one compare run.
struct CompareConfig {
    a: String,
    b: String,
    json: bool,
    html: Option<std::path::PathBuf>,
    semantic: bool,
    terminal: TerminalOptions,
    options: retrace_ingest::Options,
}

impl CompareArgs {
    fn into_config(self) -> anyhow::Result<CompareConfig> {
        if self.a == "-" && self.b == "-" {
            anyhow::bail!("both articles are '-': at most one can come from standard input");
        }
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        let options = self.input.options()?;
        Ok(CompareConfig {
            options,
            a: self.a,
            b: self.b,
            json: self.json,
            html: self.html,
            semantic: !self.no_model,
            terminal: TerminalOptions {
                color,
                width: 100,
                alignment: !self.brief,
            },
        })
    }
}

#[cfg(feature = "embed")]
fn engine(semantic: bool) -> anyhow::Result<Engine> {
    if !semantic {
        return Ok(Engine::lexical());
    }
    match retrace_embed::Embedder::discover()? {
        Some(embedder) => Ok(Engine::with_embedder(embedder)),
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "retrace: semantic model not installed; aligning lexically (run 'retrace model install')"
            );
            Ok(Engine::lexical())
        }
    }
}

#[cfg(not(feature = "embed"))]
fn engine(_semantic: bool) -> anyhow::Result<Engine> {
    Ok(Engine::lexical())
}

pub(crate) fn run(args: CompareArgs) -> anyhow::Result<()> {
    let config = args.into_config()?;
    // Read both inputs before loading the model: a bad path should fail fast.
    let raw_a = retrace_ingest::read_one(&config.a, &config.options)?;
    let raw_b = retrace_ingest::read_one(&config.b, &config.options)?;
    // Spans of a transcoded input index the decoded text, not the bytes on disk.
    for note in [&raw_a, &raw_b].into_iter().filter_map(decoding_note) {
        crate::tally::warn(format_args!("retrace: {note}"));
    }
    let engine = engine(config.semantic)?;
    let compared = engine.compare(&raw_a, &raw_b)?;
    let report = compared.report(&raw_a.text, &raw_b.text);

    let mut out = std::io::stdout().lock();
    if config.json {
        let json = retrace_report::json::CompareJson::new(&report);
        out.write_all(json.to_pretty().as_bytes())?;
    } else {
        out.write_all(retrace_report::terminal::render(&report, &config.terminal).as_bytes())?;
    }
    if let Some(path) = &config.html {
        let html = retrace_report::html::render(&report);
        std::fs::write(path, html)
            .with_context(|| format!("cannot write the HTML report to {}", path.display()))?;
    }
    out.flush()?;
    Ok(())
}
