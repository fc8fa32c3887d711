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
        None => {
            for kind in ChangeKind::ALL {
                let summary = summary(kind.explain());
                writeln!(out, "{:<20} {summary}", kind.as_str())?;
            }
        }
    }
    Ok(())
}

/// The first sentence of a kind's "What it detects" section, whole, on one line (the section
/// is hard-wrapped; a sentence ends at a full stop before a capital letter or at the paragraph's
/// end, never inside brackets or quotation marks).
fn summary(doc: &str) -> String {
    let paragraph: Vec<&str> = doc
        .split("## What it detects")
        .nth(1)
        .unwrap_or("")
        .trim()
        .lines()
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(str::trim)
        .collect();
    let paragraph = paragraph.join(" ");
    let mut depth = 0i32;
    let mut quoted = false;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for (n, &(at, c)) in chars.iter().enumerate() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '"' => quoted = !quoted,
            '.' if depth <= 0 && !quoted => {
                let next = chars.get(n + 1).map(|&(_, c)| c);
                let after = chars.get(n + 2).map(|&(_, c)| c);
                if next == Some(' ') && after.is_some_and(char::is_uppercase) {
                    return paragraph[..=at].to_owned();
                }
            }
            _ => {}
        }
    }
    paragraph
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn the_summary_is_the_first_whole_sentence() {
        let doc = "# x\n\n## What it detects\nA caveat (\"about 50. Or so\") and e.g. this\n\
                   wraps here. Second sentence.\n\n## Why it matters\nNo.\n";
        assert_eq!(
            summary(doc),
            "A caveat (\"about 50. Or so\") and e.g. this wraps here."
        );
    }

    #[test]
    fn every_kind_has_a_summary_that_ends_a_sentence() {
        for kind in retrace_judge::ChangeKind::ALL {
            let line = summary(kind.explain());
            assert!(line.ends_with('.'), "{}: {line}", kind.as_str());
            assert!(line.len() > 20, "{}: {line}", kind.as_str());
        }
    }
}
