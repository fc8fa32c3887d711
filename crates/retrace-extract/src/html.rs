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

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use retrace_ingest::RawDoc;
use retrace_span::{OffsetMap, Span, offset};

use crate::tables::{Tallies, Tally};
use crate::textdump::{self, Trust};
use crate::visible::{self, Visible};
use crate::{Article, DateFrom, DropReason, Dropped, Limits, assemble, meta, parse};
use crate::{container, furniture};

/// Below this many words located, readability is taken to have missed the article.
const MIN_ARTICLE_WORDS: usize = 25;

/// A readability result shorter than this (in characters of kept paragraphs) gives way to a marked
/// article [`MARKED_FACTOR`] times as long.
const SHORT_ARTICLE_CHARS: usize = 800;
/// See [`SHORT_ARTICLE_CHARS`].
const MARKED_FACTOR: usize = 4;

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
    /// The publication time the page states, and where (read before pruning: a `<time>` may
    /// sit in a header that is furniture).
    dated: Option<(String, DateFrom)>,
}

/// Extracts the article of an HTML page; `None` when there is no article text at all.
///
/// The text-dump classifier then runs over readability's paragraphs, to drop the furniture that
/// readability keeps (share prompts, image credits, a "Related" heading and what follows it), or
/// over the whole visible text when readability found too little.
///
/// A page past one of `limits` is not read at all: the error names the limit.
pub(crate) fn extract(doc: &RawDoc, limits: &Limits) -> Result<Option<Article>, parse::Over> {
    let parsed = parse::parse(&doc.text, limits)?;
    let visible = visible::scan(&doc.text);
    let mut found = readability(parsed);
    found.cues.add_lines(&visible.text);
    let mut meta = found.meta;
    if meta.url.is_none() {
        meta.url = visible::canonical_url(&doc.text);
    }
    meta.title = meta::choose_title(
        meta.title.take(),
        &found.cues,
        meta.site.as_deref(),
        meta.url.as_deref().and_then(crate::host),
    );
    // A title that says nothing of readability's article (the site's name, its tagline) gives
    // way to the heading right above the article's first paragraph.
    let content = found.content.as_deref().map(paragraphs_of);
    let mut located = content
        .as_ref()
        .map(|paragraphs| locate(&visible.text, paragraphs, meta.title.as_deref()))
        .unwrap_or_default();
    if let Some(heading) =
        meta::heading_above(&visible.text, &located, meta.title.as_deref(), &found.cues)
    {
        meta.title = Some(heading);
        if let Some(paragraphs) = &content {
            located = locate(&visible.text, paragraphs, meta.title.as_deref());
        }
    }
    let title = meta.title.as_deref();
    let paragraphs = |html: &Option<String>| {
        html.as_ref()
            .map(|html| locate(&visible.text, &paragraphs_of(html), title))
            .unwrap_or_default()
    };
    let found_marked = found.marked.clone();
    let mut lead = leads(&visible.text, title, &located);
    if !lead.is_empty() {
        // A lead is article text, not a caption or a prompt pruned as furniture.
        let kept = found
            .pruned
            .as_deref()
            .map(|html| squeeze(&visible::scan(html).text).text)
            .unwrap_or_default();
        lead.retain(|r| kept.contains(&squeeze(&visible.text[r.clone()]).text));
    }
    if !lead.is_empty() {
        located.splice(0..0, lead);
    }
    let marked_lead = marked_leads(&visible.text, title, &located, || paragraphs(&found_marked));
    if !marked_lead.is_empty() {
        located.extend(marked_lead);
        located.sort_by_key(|r| r.start);
    }
    let readable = staged(&visible, &located, Trust::Readable);
    let Stage {
        text: stage,
        map: stage_map,
        mut dump,
        trust,
    } = match readable {
        Some(found) if found.prose_words() >= MIN_ARTICLE_WORDS => {
            // A short result next to a much longer marked article is a fragment of the page (a
            // summary box, one card of a recipe): the marked article is the page's own answer.
            let short = found.prose_chars() < SHORT_ARTICLE_CHARS;
            match short
                .then(|| staged(&visible, &paragraphs(&found_marked), Trust::Readable))
                .flatten()
            {
                Some(marked) if marked.prose_chars() > MARKED_FACTOR * found.prose_chars() => {
                    marked
                }
                _ => found,
            }
        }
        readable => {
            // Readability found too little, or picked a block that is not prose (a table, a
            // list of links): try the element the page marks as its article, then the page
            // without its furniture, then the whole visible text, and keep the one with the most
            // prose.
            let marked = staged(&visible, &paragraphs(&found.marked), Trust::Readable);
            let pruned = staged(&visible, &paragraphs(&found.pruned), Trust::Raw);
            let whole = Stage::new(visible.text.clone(), visible.map.clone(), Trust::Raw);
            [readable, marked, pruned]
                .into_iter()
                .flatten()
                .fold(whole, |best, next| {
                    if next.prose_words() >= best.prose_words() {
                        next
                    } else {
                        best
                    }
                })
        }
    };
    // The classifier takes the first short line before prose for the headline. In readability's
    // paragraphs that line is a subtitle or a lead when the page's own title says something else:
    // article text.
    if trust == Trust::Readable
        && let (Some(range), Some(title)) = (dump.main.title.clone(), meta.title.as_deref())
        && !same_words(&stage[range.clone()], title)
    {
        dump.main.title = None;
        dump.main.paragraphs.insert(0, range);
    }
    // Without the headline among them, the short lines before readability's first paragraph are
    // the article's own (a heading, a list's first items, a "Moderator: …" line): the classifier
    // drops them as a dump's header, but readability kept them inside the article's element, and
    // what it knows as furniture (dates, bylines, share prompts) stays dropped.
    if trust == Trust::Readable && dump.main.title.is_none() {
        let first = dump.main.paragraphs.first().map_or(0, |r| r.start);
        let (before, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut dump.dropped)
            .into_iter()
            .partition(|(r, why)| *why == DropReason::Fragment && r.end <= first);
        dump.dropped = rest;
        dump.main
            .paragraphs
            .splice(0..0, before.into_iter().map(|(r, _)| r));
    }
    // After readability's last paragraph, the classifier drops short lines as fragments; those
    // that are a whole item of a list or definition list of readability's block, in a list
    // mostly not linked (ingredients, specifications, a results list), or the whole text of an
    // element that is not a link or a heading and reads as text (a sign-off, a credit), are the
    // article's.
    if trust == Trust::Readable
        && let Some(content) = found.content.as_deref()
    {
        keep_trailing_lines(&stage, &mut dump, content);
    }
    // Stories the classifier finds after a "Related" line inside readability's block are the
    // article going on after an inline box (or a page's later sections), not other articles
    // pasted after it: readability chose the block as one article.
    if trust == Trust::Readable && !dump.embedded.is_empty() {
        for story in std::mem::take(&mut dump.embedded) {
            dump.main.paragraphs.extend(story.title);
            dump.main.paragraphs.extend(story.paragraphs);
        }
        dump.main.paragraphs.sort_by_key(|r| r.start);
    }

    // Lines that point to other pages ("Lesen Sie auch: …") go, in any language.
    let (pointers, kept): (Vec<_>, Vec<_>) = dump
        .main
        .paragraphs
        .into_iter()
        .partition(|r| furniture::is_pointer(&stage[r.clone()]));
    dump.main.paragraphs = kept;
    dump.dropped
        .extend(pointers.into_iter().map(|r| (r, DropReason::Furniture)));
    // The paragraphs after the article that ask the reader to subscribe, get the app or comment,
    // and the short lines between them (a "While you are here…" heading, a paywall's "Yes, I
    // subscribe" buttons): the tail is read back from the end over pitches and short lines, and
    // drops from its first pitch on; short lines after its last pitch (a sign-off, a credit)
    // stay.
    drop_trailing_pitches(&stage, &mut dump);
    dump.dropped.sort_by_key(|(r, _)| r.start);
    if dump.main.paragraphs.is_empty() {
        return Ok(None);
    }
    let story = |story: &textdump::DumpArticle| {
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
    let published = meta
        .dated
        .or_else(|| meta.published.map(|date| (date, DateFrom::Readability)));
    if let Some((date, from)) = published {
        article.published = Some(date);
        article.published_from = Some(from);
    }
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
    Ok(Some(article))
}

/// Drops the pitches at the end of the article (see [`furniture::is_pitch`]) with the site's
/// own labels among them and after them (a paywall's "Yes, I subscribe" buttons, "Newsletter"):
/// read back from the end over pitches and labels, as long as there is a pitch. The first
/// paragraph always stays.
fn drop_trailing_pitches(stage: &str, dump: &mut textdump::Dump) {
    let paragraphs = &dump.main.paragraphs;
    let mut start = paragraphs.len();
    let mut last_pitch = None;
    while start > 1 {
        let previous = &stage[paragraphs[start - 1].clone()];
        if furniture::is_pitch(previous) {
            last_pitch = last_pitch.or(Some(start - 1));
        } else if !furniture::is_service_label(previous) {
            break;
        }
        start -= 1;
    }
    if last_pitch.is_none() {
        return;
    }
    let dropped: Vec<_> = dump.main.paragraphs.drain(start..).collect();
    dump.dropped
        .extend(dropped.into_iter().map(|r| (r, DropReason::Furniture)));
}

/// A candidate text for the article, with the classifier's reading of it.
struct Stage {
    text: String,
    /// Maps `text` to the input.
    map: OffsetMap,
    dump: textdump::Dump,
    trust: Trust,
}

impl Stage {
    fn new(text: String, map: OffsetMap, trust: Trust) -> Stage {
        let dump = textdump::classify(&text, trust);
        Stage {
            text,
            map,
            dump,
            trust,
        }
    }

    fn prose_words(&self) -> usize {
        self.dump.main.prose_words(&self.text)
    }

    fn prose_chars(&self) -> usize {
        self.dump
            .main
            .paragraphs
            .iter()
            .map(|r| self.text[r.clone()].chars().count())
            .sum()
    }
}

/// The located paragraphs as a stage, when they hold enough words.
fn staged(visible: &Visible, located: &[Range<usize>], trust: Trust) -> Option<Stage> {
    let words: usize = located
        .iter()
        .map(|r| textdump::words(&visible.text[r.clone()]))
        .sum();
    (words >= MIN_ARTICLE_WORDS).then(|| {
        let (text, map) = assemble(&visible.text, located);
        Stage::new(text, map.then(&visible.map), trust)
    })
}

/// The input span of a range of the visible text.
fn span_of(map: &OffsetMap, range: &Range<usize>) -> Span {
    map.span(offset(range.start)..offset(range.end))
}

/// What the parsed page yields: readability's metadata and content, the element the page marks
/// as its article, and the body without its furniture (all HTML).
struct Found {
    meta: Meta,
    content: Option<String>,
    marked: Option<String>,
    pruned: Option<String>,
    /// The `<title>` and `<h1>` texts, to check readability's title against.
    cues: meta::TitleCues,
}

/// Prunes the parsed page's furniture and runs readability.
fn readability(doc: dom_query::Document) -> Found {
    let dated = meta::published(&doc);
    let cues = meta::TitleCues::of(&doc);
    furniture::prune(&doc);
    let marked = container::find(&doc);
    let pruned = doc.body().map(|body| body.html().to_string());
    let mut found = Found {
        meta: Meta {
            dated,
            ..Meta::default()
        },
        content: None,
        marked,
        pruned,
        cues,
    };
    let Ok(mut reader) = dom_smoothie::Readability::with_document(doc, None, None) else {
        return found;
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
                dated: None,
            }
        };
    }
    match reader.parse() {
        Ok(article) => {
            found.content = Some(article.content.to_string());
            found.meta = Meta {
                dated: found.meta.dated.take(),
                ..meta!(article)
            };
        }
        Err(_) => {
            let json_ld = reader.parse_json_ld();
            let article = reader.get_article_metadata(json_ld);
            found.meta = Meta {
                dated: found.meta.dated.take(),
                ..meta!(article)
            };
        }
    }
    found
}

/// Moves back into the article the lines dropped as fragments after its last paragraph (and
/// before any boundary line) that `content` (readability's block) shows as text of the article:
/// the whole text of an `<li>` or `<dd>` that is not mostly a link, in a list under half of whose
/// text is linked (ingredients, specifications); or the whole text of an element that is neither
/// mostly a link nor in a heading, when the line has two words or more, a lower-case letter and
/// no closing colon (a sign-off, a credit, a command, a table cell). A list of links (more
/// stories, tags), a heading over what follows ("More from the site", "CONTACT"), a label
/// ("Kontakt:") and lines that are part of an element only stay dropped.
fn keep_trailing_lines(stage: &str, dump: &mut textdump::Dump, content: &str) {
    let last = dump.main.paragraphs.last().map_or(usize::MAX, |r| r.end);
    let boundary = dump
        .dropped
        .iter()
        .filter(|(r, why)| *why == DropReason::Boundary && r.start >= last)
        .map(|(r, _)| r.start)
        .min()
        .unwrap_or(usize::MAX);
    let candidate = |r: &Range<usize>, why: &DropReason| {
        *why == DropReason::Fragment && r.start >= last && r.end <= boundary
    };
    let lines: HashSet<String> = dump
        .dropped
        .iter()
        .filter(|(r, why)| candidate(r, why))
        .map(|(r, _)| squeeze(&stage[r.clone()]).text)
        .collect();
    if lines.is_empty() {
        return;
    }
    let shapes = line_shapes(content, &lines);
    if shapes.is_empty() {
        return;
    }
    let article_line = |line: &str| {
        shapes
            .get(&squeeze(line).text)
            .is_some_and(|shape| shape.item || (shape.plain && is_plain_line(line)))
    };
    let (keep, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut dump.dropped)
        .into_iter()
        .partition(|(r, why)| candidate(r, why) && article_line(&stage[r.clone()]));
    dump.dropped = rest;
    dump.main
        .paragraphs
        .extend(keep.into_iter().map(|(r, _)| r));
    dump.main.paragraphs.sort_by_key(|r| r.start);
}

/// A short line that reads as text, not a label or a shout: two words or more, a lower-case
/// letter, no closing colon.
fn is_plain_line(line: &str) -> bool {
    line.chars().any(char::is_lowercase)
        && line.split_whitespace().nth(1).is_some()
        && !line.trim_end().ends_with(':')
}

/// How far up from an item its list is looked for.
const LIST_MAX_DEPTH: usize = 8;
/// How far up from an element a heading around it is looked for.
const HEADING_MAX_DEPTH: usize = 4;

/// What the elements whose whole text is one line are.
#[derive(Clone, Copy, Debug, Default)]
struct Shape {
    /// One of them is an `<li>` or `<dd>` not mostly a link, in a list under half linked.
    item: bool,
    /// None of them is mostly a link, a heading or inside one.
    plain: bool,
}

/// The shapes of those of `lines` (texts without white space) that are the whole text of an
/// element of `html`. Only elements as long as one of the lines have their text read (once for a
/// chain of wrappers around the same text), and lists and headings are looked for among an
/// element's nearest ancestors: the work stays linear in the page however its elements nest.
fn line_shapes(html: &str, lines: &HashSet<String>) -> HashMap<String, Shape> {
    let lengths: HashSet<usize> = lines.iter().map(|l| l.chars().count()).collect();
    let doc = dom_query::Document::from(html);
    let root = doc.root();
    let tallies = Tallies::of(&root);
    let mostly_linked = |tally: Tally| tally.linked * 2 >= tally.text;
    let heading = |node: &dom_query::NodeRef| {
        ["h1", "h2", "h3", "h4", "h5", "h6"]
            .iter()
            .any(|h| node.has_name(h))
    };
    let mut shapes: HashMap<String, Shape> = HashMap::new();
    let mut spoiled: HashSet<String> = HashSet::new();
    let mut texts: HashMap<dom_query::NodeId, String> = HashMap::new();
    for node in root.descendants_it().filter(|n| n.is_element()) {
        let tally = tallies.get(&node);
        if !lengths.contains(&tally.text) {
            continue;
        }
        // An element as long as its parent holds all of its parent's text: read it once for a
        // chain of wrappers, not once per level.
        let same_as_parent = node
            .parent()
            .filter(|p| tallies.get(p).text == tally.text)
            .and_then(|p| texts.get(&p.id));
        let text = match same_as_parent {
            Some(text) => text.clone(),
            None => squeeze(&node.text()).text,
        };
        texts.insert(node.id, text.clone());
        if !lines.contains(&text) {
            continue;
        }
        let item = (node.has_name("li") || node.has_name("dd"))
            && !mostly_linked(tally)
            && node
                .ancestors_it(Some(LIST_MAX_DEPTH))
                .find(|a| a.has_name("ul") || a.has_name("ol") || a.has_name("dl"))
                .is_some_and(|list| !mostly_linked(tallies.get(&list)));
        if mostly_linked(tally)
            || heading(&node)
            || node
                .ancestors_it(Some(HEADING_MAX_DEPTH))
                .any(|a| heading(&a))
        {
            spoiled.insert(text.clone());
        }
        let shape = shapes.entry(text).or_default();
        shape.item |= item;
        shape.plain = true;
    }
    for text in spoiled {
        if let Some(shape) = shapes.get_mut(&text) {
            shape.plain = false;
        }
    }
    shapes
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

/// Most blocks that may stand between the headline and the first paragraph.
const LEAD_MAX_BLOCKS: usize = 20;
/// Most blocks before the first paragraph searched for a headline that is not the exact title.
const HEADLINE_SEARCH_BLOCKS: usize = 2 * LEAD_MAX_BLOCKS;
/// Fewest words of a lead paragraph.
const LEAD_MIN_WORDS: usize = 6;

/// The lead paragraphs readability leaves out: prose blocks between the headline and the first
/// paragraph it kept (a standfirst in its own `<div>` or `<header>`).
fn leads(visible: &str, title: Option<&str>, located: &[Range<usize>]) -> Vec<Range<usize>> {
    let (Some(title), Some(first)) = (title, located.first()) else {
        return Vec::new();
    };
    let Some(after_title) = headline_end(visible, title, first.start) else {
        return Vec::new();
    };
    let between = blocks(visible, after_title..first.start);
    if between.len() > LEAD_MAX_BLOCKS {
        return Vec::new();
    }
    between
        .into_iter()
        .filter(|r| is_lead(&visible[r.clone()]))
        .collect()
}

/// The lead paragraphs of the page's marked article that readability left out, however far
/// from its first paragraph: the prose paragraphs of the marked element (`marked`: its
/// paragraphs, located; asked for only when a block there is long enough) between the headline
/// and readability's first paragraph, when readability's block lies inside the marked element
/// too. A paragraph whose text readability's block holds too is a copy (hidden, or shown twice)
/// and is left out.
fn marked_leads(
    visible: &str,
    title: Option<&str>,
    located: &[Range<usize>],
    marked: impl FnOnce() -> Vec<Range<usize>>,
) -> Vec<Range<usize>> {
    let (Some(title), Some(first)) = (title, located.first()) else {
        return Vec::new();
    };
    let Some(after_title) = headline_end(visible, title, first.start) else {
        return Vec::new();
    };
    if !blocks(visible, after_title..first.start)
        .iter()
        .any(|r| words(&visible[r.clone()]) >= LEAD_MIN_WORDS)
    {
        return Vec::new();
    }
    let marked = marked();
    let (Some(start), Some(end)) = (
        marked.first().map(|r| r.start),
        marked.last().map(|r| r.end),
    ) else {
        return Vec::new();
    };
    let inside = located
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .count();
    if inside * 2 <= located.len() {
        return Vec::new();
    }
    let texts: HashSet<String> = located
        .iter()
        .map(|r| squeeze(&visible[r.clone()]).text)
        .collect();
    marked
        .into_iter()
        .filter(|m| m.start >= after_title && m.end <= first.start)
        .filter(|m| is_lead(&visible[m.clone()]))
        .filter(|m| !texts.contains(&squeeze(&visible[m.clone()]).text))
        .collect()
}

/// Where the headline ends on the page, before `before`: the last occurrence of the title, else
/// the last block close to it in words (the `<h1>` without the site's name that the `<title>`
/// adds, or with other quotation marks).
fn headline_end(visible: &str, title: &str, before: usize) -> Option<usize> {
    let hay = squeeze(&visible[..before]);
    let needle = squeeze(title).text;
    if needle.is_empty() {
        return None;
    }
    if let Some(at) = hay.text.rfind(&needle) {
        return Some(hay.original(at, at + needle.len()).end);
    }
    blocks(visible, 0..before)
        .into_iter()
        .rev()
        .take(HEADLINE_SEARCH_BLOCKS)
        .find(|r| same_words(&visible[r.clone()], title) && same_words(title, &visible[r.clone()]))
        .map(|r| r.end)
}

/// A paragraph of prose: enough words and a sentence's end.
fn is_lead(block: &str) -> bool {
    let trimmed = block.trim_end_matches(['"', '\'', '\u{201c}', '\u{201d}', '\u{bb}', ')']);
    words(block) >= LEAD_MIN_WORDS
        && !is_trail(block)
        && trimmed.ends_with(['.', '!', '?', '\u{2026}'])
}

/// Words with a letter or digit in them (not the `|` or `»` between links).
fn words(block: &str) -> usize {
    block
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A breadcrumb trail or a row of links: `Home | Blog | Post`.
fn is_trail(block: &str) -> bool {
    block.matches(" | ").count() + block.matches(" » ").count() + block.matches(" > ").count() >= 2
}

/// Whether most words of `line` are words of `title` (case and punctuation aside): the page's
/// headline, perhaps with the site's name or a kicker around it.
fn same_words(line: &str, title: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let title = words(title);
    let line = words(line);
    let shared = line.iter().filter(|w| title.contains(w)).count();
    !line.is_empty() && 2 * shared >= line.len()
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

    /// Invented article paragraphs, long enough for readability to take them.
    const STORY: [&str; 4] = [
        "The last ferry to Lindholm left the harbour at nine on Monday morning, carrying forty \
         passengers, two vans of groceries and the island's only doctor back from a conference.",
        "Crews walked out at noon over a dispute about overtime pay that has simmered since the \
         spring, when the operator cut the winter timetable without consulting the union.",
        "Islanders gathered on the quay through the afternoon, some with suitcases, others simply \
         to watch the empty berth and trade rumours about when the boats might sail again.",
        "By evening the council had opened the school hall to anyone stranded on the wrong side \
         of the water, and the bakery had promised bread for the morning whatever happened.",
    ];

    fn story_html() -> String {
        STORY.iter().map(|p| format!("<p>{p}</p>\n")).collect()
    }

    fn html_doc(html: &str) -> RawDoc {
        RawDoc::new(
            retrace_span::Origin::Stdin,
            html.to_owned(),
            retrace_ingest::Format::Html,
        )
    }

    /// Extracts `html` and checks that every paragraph maps back to HTML that shows it.
    fn extracted(html: &str) -> Article {
        let doc = html_doc(html);
        let article = extract(&doc, &crate::ExtractorBuilder::new().limits)
            .expect("within the limits")
            .expect("an article");
        for (range, paragraph) in article.paragraphs() {
            let source = article.span(range).slice(&doc.text);
            let shown = visible::scan(source).text.replace('\n', " ");
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squeeze(&shown), squeeze(paragraph), "{source:?}");
        }
        article
    }

    #[test]
    fn share_bars_related_blocks_and_comments_are_dropped() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body>\
             <nav><a href=/>Home</a> <a href=/news>News</a></nav>\
             <div class=\"page has-sidebar\"><article><h1>Ferry strike</h1>{}\
             <div class=\"share-buttons\">Share on Facebook Share on Twitter</div>\
             <div class=\"author-box\"><p>Jane Doe has written about ferries for twenty years \
             and lives on the mainland with two cats.</p></div>\
             <section class=\"related-posts\"><h3>Related</h3><p>Bus drivers strike too, and \
             the trains are late again across the whole region this week.</p></section>\
             </article>\
             <div id=\"comments\" class=\"comments-area\"><p>Great article, thanks for \
             writing it, I was on that quay myself and it was freezing.</p></div>\
             <aside class=sidebar><p>Most read this week: the harbour festival returns \
             with fireworks and a brass band on the pier.</p></aside></div>\
             <footer>Copyright Harbour Gazette</footer></body></html>",
            story_html()
        );
        let article = extracted(&html);
        for paragraph in STORY {
            assert!(article.text.contains(paragraph), "{}", article.text);
        }
        for furniture in [
            "Share on",
            "Jane Doe",
            "Bus drivers",
            "Great article",
            "Most read",
            "Copyright",
        ] {
            assert!(!article.text.contains(furniture), "{}", article.text);
        }
    }

    #[test]
    fn hidden_elements_and_captions_are_dropped() {
        let html = format!(
            "<html><body><article><h1>Ferry strike</h1>\
             <figure><img src=a.jpg><figcaption>The quiet slipway at Lindholm on Monday, seen \
             from the harbour master's office.</figcaption></figure>{}\
             <div style=\"display: none\"><p>Please enable cookies to read this article and \
             all the others on this fine website.</p></div></article></body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert!(article.text.contains(STORY[0]));
        assert!(!article.text.contains("quiet slipway"), "{}", article.text);
        assert!(!article.text.contains("enable cookies"));
    }

    #[test]
    fn lines_that_point_elsewhere_are_dropped() {
        let html = format!(
            "<html><body><article><h1>Ferry strike</h1>{}<p>Lesen Sie auch: Die Fähre nach \
             Lindholm fährt wieder</p><p>VEA TAMBIÉN: El puerto cierra</p>{}</article>\
             </body></html>",
            story_html(),
            story_html().replace("The last", "Then the last")
        );
        let article = extracted(&html);
        assert!(article.text.contains(STORY[3]));
        assert!(!article.text.contains("Lesen Sie auch"), "{}", article.text);
        assert!(!article.text.contains("VEA TAMBIÉN"));
        assert!(
            article
                .dropped
                .iter()
                .any(|d| d.reason == crate::DropReason::Furniture)
        );
    }

    #[test]
    fn a_standfirst_outside_the_article_is_kept() {
        let visible = "Menu\nFerry strike\nIslanders are stranded after crews walked out over \
                       overtime pay.\nBy Jane Doe\nThe last ferry left at nine.\nCrews walked \
                       out at noon.";
        let first = visible.find("The last").unwrap();
        let located = first..first + 29;
        let lead = leads(
            visible,
            Some("Ferry strike"),
            std::slice::from_ref(&located),
        );
        let texts: Vec<&str> = lead.iter().map(|r| &visible[r.clone()]).collect();
        assert_eq!(
            texts,
            ["Islanders are stranded after crews walked out over overtime pay."]
        );
    }

    #[test]
    fn a_standfirst_in_a_page_header_reaches_the_text() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><header><h1>Ferry strike</h1>\
             <div class=standfirst>Forty islanders are stranded on the quay after ferry crews \
             walked out over overtime pay.</div></header><main><article>{}</article></main>\
             </body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert!(
            article.text.starts_with("Forty islanders are stranded"),
            "{}",
            article.text
        );
    }

    #[test]
    fn a_short_readability_result_gives_way_to_the_marked_article() {
        // Readability takes the long promotional box; the page marks its article, which is
        // made of short list items readability does not score.
        let items: String = (1..=12)
            .map(|n| {
                format!("<li>Step {n}: stir the batter for another minute, then rest it.</li>")
            })
            .collect();
        let html = format!(
            "<html><body><div class=promo-box><p>Our bakery has sold bread on the island since \
             1921 and still bakes every loaf by hand before dawn.</p></div>\
             <div itemprop=articleBody><h2>Method</h2><ul>{items}</ul></div></body></html>"
        );
        let doc = dom_query::Document::from(html.as_str());
        let marked = container::find(&doc).expect("a marked article");
        assert!(marked.contains("Step 12"), "{marked}");
        let article = extracted(&html);
        assert!(article.text.contains("Step 1:"), "{}", article.text);
    }

    #[test]
    fn a_subtitle_is_text_not_a_second_headline() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><article>\
             <h2>Islanders wait on the quay for a second day</h2>{}</article></body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert!(
            article
                .text
                .starts_with("Islanders wait on the quay for a second day\n\n"),
            "{}",
            article.text
        );
        // The headline itself, with or without the site's name, is not a subtitle.
        assert!(same_words("Ferry Strike", "Ferry strike - Harbour Gazette"));
        assert!(!same_words(
            "Islanders wait on the quay",
            "Ferry strike - Harbour Gazette"
        ));
    }

    #[test]
    fn a_standfirst_is_found_under_a_headline_without_the_site_name() {
        let visible = "Harbour Gazette\nFerry “strike” strands islanders\nIslanders are stranded \
                       after crews walked out over overtime pay.\nHome | News | Ferries | Did the \
                       ferry sail today?\nThe last ferry left at nine.";
        let first = visible.find("The last").unwrap();
        let located = first..visible.len();
        let lead = leads(
            visible,
            Some("Ferry \"strike\" strands islanders - Harbour Gazette"),
            std::slice::from_ref(&located),
        );
        let texts: Vec<&str> = lead.iter().map(|r| &visible[r.clone()]).collect();
        assert_eq!(
            texts,
            ["Islanders are stranded after crews walked out over overtime pay."]
        );
    }

    #[test]
    fn requests_to_the_reader_after_the_article_are_dropped() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><article>{}\
             <p>Get our app and never miss a sailing: follow us on Mastodon.</p>\
             <p>If you are already a subscriber, log in to read the whole story.</p>\
             </article></body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert!(article.text.ends_with(STORY[3]), "{}", article.text);
    }

    #[test]
    fn pitches_after_the_article_go_with_the_sites_labels_among_them() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><article>{}\
             <p>If you liked this story, would you consider supporting our work? Click here.</p>\
             <p>Newsletter</p>\
             <p>Already a subscriber? Log in to your account to read on.</p>\
             <p>Yes, I am a subscriber</p>\
             </article></body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert!(article.text.ends_with(STORY[3]), "{}", article.text);
    }

    #[test]
    fn short_lines_before_the_first_paragraph_of_the_article_are_kept() {
        let html = format!(
            "<html><head><title>Harbour meeting - Harbour Gazette</title></head><body>\
             <div class=entry-content><p><b>Host</b>: Harbour Hall, Quay Street 4</p>\
             <p><b>Chair</b>: Ann Miller</p><h3>Agenda</h3>{}</div></body></html>",
            story_html()
        );
        let article = extracted(&html);
        for line in [
            "Host: Harbour Hall, Quay Street 4",
            "Chair: Ann Miller",
            "Agenda",
        ] {
            assert!(article.text.contains(line), "{}", article.text);
        }
        assert!(article.text.ends_with(STORY[3]), "{}", article.text);
    }

    #[test]
    fn chinese_paragraphs_are_prose() {
        // Written without spaces: each paragraph is one "word" between white space.
        let story = [
            "周一早上九点，最后一班渡轮离开了林德霍姆港，船上有四十名乘客、两辆运送食品的货车和岛上唯一的医生。",
            "中午，船员因加班费纠纷罢工。这场纠纷从春天就开始了，当时运营商在没有与工会协商的情况下削减了冬季时刻表。",
            "整个下午，岛民们聚集在码头上，有的提着行李箱，有的只是看着空荡荡的泊位，互相打听船什么时候能再开。",
            "到了晚上，议会为所有滞留在对岸的人开放了学校礼堂，面包店也答应无论如何第二天早上都会提供面包。",
        ];
        let body: String = story.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            "<html><head><title>渡轮罢工</title></head><body><div class=main>\
             <h1>渡轮罢工</h1>{body}</div></body></html>"
        );
        let article = extracted(&html);
        for paragraph in story {
            assert!(article.text.contains(paragraph), "{}", article.text);
        }
    }

    #[test]
    fn list_items_after_the_last_paragraph_are_kept_link_lists_are_not() {
        let html = format!(
            "<html><head><title>Harbour cake</title></head><body><article>\
             <h1>Harbour cake</h1>{}<ul><li>200 g flour</li><li>3 eggs</li>\
             <li>100 g brown sugar</li></ul><ul><li><a href=/a>Rye bread from the quay</a></li>\
             <li><a href=/b>Plum tart for the ferry</a></li></ul></article></body></html>",
            story_html()
        );
        let article = extracted(&html);
        for item in ["200 g flour", "3 eggs", "100 g brown sugar"] {
            assert!(article.text.contains(item), "{}", article.text);
        }
        for link in ["Rye bread", "Plum tart"] {
            assert!(!article.text.contains(link), "{}", article.text);
        }
        assert!(article.text.starts_with(STORY[0]), "{}", article.text);
    }

    #[test]
    fn short_lines_after_the_last_paragraph_are_kept_links_headings_and_labels_are_not() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><article><h1>Ferry strike</h1>\
             {}<p>See you on the quay, Anna</p><div><code>ferry --timetable winter</code></div>\
             <h3>More from the harbour</h3><p><a href=/a>Plum tart for the ferry</a></p>\
             <p>Kontakt:</p><p>NEWSROOM</p></article></body></html>",
            story_html()
        );
        let article = extracted(&html);
        for line in ["See you on the quay, Anna", "ferry --timetable winter"] {
            assert!(article.text.contains(line), "{}", article.text);
        }
        for furniture in ["More from the harbour", "Plum tart", "Kontakt", "NEWSROOM"] {
            assert!(!article.text.contains(furniture), "{}", article.text);
        }
        assert!(article.text.starts_with(STORY[0]), "{}", article.text);
    }

    #[test]
    fn the_article_goes_on_after_an_inline_related_box() {
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><article><h1>Ferry strike</h1>\
             <p>{}</p><p>{}</p><h4>Related</h4><ul><li><a href=/a>Bus drivers strike too</a>\
             </li></ul><p>{}</p><p>{}</p></article></body></html>",
            STORY[0], STORY[1], STORY[2], STORY[3]
        );
        let article = extracted(&html);
        assert!(article.text.ends_with(STORY[3]), "{}", article.text);
        assert!(article.text.contains(STORY[2]), "{}", article.text);
        assert!(!article.text.contains("Related"), "{}", article.text);
        assert!(article.embedded.is_empty());
    }

    #[test]
    fn a_lead_far_above_the_first_paragraph_in_the_marked_article_is_kept() {
        // Readability takes the text's own <div>; the summary above it, in another section, is
        // more blocks away than the lead search reads, but inside the element the page marks as
        // its article.
        let sections: String = (1..=24).map(|n| format!("<li>Section {n}</li>")).collect();
        let html = format!(
            "<html><head><title>Ferry strike</title></head><body><div itemprop=articleBody>\
             <h1>Ferry strike</h1><section><p>Forty islanders are stranded on the quay after \
             ferry crews walked out over overtime pay.</p></section><section><ol>{sections}</ol>\
             </section><section><div class=text>{}</div></section></div></body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert!(
            article.text.starts_with("Forty islanders are stranded"),
            "{}",
            article.text
        );
        assert!(article.text.ends_with(STORY[3]), "{}", article.text);
    }

    #[test]
    fn blocks_split_at_line_breaks() {
        assert_eq!(blocks(" one \ntwo\n\n", 0..11), [1..4, 6..9]);
    }

    #[test]
    fn headlines_the_page_shows_over_its_title() {
        // The <title> with the site's and the section's name: the headline as the page shows it
        // in a table cell's <b>.
        let html = format!(
            "<html><head><title>Harbour Gazette - Local - Ferry strike strands islanders</title>\
             </head><body><table><tr><td><a href=\"/\">Local</a></td></tr><tr><td>\
             <font size=4><b>Ferry strike strands islanders</b></font><br>{}</td></tr></table>\
             </body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert_eq!(
            article.title.as_deref(),
            Some("Ferry strike strands islanders")
        );
        // The site's name alone as the <title>: the heading above the article.
        let html = format!(
            "<html><head><title>Tidewater Courier</title></head><body><h3>Most read</h3>\
             <div class=\"storyhead\"><h2>Ferry strike strands islanders</h2></div>\
             <div>{}</div></body></html>",
            story_html()
        );
        let article = extracted(&html);
        assert_eq!(
            article.title.as_deref(),
            Some("Ferry strike strands islanders")
        );
    }
}
