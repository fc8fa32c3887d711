//! The visible text of an HTML page, with an offset map back to the HTML source.
//!
//! This is not an HTML parser: it only has to find the text a reader sees and where each of its
//! characters sits in the source. It skips markup, comments and the contents of elements that
//! are never shown as text (`script`, `style`, `noscript`, `template`, `title`, `svg` …), decodes
//! character references (`&amp;`, `&#8220;`, `&nbsp;`), collapses runs of whitespace to one space
//! the way a browser does, and turns block elements (`p`, `div`, `li`, `br`, headings …) into
//! line breaks. Each copied run maps byte for byte; each decoded reference and each collapsed run
//! of whitespace (with any tags inside it) maps to its whole source range.

use std::ops::Range;

use retrace_span::{OffsetMap, OffsetMapBuilder, offset};

/// The visible text of an HTML document: blocks separated by `\n`, whitespace collapsed.
#[derive(Debug)]
pub(crate) struct Visible {
    /// The text a reader sees, one block per line.
    pub(crate) text: String,
    /// Maps `text` back to the HTML source.
    pub(crate) map: OffsetMap,
    /// Source range of the content of the first `<title>` element.
    pub(crate) title: Option<Range<usize>>,
}

/// Elements whose content is never visible text: skipped up to their end tag.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "title", "textarea", "svg", "math", "iframe",
    "object", "xmp",
];

/// Ruby annotations (`<rt>`: the reading of the characters before it, `<rp>`: the brackets
/// around it where ruby is not shown): a reading aid above the text, not the text. Their content
/// is skipped up to the next tag, whether or not it is their end tag (which HTML lets a page
/// leave out).
const ANNOTATIONS: &[&str] = &["rt", "rp"];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Scans `html` for its visible text.
pub(crate) fn scan(html: &str) -> Visible {
    let bytes = html.as_bytes();
    let mut out = Writer::default();
    let mut title = None;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'<' => match tag(html, at) {
                Some(Tag { name, end, closing }) => {
                    if BLOCKS.contains(&name.as_str()) {
                        out.block_break(at);
                    }
                    at = end;
                    if !closing && ANNOTATIONS.contains(&name.as_str()) {
                        // A ruby annotation's end tag may be left out: it ends at the next tag.
                        at = html[at..].find('<').map_or(html.len(), |n| at + n);
                    } else if !closing && HIDDEN.contains(&name.as_str()) {
                        let close = find_end_tag(html, at, &name).unwrap_or(html.len());
                        if name == "title" && title.is_none() {
                            let content = &html[at..close];
                            let lead = content.len() - content.trim_start().len();
                            let trimmed = content.trim();
                            title = Some(at + lead..at + lead + trimmed.len());
                        }
                        at = close;
                    }
                }
                None if html[at..].starts_with("<!--") => {
                    at = html[at + 4..]
                        .find("-->")
                        .map_or(html.len(), |end| at + 4 + end + 3);
                }
                None if html[at..].starts_with("<!") || html[at..].starts_with("<?") => {
                    at = html[at..].find('>').map_or(html.len(), |end| at + end + 1);
                }
                None => {
                    out.text(html, at..at + 1);
                    at += 1;
                }
            },
            b'&' => match reference(html, at) {
                Some((end, decoded)) => {
                    out.decoded(at..end, &decoded);
                    at = end;
                }
                None => {
                    out.text(html, at..at + 1);
                    at += 1;
                }
            },
            _ => {
                let end = html[at..].find(['<', '&']).map_or(html.len(), |n| at + n);
                out.text(html, at..end);
                at = end;
            }
        }
    }
    Visible {
        text: out.text,
        map: out.map.build(),
        title,
    }
}

/// The `href` of the first `<link rel="canonical">`.
pub(crate) fn canonical_url(html: &str) -> Option<String> {
    let mut at = 0;
    while let Some(n) = html[at..].find('<') {
        let start = at + n;
        let Some(tag) = tag(html, start) else {
            at = start + 1;
            continue;
        };
        if tag.name == "body" {
            return None;
        }
        if tag.name == "link" && !tag.closing {
            let attributes = attributes(&html[start..tag.end]);
            let value = |key: &str| {
                attributes
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v.as_str())
            };
            if value("rel").is_some_and(|rel| {
                rel.split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
            }) && let Some(href) = value("href").map(str::trim).filter(|h| !h.is_empty())
            {
                return Some(html_escape::decode_html_entities(href).into_owned());
            }
        }
        at = tag.end;
    }
    None
}

/// The `name="value"` pairs of one tag's source.
fn attributes(tag: &str) -> Vec<(&str, String)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace());
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if name_len == 0 {
            break;
        }
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            out.push((name, String::new()));
            continue;
        };
        let after = after.trim_start();
        let (value, remainder) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((name, value.to_owned()));
        rest = remainder;
    }
    out
}

struct Tag {
    /// Lower-case element name.
    name: String,
    /// One past the closing `>`.
    end: usize,
    closing: bool,
}

/// Parses the tag starting at `<` at `at`, skipping quoted attribute values.
fn tag(html: &str, at: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let closing = bytes.get(at + 1) == Some(&b'/');
    let name_start = at + 1 + usize::from(closing);
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut i = name_start;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b':')) {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    // As in a browser's tokenizer, a quote opens a value only right after `=`; a stray quote
    // elsewhere is part of an attribute name and must not swallow the rest of the page.
    while i < bytes.len() {
        match bytes[i] {
            b'>' => {
                return Some(Tag {
                    name,
                    end: i + 1,
                    closing,
                });
            }
            b'=' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
                    let close = html[i + 1..]
                        .find(char::from(q))
                        .map_or(html.len(), |n| i + 1 + n);
                    i = close + 1;
                    continue;
                }
            }
            _ => i += 1,
        }
    }
    Some(Tag {
        name,
        end: html.len(),
        closing,
    })
}

/// Where `</name` starts at or after `from`, case-insensitively.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(n) = html[i..].find("</") {
        let start = i + n;
        let name_end = start + 2 + name.len();
        if bytes
            .get(start + 2..name_end)
            .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
            && !bytes.get(name_end).is_some_and(u8::is_ascii_alphanumeric)
        {
            return Some(start);
        }
        i = start + 2;
    }
    None
}

/// Decodes the character reference at `at` (`&amp;`, `&#8220;`, `&#x2019;`): its end and text.
fn reference(html: &str, at: usize) -> Option<(usize, String)> {
    let rest = &html[at + 1..];
    let len = rest
        .char_indices()
        .take(40)
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))
        .filter(|&(_, c)| c == ';')
        .map(|(i, _)| i)?;
    if len == 0 {
        return None;
    }
    let end = at + 1 + len + 1;
    let source = &html[at..end];
    let decoded = html_escape::decode_html_entities(source);
    (decoded != source).then(|| (end, decoded.into_owned()))
}

/// Writes visible text and its offset map, collapsing whitespace as it goes.
#[derive(Default)]
struct Writer {
    text: String,
    map: OffsetMapBuilder,
    /// A run of whitespace not yet written: it becomes one space if more text follows in the
    /// same block.
    pending_space: Option<Range<usize>>,
    /// Where a block ended since the last text was written.
    pending_break: Option<usize>,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

impl Writer {
    fn text(&mut self, html: &str, range: Range<usize>) {
        let slice = &html[range.clone()];
        let mut run_start = None;
        for (i, c) in slice.char_indices() {
            let at = range.start + i;
            if is_space(c) {
                if let Some(start) = run_start.take() {
                    self.copy(html, start..at);
                }
                self.space(at..at + c.len_utf8());
            } else if run_start.is_none() {
                run_start = Some(at);
            }
        }
        if let Some(start) = run_start {
            self.copy(html, start..range.end);
        }
    }

    fn decoded(&mut self, source: Range<usize>, decoded: &str) {
        if decoded.chars().all(is_space) {
            self.space(source);
        } else {
            self.flush_space();
            self.text.push_str(decoded);
            self.map.replaced(
                offset(source.start)..offset(source.end),
                offset(decoded.len()),
            );
        }
    }

    /// Copies a run of whole, non-space characters.
    fn copy(&mut self, html: &str, source: Range<usize>) {
        self.flush_space();
        self.map
            .copied(offset(source.start), offset(source.end - source.start));
        self.text.push_str(&html[source]);
    }

    fn space(&mut self, source: Range<usize>) {
        self.pending_space = Some(match self.pending_space.take() {
            Some(run) => run.start..source.end,
            None => source,
        });
    }

    /// Writes the gap before new text: a line break when a block ended since the last text,
    /// else one space for a pending run of whitespace. Nothing is written before the first text,
    /// so the visible text neither starts nor ends with a gap.
    fn flush_space(&mut self) {
        let space = self.pending_space.take();
        if self.text.is_empty() {
            self.pending_break = None;
            return;
        }
        if let Some(at) = self.pending_break.take() {
            self.text.push('\n');
            self.map.replaced(offset(at)..offset(at), 1);
        } else if let Some(run) = space {
            self.text.push(' ');
            self.map.replaced(offset(run.start)..offset(run.end), 1);
        }
    }

    fn block_break(&mut self, at: usize) {
        self.pending_space = None;
        if self.pending_break.is_none() {
            self.pending_break = Some(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(html: &str) -> Vec<(String, String)> {
        let visible = scan(html);
        let mut out = Vec::new();
        let mut start = 0;
        for line in visible.text.split('\n') {
            let range = start..start + line.len();
            let span = visible.map.span(offset(range.start)..offset(range.end));
            out.push((line.to_owned(), span.slice(html).to_owned()));
            start = range.end + 1;
        }
        out
    }

    #[test]
    fn entities_are_decoded_and_mapped_whole() {
        let html = "<p>Salt &amp; pepper&nbsp;&#8220;fish&#x201D;</p>";
        let visible = scan(html);
        assert_eq!(visible.text, "Salt & pepper \u{201c}fish\u{201d}");
        let amp = visible.text.find('&').unwrap();
        assert_eq!(
            visible.map.span(offset(amp)..offset(amp + 1)).slice(html),
            "&amp;"
        );
        let quote = visible.text.find('\u{201c}').unwrap();
        let span = visible.map.span(offset(quote)..offset(quote + 3));
        assert_eq!(span.slice(html), "&#8220;");
    }

    #[test]
    fn whitespace_collapses_and_blocks_break() {
        let html = "<div>\n  <p>One\n   two <b>three</b></p><p>four<br>five</p>\n</div>";
        let lines = spans(html);
        let texts: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["One two three", "four", "five"]);
        assert_eq!(lines[0].1, "One\n   two <b>three");
    }

    #[test]
    fn hidden_elements_and_comments_are_skipped() {
        let html = "<head><title> Tide tables </title><style>p{}</style></head>\
                    <script>var s = \"</p><p>not text\";</script><!-- a <p>comment</p> -->\
                    <noscript>Enable scripts</noscript><p>High water at 6.10</p>";
        let visible = scan(html);
        assert_eq!(visible.text, "High water at 6.10");
        assert_eq!(&html[visible.title.unwrap()], "Tide tables");
    }

    #[test]
    fn ruby_readings_are_not_text() {
        // Furigana over kanji, with and without end tags: the text is the base characters.
        let html = "<p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp></ruby><ruby>字<rt>じ</ruby>です。\
                    </p><p>Next</p>";
        let visible = scan(html);
        assert_eq!(visible.text.trim(), "漢字です。\nNext");
        let at = visible.text.find('字').expect("the second kanji");
        let span = visible.map.span(offset(at)..offset(at + '字'.len_utf8()));
        assert_eq!(span.slice(html), "字");
    }

    #[test]
    fn a_stray_quote_in_a_tag_does_not_hide_the_page() {
        let html = r#"<script src="a.js" " type="text/javascript"></script><p>Still here</p>"#;
        assert_eq!(scan(html).text, "Still here");
    }

    #[test]
    fn literal_angle_brackets_and_ampersands_stay() {
        assert_eq!(
            scan("<p>a < b & c &unknown; d</p>").text,
            "a < b & c &unknown; d"
        );
    }

    #[test]
    fn canonical_link() {
        let html = r#"<head><link rel="stylesheet" href="s.css"><LINK href="https://x.example/a?b=1&amp;c=2" REL=canonical></head>"#;
        assert_eq!(
            canonical_url(html).as_deref(),
            Some("https://x.example/a?b=1&c=2")
        );
        assert_eq!(
            canonical_url("<body><link rel=canonical href=/late></body>"),
            None
        );
    }
}
