//! The terminal summary of a compared pair, and the note on an input's decoding said before it
//! ([`decoding_note`]).
//!
//! Layout: a verdict block (relation, source, confidence, coverage), the typed changes with the
//! lines they point to, then the alignment, one aligned group per entry with both texts. Long
//! texts are clipped to the terminal width given.

use std::fmt::Write;

use retrace_align::PairKind;
use retrace_ingest::RawDoc;
use retrace_judge::{Relation, Side};

use crate::{PairReport, ReportDoc};

/// Options of the terminal summary.
#[derive(Clone, Debug)]
pub struct TerminalOptions {
    /// Use ANSI colours [default: false].
    pub color: bool,
    /// Width to clip quoted text to [default: 100].
    pub width: usize,
    /// Print every aligned group; otherwise only the counts [default: true].
    pub alignment: bool,
}

impl Default for TerminalOptions {
    fn default() -> TerminalOptions {
        TerminalOptions {
            color: false,
            width: 100,
            alignment: true,
        }
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn red(&self, text: &str) -> String {
        self.wrap("31", text)
    }
    fn green(&self, text: &str) -> String {
        self.wrap("32", text)
    }
    fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }
}

/// `text` safe to write to a terminal: control characters (C0 but tab and newline, DEL, C1)
/// and the bidirectional overrides that reorder what a reader sees are written as escapes
/// (`\x1b`, `\u{202e}`), so that an input's ESC or OSC sequence (a title that sets the
/// window title, clears the screen or hides text) is shown, never obeyed. Everything the
/// terminal output quotes from inputs goes through here.
///
/// ```
/// use retrace_report::terminal::printable;
/// assert_eq!(printable("a\u{1b}]0;pwned\u{7}b"), "a\\x1b]0;pwned\\x07b");
/// assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
/// ```
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    }
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A writer of terminal text that passes everything through [`printable`]: for output that
/// quotes inputs piece by piece (origins, titles), so that none of them drives the terminal.
/// Bytes that are not UTF-8 go through as they are.
///
/// ```
/// use std::io::Write;
/// let mut out = retrace_report::terminal::Escaped(Vec::new());
/// write!(out, "title: {}", "a\u{1b}[2Jb").unwrap();
/// assert_eq!(out.0, b"title: a\\x1b[2Jb");
/// ```
#[derive(Debug)]
pub struct Escaped<W: std::io::Write>(pub W);

impl<W: std::io::Write> std::io::Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // `write!` hands over whole `str` pieces.
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(printable(text).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// What a reader of `raw`'s spans should know about how it was decoded, when they index the
/// decoded text rather than the bytes on disk: invalid byte sequences replaced, or a charset
/// other than UTF-8 (`origin: decoded from windows-1252 (detected); spans index the decoded
/// text`). `None` for clean UTF-8.
///
/// ```
/// use retrace_span::Origin;
/// let clean = retrace_ingest::read_bytes(Origin::Path("a.txt".into()), b"Plain.".to_vec(), None);
/// assert_eq!(retrace_report::terminal::decoding_note(&clean.unwrap()), None);
/// ```
pub fn decoding_note(raw: &RawDoc) -> Option<String> {
    let decoding = &raw.decoding;
    if decoding.replaced > 0 {
        Some(format!(
            "{}: {} invalid byte sequences in {} replaced; spans index the decoded text",
            raw.origin, decoding.replaced, decoding.charset
        ))
    } else if decoding.charset != "UTF-8" {
        Some(format!(
            "{}: decoded from {} ({}); spans index the decoded text",
            raw.origin,
            decoding.charset,
            decoding.by.as_str()
        ))
    } else {
        None
    }
}

fn clip(text: &str, width: usize) -> String {
    let text = printable(text);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= width {
        return flat;
    }
    let mut cut: String = flat.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn name(doc: &ReportDoc<'_>) -> String {
    printable(&doc.analyzed.origin.to_string()).into_owned()
}

/// Renders the summary.
pub fn render(report: &PairReport<'_>, options: &TerminalOptions) -> String {
    let paint = Paint { on: options.color };
    let verdict = report.verdict;
    let alignment = report.alignment;
    let mut out = String::new();
    let relation = match verdict.relation {
        Relation::Duplicate | Relation::Excerpt | Relation::Rewrite => {
            paint.red(verdict.relation.as_str())
        }
        Relation::SameStory => paint.yellow(verdict.relation.as_str()),
        Relation::Unrelated => paint.green(verdict.relation.as_str()),
    };
    let _ = writeln!(out, "A  {}", name(&report.a));
    let _ = writeln!(out, "B  {}", name(&report.b));
    let _ = writeln!(out);
    let direction = match verdict.source {
        Some(Side::A) => " · source: A, B derives from it".to_owned(),
        Some(Side::B) => " · source: B, A derives from it".to_owned(),
        None if verdict.relation.is_derivation() => {
            " · source: undecided, the evidence is even".to_owned()
        }
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{} {}{} · confidence {:.2}",
        paint.bold("relation"),
        paint.bold(&relation),
        direction,
        verdict.confidence
    );
    // What told the source (or did not), one line each.
    for evidence in &verdict.evidence {
        let verdict = match evidence.favours {
            Some(Side::A) => "favours A",
            Some(Side::B) => "favours B",
            None => "favours neither",
        };
        let _ = writeln!(
            out,
            "  {} {} {}: {}",
            paint.dim("·"),
            evidence.kind.label(),
            verdict,
            evidence.detail
        );
    }
    let _ = writeln!(
        out,
        "{} A covered {:.0}% by B · B covered {:.0}% by A",
        paint.bold("coverage"),
        alignment.coverage_a * 100.0,
        alignment.coverage_b * 100.0
    );
    let count = |kind| alignment.pairs.iter().filter(|p| p.kind == kind).count();
    let _ = writeln!(
        out,
        "{} {} groups ({} verbatim, {} edited, {} paraphrase) · unaligned: {} in A, {} in B · scorer: {}",
        paint.bold("aligned "),
        alignment.pairs.len(),
        count(PairKind::Verbatim),
        count(PairKind::Edited),
        count(PairKind::Paraphrase),
        alignment.unaligned_a.len(),
        alignment.unaligned_b.len(),
        if alignment.semantic {
            "lexical + semantic"
        } else {
            "lexical"
        },
    );

    if !verdict.changes.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint.bold(&format!("changes ({})", verdict.changes.len()))
        );
        for change in &verdict.changes {
            let title = change.place == retrace_judge::Place::Title;
            let at = |doc: &ReportDoc<'_>, side: &str, range: &Option<std::ops::Range<u32>>| match (
                range, title,
            ) {
                (None, _) => format!("{side}:-"),
                (Some(_), true) => format!("{side}:title"),
                (Some(r), false) => format!("{side}:{}", doc.line(doc.span(r.clone()))),
            };
            let place = format!(
                "{} → {}",
                at(&report.a, "A", &change.a),
                at(&report.b, "B", &change.b)
            );
            let _ = writeln!(
                out,
                "  {:<20} {:<14} {}",
                paint.yellow(change.kind.as_str()),
                paint.dim(&place),
                clip(&change.detail, options.width.saturating_sub(38).max(40))
            );
        }
    }

    if options.alignment && !alignment.pairs.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("alignment"));
        let width = options.width.saturating_sub(12).max(30);
        for pair in &alignment.pairs {
            let (sa, sb) = (report.a.group_span(&pair.a), report.b.group_span(&pair.b));
            let kind = match pair.kind {
                PairKind::Verbatim => "verbatim",
                PairKind::Edited => "edited",
                PairKind::Paraphrase => "paraphrase",
            };
            let _ = writeln!(
                out,
                "  {} {:.2}  A:{} ↔ B:{}",
                paint.bold(kind),
                pair.score,
                report.a.line(sa),
                report.b.line(sb)
            );
            let _ = writeln!(out, "    A  {}", clip(sa.slice(report.a.input), width));
            let _ = writeln!(out, "    B  {}", clip(sb.slice(report.b.input), width));
        }
    }
    out
}
