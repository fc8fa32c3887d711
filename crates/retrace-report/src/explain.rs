//! The change kinds as `retrace explain` lists them: one line each, the kind's name and the
//! first sentence of what it detects ([`summary`]). A kind's whole page is
//! [`ChangeKind::explain`], written as it is.

use std::fmt::Write;

use retrace_judge::ChangeKind;

/// Every change kind, a line each: its name in a column, then its [`summary`].
///
/// ```
/// let list = retrace_report::explain::list();
/// assert_eq!(list.lines().count(), retrace_judge::ChangeKind::ALL.len());
/// assert!(list.lines().all(|line| line.ends_with('.')));
/// ```
pub fn list() -> String {
    let mut out = String::new();
    for kind in ChangeKind::ALL {
        let _ = writeln!(out, "{:<20} {}", kind.as_str(), summary(kind.explain()));
    }
    out
}

/// The first sentence of a kind's "What it detects" section, whole, on one line (the section
/// is hard-wrapped; a sentence ends at a full stop before a capital letter or at the paragraph's
/// end, never inside brackets or quotation marks).
///
/// ```
/// use retrace_report::explain::summary;
/// let doc = "# x\n\n## What it detects\nOne thing, wrapped\nhere. Another.\n\n## Why\nNo.\n";
/// assert_eq!(summary(doc), "One thing, wrapped here.");
/// ```
pub fn summary(doc: &str) -> String {
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
