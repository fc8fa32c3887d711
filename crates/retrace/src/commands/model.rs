//! `retrace model`: install and locate the semantic sentence model.

use crate::args::ModelCommand;

#[cfg(feature = "embed")]
pub(crate) fn run(command: ModelCommand) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match command {
        ModelCommand::Install { dir } => {
            let dir = match dir {
                Some(dir) => dir,
                None => retrace_embed::default_model_dir().context(
                    "cannot tell where to install the model: neither XDG_DATA_HOME nor HOME is set; pass --dir",
                )?,
            };
            retrace_embed::install(&dir)?;
            let embedder = retrace_embed::Embedder::load(&dir)?;
            writeln!(
                out,
                "installed all-MiniLM-L6-v2 in {}",
                embedder.dir().display()
            )?;
            if std::env::var_os("RETRACE_MODEL").is_none()
                && retrace_embed::default_model_dir().as_deref() != Some(dir.as_path())
            {
                writeln!(
                    out,
                    "set RETRACE_MODEL={} so that retrace finds it",
                    dir.display()
                )?;
            }
        }
        ModelCommand::Status => match retrace_embed::Embedder::discover()? {
            Some(embedder) => writeln!(out, "model loads from {}", embedder.dir().display())?,
            None => writeln!(
                out,
                "no model installed (looked in {}); run 'retrace model install'",
                retrace_embed::default_model_dir().map_or_else(
                    || "nowhere: HOME is unset".to_owned(),
                    |d| d.display().to_string()
                )
            )?,
        },
    }
    Ok(())
}

#[cfg(not(feature = "embed"))]
pub(crate) fn run(_command: ModelCommand) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build of retrace has no semantic model support; rebuild with the 'embed' feature"
    )
}
