//! HTML pages: readability for the article and its metadata, then every paragraph located in the
//! page's visible text so that it maps back to the HTML source.
//!
//! `dom_smoothie` (a port of readability.js) decides *which* text is the article, but its output
//! is re-serialized HTML with no positions. So each of its paragraphs is searched for, ignoring
//! whitespace, in the visible text of the input (see [`crate::visible`]), in document order; the
//! paragraph we keep is the input's own visible text at that place, which is why every paragraph
//! maps exactly. The text-dump classifier then reads those paragraphs (in its lenient mode) to
//! drop the furniture readability keeps; when readability finds nothing usable, the classifier
//! runs on the whole visible text instead.

use std::ops::Range;

use retrace_ingest::RawDoc;
use retrace_span::{OffsetMap, Span, offset};

use crate::furniture;
use crate::textdump::{self, Trust};
use crate::visible::{self, Visible};
use crate::{Article, Dropped, assemble};

/// Below this many words located, readability is taken to have missed the article.
const MIN_ARTICLE_WORDS: usize = 25;

/// Merge two located pieces of one paragraph when this few bytes separate them.
const MAX_GAP_BYTES: usize = 200;

/// What readability reports about a page besides its content.
#[derive(Debug, Default)]
struct Meta {
    title: Option<String>,
    byline: Option<String>,
    site: Option<String>,
    published: Option<String>,
    url: Option<String>,
}

/// Extracts the article of an HTML page; `None` when there is no article text at all.
///
/// The text-dump classifier then runs over readability's paragraphs, to drop the furniture that
/// readability keeps (share prompts, image credits, a "Related" heading and what follows it), or
/// over the whole visible text when readability found too little.
pub(crate) fn extract(doc: &RawDoc) -> Option<Article> {
    let visible = visible::scan(&doc.text);
    let (mut meta, content) = readability(&doc.text);
    if meta.url.is_none() {
        meta.url = visible::canonical_url(&doc.text);
    }
    let located = content
        .map(|content| {
            locate(
                &visible.text,
                &paragraphs_of(&content),
                meta.title.as_deref(),
            )
        })
        .unwrap_or_default();
    let words: usize = located
        .iter()
        .map(|r| visible.text[r.clone()].split_whitespace().count())
        .sum();
    let readable = (words >= MIN_ARTICLE_WORDS).then(|| {
        let (text, map) = assemble(&visible.text, &located);
        let dump = textdump::classify(&text, Trust::Readable);
        (text, map.then(&visible.map), dump)
    });
    let (stage, stage_map, dump) = match readable {
        Some(found) if found.2.main.prose_words(&found.0) >= MIN_ARTICLE_WORDS => found,
        found => {
            // Readability found too little, or picked a block that is not prose (a table, a
            // list of links): classify the whole visible text instead, and keep the better.
            let dump = textdump::classify(&visible.text, Trust::Raw);
            let whole = (visible.text.clone(), visible.map.clone(), dump);
            match found {
                Some(found)
                    if found.2.main.prose_words(&found.0) >= whole.2.main.prose_words(&whole.0) =>
                {
                    found
                }
                _ => whole,
            }
        }
    };
    if dump.main.paragraphs.is_empty() {
        return None;
    }
    let story = |story: &textdump::Story| {
        let (text, map) = assemble(&stage, &story.paragraphs);
        let mut article = Article::bare(doc.origin.clone(), text, map.then(&stage_map));
        if let Some(range) = story.title.clone() {
            article.title_span = Some(span_of(&stage_map, &range));
            article.title = Some(stage[range].to_owned());
        }
        article
    };
    let mut article = story(&dump.main);
    if let Some(title) = meta.title {
        article.title_span = title_span(&visible, &title, &located).or(article.title_span);
        article.title = Some(title);
    }
    article.url = meta.url;
    article.site = meta.site;
    article.published = meta.published;
    article.byline = meta.byline.or(dump.byline);
    article.embedded = dump.embedded.iter().map(story).collect();
    article.dropped = dump
        .dropped
        .into_iter()
        .map(|(range, reason)| Dropped {
            span: span_of(&stage_map, &range),
            reason,
        })
        .collect();
    Some(article)
}

/// The input span of a range of the visible text.
fn span_of(map: &OffsetMap, range: &Range<usize>) -> Span {
    map.span(offset(range.start)..offset(range.end))
}

/// Runs readability: the metadata, and the article's content HTML when one was found.
fn readability(html: &str) -> (Meta, Option<String>) {
    let doc = dom_query::Document::from(html);
    furniture::prune(&doc);
    let Ok(mut reader) = dom_smoothie::Readability::with_document(doc, None, None) else {
        return (Meta::default(), None);
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    // The article and the metadata-only result are different types with the same fields.
    macro_rules! meta {
        ($found:expr) => {
            Meta {
                title: clean(Some($found.title)),
                byline: clean($found.byline),
                site: clean($found.site_name),
                published: clean($found.published_time),
                url: clean($found.url),
            }
        };
    }
    match reader.parse() {
        Ok(found) => {
            let content = found.content.to_string();
            (meta!(found), Some(content))
        }
        Err(_) => {
            let json_ld = reader.parse_json_ld();
            let found = reader.get_article_metadata(json_ld);
            (meta!(found), None)
        }
    }
}

/// The paragraphs of readability's content HTML, as plain text.
fn paragraphs_of(content: &str) -> Vec<String> {
    visible::scan(content)
        .text
        .split('\n')
        .map(str::to_owned)
        .collect()
}

/// Text with its whitespace removed, and for each of its bytes the offset in the original.
struct Squeezed {
    text: String,
    at: Vec<usize>,
}

fn squeeze(s: &str) -> Squeezed {
    let mut text = String::with_capacity(s.len());
    let mut at = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if !c.is_whitespace() {
            text.push(c);
            at.extend((0..c.len_utf8()).map(|k| i + k));
        }
    }
    Squeezed { text, at }
}

impl Squeezed {
    /// The original range of the squeezed bytes `start..end`.
    fn original(&self, start: usize, end: usize) -> Range<usize> {
        self.at[start]..self.at[end - 1] + 1
    }

    /// The first match of `needle` at or after `from`, else anywhere.
    fn find(&self, needle: &str, from: usize) -> Option<usize> {
        self.text[from..]
            .find(needle)
            .map(|i| from + i)
            .or_else(|| self.text.find(needle))
    }
}

/// Finds each readability paragraph in the visible text, ignoring whitespace, and returns the
/// visible ranges in document order, one per visible block. A paragraph that is not found whole
/// (readability dropped something inside it) is found sentence by sentence.
fn locate(visible: &str, paragraphs: &[String], title: Option<&str>) -> Vec<Range<usize>> {
    let hay = squeeze(visible);
    let title = title.map(|t| squeeze(t).text);
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut cursor = 0;
    for paragraph in paragraphs {
        let needle = squeeze(paragraph).text;
        if needle.is_empty() || title.as_deref() == Some(needle.as_str()) {
            continue;
        }
        if let Some(start) = hay.find(&needle, cursor) {
            found.push(hay.original(start, start + needle.len()));
            cursor = cursor.max(start + needle.len());
            continue;
        }
        let mut pieces: Vec<Range<usize>> = Vec::new();
        for sentence in paragraph.split_inclusive(['.', '!', '?', ';', ',']) {
            let needle = squeeze(sentence).text;
            if needle.chars().count() < 12 {
                continue;
            }
            if let Some(start) = hay.find(&needle, cursor) {
                let range = hay.original(start, start + needle.len());
                cursor = cursor.max(start + needle.len());
                match pieces.last_mut() {
                    Some(last)
                        if range.start >= last.end
                            && range.start - last.end <= MAX_GAP_BYTES
                            && !visible[last.end..range.start].contains('\n') =>
                    {
                        last.end = range.end;
                    }
                    _ => pieces.push(range),
                }
            }
        }
        found.extend(pieces);
    }
    // Offset maps need ranges in input order without overlap.
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
        .into_iter()
        .flat_map(|range| blocks(visible, range))
        .collect()
}

/// Splits a visible range at block breaks, trimming spaces.
fn blocks(visible: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for part in visible[range.clone()].split('\n') {
        let end = start + part.len();
        let lead = part.len() - part.trim_start().len();
        let trail = part.len() - part.trim_end().len();
        if start + lead < end - trail {
            out.push(start + lead..end - trail);
        }
        start = end + 1;
    }
    out
}

/// Where the title shows on the page: its first visible occurrence (the `<h1>`, usually before
/// the first paragraph), else the `<title>` element.
fn title_span(visible: &Visible, title: &str, paragraphs: &[Range<usize>]) -> Option<Span> {
    let hay = squeeze(&visible.text);
    let needle = squeeze(title).text;
    let before = paragraphs.first().map_or(visible.text.len(), |p| p.start);
    if !needle.is_empty()
        && let Some(start) = hay.text.find(&needle)
    {
        let range = hay.original(start, start + needle.len());
        if range.start < before
            || paragraphs
                .iter()
                .all(|p| p.end <= range.start || p.start >= range.end)
        {
            return Some(span_of(&visible.map, &range));
        }
    }
    let range = visible.title.clone()?;
    Some(Span::from_range(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locating_ignores_whitespace_and_keeps_document_order() {
        let visible = "Menu\nThe ferry left at nine.\nIt came back  at noon, empty.\nFooter";
        let paragraphs = [
            "It came back at\nnoon, empty.".to_owned(),
            "The ferry left at nine.".to_owned(),
        ];
        let found = locate(visible, &paragraphs, None);
        let texts: Vec<&str> = found.iter().map(|r| &visible[r.clone()]).collect();
        assert_eq!(
            texts,
            ["The ferry left at nine.", "It came back  at noon, empty."]
        );
    }

    #[test]
    fn a_paragraph_with_an_inline_insert_is_found_by_sentences() {
        // Readability removed the "(Advertisement)" that sits inside the paragraph on the page.
        let visible = "The ferry left the pier at nine o'clock. (Advertisement) It came back at noon, \
                       with nobody on board at all.";
        let paragraphs = [
            "The ferry left the pier at nine o'clock. It came back at noon, with \
                           nobody on board at all."
                .to_owned(),
        ];
        let found = locate(visible, &paragraphs, None);
        assert_eq!(found, vec![(0..visible.len())]);
    }

    #[test]
    fn the_title_is_not_a_paragraph() {
        let visible = "Ferry strike\nThe ferry left at nine.";
        let paragraphs = [
            "Ferry strike".to_owned(),
            "The ferry left at nine.".to_owned(),
        ];
        let found = locate(visible, &paragraphs, Some("Ferry  strike"));
        assert_eq!(found, vec![(13..visible.len())]);
    }

    #[test]
    fn blocks_split_at_line_breaks() {
        assert_eq!(blocks(" one \ntwo\n\n", 0..11), [1..4, 6..9]);
    }
}

