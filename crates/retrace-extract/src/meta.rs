//! Page metadata readability does not give with its provenance: the publication time (JSON-LD,
//! meta tags, `<time>`), and the language of the body.
//!
//! It reads the page as `dom_query` (html5ever, a spec-compliant parser) parsed it for
//! readability, before furniture is pruned from it.

use dom_query::Document;
use serde_json::Value;

/// Where a publication time was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateFrom {
    /// `datePublished` of a schema.org article in a JSON-LD block.
    JsonLd,
    /// A `<meta>` tag (`article:published_time`, `pubdate`, `dc.date` …).
    Meta,
    /// A `<time datetime>` element (a `pubdate` or `itemprop="datePublished"` one first).
    Time,
    /// readability's own metadata (a byline date or another tag it knows).
    Readability,
    /// The date field of a JSON record.
    Record,
    /// A dateline or timestamp line above a text dump's body ("Published: March 10, 2025"),
    /// a date without a time.
    Text,
    /// The WARC record's `WARC-Date`: when the page was fetched, so an upper bound only.
    Fetched,
}

impl DateFrom {
    /// A lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DateFrom::JsonLd => "json-ld",
            DateFrom::Meta => "meta",
            DateFrom::Time => "time",
            DateFrom::Readability => "readability",
            DateFrom::Record => "record",
            DateFrom::Text => "text",
            DateFrom::Fetched => "warc-date",
        }
    }
}

/// Meta tags that carry a publication time, by their `property`, `name` or `itemprop`, best
/// first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "publication_date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "date",
];

/// JSON-LD `@type`s that are articles.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "OpinionNewsArticle",
    "LiveBlogPosting",
    "WebPage",
];

/// The publication time a page states, and where; `None` when it states none.
pub(crate) fn published(document: &Document) -> Option<(String, DateFrom)> {
    json_ld(document)
        .map(|date| (date, DateFrom::JsonLd))
        .or_else(|| meta(document).map(|date| (date, DateFrom::Meta)))
        .or_else(|| time(document).map(|date| (date, DateFrom::Time)))
}

fn json_ld(document: &Document) -> Option<String> {
    let mut fallback = None;
    for script in document
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
    {
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        let mut found = Vec::new();
        collect_dates(&value, &mut found);
        if let Some((_, date)) = found.iter().find(|(article, _)| *article) {
            return Some(date.clone());
        }
        if fallback.is_none() {
            fallback = found.into_iter().next().map(|(_, date)| date);
        }
    }
    fallback
}

/// Every `datePublished` in a JSON-LD value, with whether its object is an article.
fn collect_dates(value: &Value, out: &mut Vec<(bool, String)>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(date)) = object.get("datePublished")
                && !date.trim().is_empty()
            {
                let is_article = match object.get("@type") {
                    Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                    Some(Value::Array(types)) => types
                        .iter()
                        .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                    _ => false,
                };
                out.push((is_article, date.trim().to_owned()));
            }
            for child in object.values() {
                collect_dates(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_dates(item, out)),
        _ => {}
    }
}

fn meta(document: &Document) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for tag in document.select("meta").iter() {
        let key = ["property", "name", "itemprop"]
            .iter()
            .find_map(|attr| tag.attr(attr))
            .map(|key| key.trim().to_ascii_lowercase());
        let Some(rank) = key.and_then(|key| DATE_META.iter().position(|k| *k == key)) else {
            continue;
        };
        let Some(content) = tag.attr("content").or_else(|| tag.attr("datetime")) else {
            continue;
        };
        let content = content.trim();
        if looks_like_date(content) && best.as_ref().is_none_or(|(r, _)| rank < *r) {
            best = Some((rank, content.to_owned()));
        }
    }
    best.map(|(_, date)| date)
}

fn time(document: &Document) -> Option<String> {
    let mut first = None;
    for element in document.select("time[datetime]").iter() {
        let Some(value) = element.attr("datetime") else {
            continue;
        };
        let value = value.trim();
        if !looks_like_date(value) {
            continue;
        }
        let marked = element.has_attr("pubdate")
            || element
                .attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"));
        if marked {
            return Some(value.to_owned());
        }
        first.get_or_insert_with(|| value.to_owned());
    }
    first
}

/// A date has a four-digit year in it (timestamps and ISO 8601 both do; "yesterday" does not).
fn looks_like_date(value: &str) -> bool {
    value
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && (b"19" == &w[..2] || b"20" == &w[..2]))
}

/// What a page says its title is, besides readability's choice.
#[derive(Debug, Default)]
pub(crate) struct TitleCues {
    /// The text of the `<title>` element.
    pub(crate) tag: Option<String>,
    /// The texts of the first few `<h1>` elements.
    pub(crate) h1: Vec<String>,
    /// The texts of the first few headings the page shows (`<h1>` to `<h3>`, and elements whose
    /// class or id says headline or title), in document order: where the headline stands as
    /// the page shows it.
    pub(crate) headings: Vec<String>,
    /// The lines of the page's visible text that its `<title>` holds (see [`Self::add_lines`]).
    pub(crate) lines: Vec<String>,
}

/// Headings the page shows, for [`TitleCues::headings`]: the tags, and elements whose class, id
/// or `itemprop` holds one of [`HEADING_WORDS`] (the words trafilatura's title selectors look
/// for), in any case.
const HEADINGS: &str = "h1, h2, h3, [class], [id], [itemprop]";
const HEADING_WORDS: &[&str] = &["headline", "title"];

fn is_heading(node: &dom_query::NodeRef) -> bool {
    ["h1", "h2", "h3"].iter().any(|name| node.has_name(name))
        || (!node.has_name("title")
            && ["class", "id", "itemprop"].iter().any(|attr| {
                node.attr(attr).is_some_and(|value| {
                    HEADING_WORDS.iter().any(|w| {
                        (value.as_bytes().windows(w.len()))
                            .any(|v| v.eq_ignore_ascii_case(w.as_bytes()))
                    })
                })
            }))
}

/// The text of an element, white space collapsed, unless it is longer than a heading (read no
/// further than that: an element whose class says title may hold the whole page).
fn heading_text(node: &dom_query::NodeRef) -> Option<String> {
    let mut text = String::new();
    for descendant in node.descendants_it() {
        if descendant.is_text() {
            text.push_str(&descendant.text());
            if text.len() > 4 * MAX_HEADING_BYTES {
                return None;
            }
        }
    }
    Some(collapse(&text)).filter(|t| !t.is_empty() && t.len() <= MAX_HEADING_BYTES)
}

/// At most this many headings are read, and none longer than this many bytes.
const MAX_HEADINGS: usize = 100;
const MAX_HEADING_BYTES: usize = 300;
/// The longest `<title>` whose lines are looked for in the page ([`TitleCues::add_lines`]).
const MAX_TITLE_BYTES: usize = 2_000;

impl TitleCues {
    /// Adds the lines of a page's visible text that its `<title>` holds to the headings: a
    /// headline shows as a line of its own, in whatever element (a `<b>` in a table cell, a
    /// `<font>`, a `<span>` with its own class name).
    pub(crate) fn add_lines(&mut self, visible: &str) {
        // A <title> longer than this is no headline to look for; searching it for every line of
        // the page would cost their product.
        let Some(tag) = self
            .tag
            .as_deref()
            .filter(|t| t.len() <= MAX_TITLE_BYTES)
            .map(str::to_lowercase)
        else {
            return;
        };
        for line in visible.lines() {
            // A line longer than the <title> is not in it (lower case is as long, give or take
            // a few letters).
            let line = line.trim();
            if line.is_empty() || line.len() > MAX_HEADING_BYTES || line.len() > tag.len() + 8 {
                continue;
            }
            let line = collapse(line);
            if tag.contains(&line.to_lowercase()) && !self.lines.contains(&line) {
                self.lines.push(line);
            }
        }
    }

    /// The cues of a parsed page (read before furniture is pruned: the `<h1>` may sit in a
    /// header).
    pub(crate) fn of(document: &Document) -> TitleCues {
        let texts = |selector: &str| {
            document
                .select(selector)
                .iter()
                .map(|n| collapse(&n.text()))
                .filter(|t| !t.is_empty())
                .take(4)
                .collect::<Vec<_>>()
        };
        let headings = document
            .select(HEADINGS)
            .nodes()
            .iter()
            .filter(|n| is_heading(n))
            .filter_map(heading_text)
            .take(MAX_HEADINGS)
            .collect();
        TitleCues {
            tag: texts("title").into_iter().next(),
            h1: texts("h1"),
            headings,
            lines: Vec::new(),
        }
    }
}

/// Runs of white space as one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that make up a share bar ("f Share t Tweet", "Teilen Twittern"), lower case.
const SHARE_WORDS: &[&str] = &[
    "share",
    "shares",
    "tweet",
    "facebook",
    "twitter",
    "pin",
    "pinterest",
    "email",
    "e-mail",
    "mail",
    "print",
    "whatsapp",
    "linkedin",
    "reddit",
    "copy",
    "link",
    "save",
    "teilen",
    "twittern",
    "drucken",
    "compartir",
    "partager",
    "f",
    "t",
    "p",
    "in",
    "x",
];

/// Month and weekday words that a date-only line may hold besides numbers (lower case, their
/// first three letters).
const DATE_WORDS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "mär",
    "mai",
    "okt",
    "dez",
    "son",
    "die",
    "mit",
    "don",
    "fre",
    "am",
    "pm",
    "utc",
    "gmt",
    "cet",
    "cest",
    "updated",
    "published",
    "posted",
    "last",
];

fn title_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A share bar: every word is a share word, or a short count next to one.
fn is_share_bar(title: &str) -> bool {
    let words = title_words(title);
    let share = words
        .iter()
        .filter(|w| SHARE_WORDS.contains(&w.as_str()))
        .count();
    let other = words
        .iter()
        .filter(|w| !SHARE_WORDS.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .count();
    share >= 2 && other == 0
}

/// A date or a time and nothing else: "12.03.2021", "March 4, 2020 10:15 am".
fn is_date_only(title: &str) -> bool {
    let words = title_words(title);
    words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_digit() || c == '-')
                || DATE_WORDS.iter().any(|d| w.starts_with(d))
        })
}

/// Separators between a headline and a site's name in a `<title>`.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " // ", " · ", " » ", " « ",
];

/// The parts of a `<title>` between separators ("Headline | Site"), trimmed.
fn title_parts(tag: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = vec![tag];
    for separator in TITLE_SEPARATORS {
        parts = parts.iter().flat_map(|p| p.split(separator)).collect();
    }
    parts
        .into_iter()
        .map(|p| p.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | ':')))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The `<title>` without the site's name around it: its longest part between separators.
fn headline_part(tag: &str) -> &str {
    title_parts(tag)
        .into_iter()
        .rev()
        .max_by_key(|p| p.split_whitespace().count())
        .unwrap_or(tag)
}

/// The page's headline: readability's title (from JSON-LD, `og:title` … else the `<title>`)
/// unless it is no headline: a share bar, a date, the site's name alone, markup, or a single
/// word that neither the `<title>` nor an `<h1>` holds (a placeholder such as a CMS's name, a
/// section's name in `og:title`). Then an `<h1>` that is not the site's name in the `<title>`,
/// else the `<title>` without the site's name.
pub(crate) fn choose_title(
    readability: Option<String>,
    cues: &TitleCues,
    site: Option<&str>,
    host: Option<&str>,
) -> Option<String> {
    let title = choose_title_text(readability, cues, site, host)?;
    let names_site = site_namer(site, host);
    let headings: Vec<&str> = (cues.headings.iter())
        .map(String::as_str)
        .filter(|h| !names_site(h))
        .collect();
    let lower = collapse(&title).to_lowercase();
    // Where to look for the headline: the <title> where the title is it or a part of it (a
    // site's or a section's name, when the headline is another part), else the title.
    let frame = (cues.tag.as_deref())
        .map(|tag| collapse(tag).to_lowercase())
        .filter(|tag| frames(tag, &lower))
        .unwrap_or_else(|| lower.clone());
    // A heading that holds more than the title is no headline within it (the <title> again,
    // shown as a line).
    let holds_title = |heading: &str| {
        let heading = heading.to_lowercase();
        heading != lower && heading.contains(&lower)
    };
    let headings: Vec<&str> = headings.into_iter().filter(|h| !holds_title(h)).collect();
    let lines: Vec<&str> = (cues.lines.iter())
        .map(String::as_str)
        .filter(|l| !names_site(l) && !holds_title(l))
        .collect();
    // The heading the page shows that the title holds; a title the page shows as its heading
    // stays; else the heading, then the line of its own, that the <title> holds.
    shown_heading(&lower, &frame, &headings)
        .or_else(|| {
            if headings.iter().any(|h| h.to_lowercase() == lower) {
                Some(&title)
            } else {
                shown_heading(&frame, &frame, &headings)
                    .or_else(|| shown_heading(&frame, &frame, &lines))
            }
        })
        .map(str::to_owned)
        .or(Some(title))
}

/// At most this many bytes of visible text between the heading above an article and its first
/// paragraph (a byline, a date, a caption, a share bar).
const HEADING_GAP: usize = 1000;

/// Whether a title speaks of a text: one of its words of four letters or more is a word of it.
fn speaks_of(title: &str, text_lower: &str) -> bool {
    let word_at = |at: usize, word: &str| {
        let before = text_lower[..at].chars().next_back();
        let after = text_lower[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    };
    title_words(title).iter().any(|w| {
        w.chars().count() >= 4
            && text_lower
                .match_indices(w.as_str())
                .any(|(at, _)| word_at(at, w))
    })
}

/// The heading right above an article's first paragraph (`located`, ranges of `visible`), when
/// the title says nothing of the article (none of its longer words is in it: the site's name or
/// tagline, a caption) and the page does not show it as a heading or a line, or there is no
/// title: the last of the page's headings that shows before
/// the first paragraph, close to it, and that speaks of the article.
pub(crate) fn heading_above(
    visible: &str,
    located: &[std::ops::Range<usize>],
    title: Option<&str>,
    cues: &TitleCues,
) -> Option<String> {
    let first = located.first()?.start;
    let shown = |t: &str| {
        let t = collapse(t).to_lowercase();
        (cues.headings.iter().chain(&cues.lines)).any(|h| h.to_lowercase() == t)
    };
    if title.is_some_and(shown) {
        return None;
    }
    let article = located
        .iter()
        .map(|r| visible[r.clone()].to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    if title.is_some_and(|t| speaks_of(t, &article)) {
        return None;
    }
    // Up to the end of the first paragraph: readability's article may start with its heading.
    let before = &visible[..located[0].end];
    let line_at = |at: usize, len: usize| {
        (at == 0 || before[..at].ends_with('\n'))
            && (at + len == before.len() || before[at + len..].starts_with('\n'))
    };
    cues.headings
        .iter()
        .filter(|h| {
            title_words(h).len() >= 2
                && !is_share_bar(h)
                && !is_date_only(h)
                && speaks_of(h, &article)
        })
        .filter_map(|h| {
            let (at, _) =
                (before.rmatch_indices(h.as_str())).find(|(at, _)| line_at(*at, h.len()))?;
            (first.saturating_sub(at + h.len()) <= HEADING_GAP).then_some((at, h))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, h)| h.clone())
}

/// Whether a part of a title names the site: the site's name, or a name holding the host's
/// label ("spiegel" of "spiegel.de", "time4talks" of "time4talks.com").
fn site_namer(site: Option<&str>, host: Option<&str>) -> impl Fn(&str) -> bool {
    let site_words = site.map(title_words).unwrap_or_default();
    let label = host
        .and_then(|h| h.rsplit('.').nth(1))
        .filter(|l| l.len() >= 3)
        .map(str::to_lowercase);
    move |part: &str| {
        let words = title_words(part);
        words == site_words
            || label
                .as_deref()
                .is_some_and(|l| words.concat().contains(l) || words.iter().any(|w| w == l))
    }
}

/// Characters that set a headline off from a site's or a section's name in a title.
const SETS_OFF: &[char] = &[
    '|', '-', '–', '—', ':', '»', '«', '·', '/', '\\', '>', '<', '(', '[', '~', '•',
];

/// Whether `outer` holds `inner` set off by separators: equal, or `inner` with a site's or a
/// section's name before or after it ("Headline - Section - Site", "Site: Headline"). Both
/// lower case, white space collapsed.
fn frames(outer: &str, inner: &str) -> bool {
    let set_off = |rest: &str, at_start: bool| {
        let rest = rest.trim();
        let edge = if at_start {
            rest.chars().next()
        } else {
            rest.chars().last()
        };
        rest.is_empty() || edge.is_some_and(|c| SETS_OFF.contains(&c))
    };
    outer
        .match_indices(inner)
        .any(|(at, _)| set_off(&outer[..at], false) && set_off(&outer[at + inner.len()..], true))
}

/// The heading the page shows that `title` frames, the site's or a section's name set off around
/// it: the longest such heading, if any. A heading of fewer than four words must be as long as
/// each part set off around it in `frame` (the <title> that holds the title, or the title): a
/// section's or a site's name shown as a heading is short, and the headline beside it longer.
fn shown_heading<'a>(title: &str, frame: &str, headings: &[&'a str]) -> Option<&'a str> {
    let title = collapse(title).to_lowercase();
    let longest_part = |rest: &str| {
        rest.split(|c: char| SETS_OFF.contains(&c))
            .map(|part| title_words(part).len())
            .max()
            .unwrap_or(0)
    };
    headings
        .iter()
        .filter(|heading| {
            let lower = heading.to_lowercase();
            let words = title_words(&lower).len();
            words >= 2
                && lower != title
                && frames(&title, &lower)
                && (words >= 4 || longest_part(&frame.replacen(&lower, "|", 1)) <= words)
        })
        .max_by_key(|heading| heading.len())
        .copied()
}

fn choose_title_text(
    readability: Option<String>,
    cues: &TitleCues,
    site: Option<&str>,
    host: Option<&str>,
) -> Option<String> {
    let site_words = site.map(title_words).unwrap_or_default();
    let names_site = site_namer(site, host);
    let page_words: Vec<String> = cues
        .tag
        .iter()
        .chain(&cues.h1)
        .flat_map(|t| title_words(t))
        .collect();
    let acceptable = |title: &str| {
        let words = title_words(title);
        let markup = title.contains('{') && title.contains('}');
        !(words.is_empty()
            || is_share_bar(title)
            || is_date_only(title)
            || words == site_words
            || markup)
    };
    if let Some(title) = readability.as_deref() {
        let words = title_words(title);
        let placeholder =
            words.len() == 1 && !page_words.is_empty() && !page_words.contains(&words[0]);
        if acceptable(title) && !placeholder {
            return readability;
        }
    }
    // The parts of the <title> besides its headline name the site or its section.
    let (headline, others) = match cues.tag.as_deref() {
        Some(tag) => {
            let parts = title_parts(tag);
            let headline = parts
                .iter()
                .copied()
                .filter(|p| parts.len() == 1 || !names_site(p))
                .rev()
                .max_by_key(|p| p.split_whitespace().count())
                .unwrap_or_else(|| headline_part(tag));
            let others: Vec<Vec<String>> = parts
                .into_iter()
                .filter(|p| *p != headline)
                .map(title_words)
                .collect();
            (Some(headline), others)
        }
        None => (None, Vec::new()),
    };
    cues.h1
        .iter()
        .map(String::as_str)
        .find(|h1| acceptable(h1) && !others.contains(&title_words(h1)))
        .or(headline.filter(|t| acceptable(t)))
        .map(str::to_owned)
        .or(readability)
}

/// The language of a text, as an ISO 639-3 code (`"eng"`, `"deu"`), when `whatlang` is
/// confident; `None` for short or mixed texts.
pub(crate) fn language(text: &str) -> Option<&'static str> {
    // A thousand bytes decide it (whatlang's trigram scores settle within a few hundred
    // characters); more costs time, a fifth of a corpus scan's read phase at 4,000.
    let mut end = text.len().min(1000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    info.is_reliable().then(|| info.lang().code())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(html: &str) -> Option<(String, DateFrom)> {
        super::published(&Document::from(html))
    }

    #[test]
    fn a_huge_title_is_not_searched_for_every_line() {
        // A hostile page: a <title> of 200 kB that holds every short line of the page.
        let title = "Storm cuts power ".repeat(12_000);
        let html = format!("<html><head><title>{title}</title></head><body></body></html>");
        let mut cues = TitleCues::of(&Document::from(html.as_str()));
        let visible = "Storm cuts power\n".repeat(20_000);
        cues.add_lines(&visible);
        assert!(cues.lines.is_empty(), "{:?}", cues.lines.first());
        // A title of ordinary length still finds its line.
        let html = "<html><head><title>Storm cuts power | Lisk Courier</title></head></html>";
        let mut cues = TitleCues::of(&Document::from(html));
        cues.add_lines("Storm cuts power\nOther line");
        assert_eq!(cues.lines, ["Storm cuts power"]);
    }

    #[test]
    fn json_ld_article_first() {
        let html = r#"<html><head>
            <meta property="article:published_time" content="2026-01-02T00:00:00Z">
            <script type="application/ld+json">{"@type": "WebSite", "name": "x"}</script>
            <script type="application/ld+json">{"@graph": [
              {"@type": "ImageObject", "datePublished": "2020-01-01"},
              {"@type": ["NewsArticle"], "datePublished": "2026-11-20T08:15:00+01:00"}]}</script>
            </head><body></body></html>"#;
        assert_eq!(
            published(html),
            Some(("2026-11-20T08:15:00+01:00".into(), DateFrom::JsonLd))
        );
    }

    #[test]
    fn meta_tags_by_rank() {
        let html = r#"<head><meta name="date" content="2026-03-01">
            <meta name="pubdate" content="2026-02-01">
            <meta name="description" content="2026 in review"></head>"#;
        assert_eq!(published(html), Some(("2026-02-01".into(), DateFrom::Meta)));
    }

    #[test]
    fn time_elements_marked_first() {
        let html = r#"<body><header><time datetime="2026-11-25">Today</time></header>
            <article><time itemprop="datePublished" datetime="2026-11-19T10:00">Nov 19</time>
            </article></body>"#;
        assert_eq!(
            published(html),
            Some(("2026-11-19T10:00".into(), DateFrom::Time))
        );
        assert_eq!(published("<p>No dates here.</p>"), None);
    }

    fn cues(tag: &str, h1: &str) -> TitleCues {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        TitleCues {
            tag: some(tag),
            h1: some(h1).into_iter().collect(),
            headings: some(h1).into_iter().collect(),
            lines: Vec::new(),
        }
    }

    #[test]
    fn titles_that_are_no_headline_give_way() {
        let headline = "Ferry strike strands islanders";
        let tag = "Ferry strike strands islanders | Harbour Gazette";
        let choose = |title: &str, cues: &TitleCues| {
            choose_title(Some(title.to_owned()), cues, Some("Harbour Gazette"), None)
        };
        // A share bar, a date, the site's name, a placeholder: the <h1>, else the <title>
        // without the site's name.
        assert_eq!(
            choose("f Share t Tweet", &cues(tag, headline)).as_deref(),
            Some(headline)
        );
        assert_eq!(
            choose("12.03.2021", &cues(tag, "")).as_deref(),
            Some(headline)
        );
        assert_eq!(
            choose("March 4, 2020 10:15 am", &cues(tag, "")).as_deref(),
            Some(headline)
        );
        assert_eq!(
            choose("Harbour Gazette", &cues(tag, "")).as_deref(),
            Some(headline)
        );
        assert_eq!(
            choose("escenic", &cues(tag, headline)).as_deref(),
            Some(headline)
        );
        assert_eq!(
            choose("Newsroom", &cues(tag, "")).as_deref(),
            Some(headline)
        );
        // A headline from og:title or JSON-LD stays, worded as the page words it or not quite.
        assert_eq!(
            choose("Ferry strike: islanders stranded", &cues(tag, headline)).as_deref(),
            Some("Ferry strike: islanders stranded")
        );
        assert_eq!(choose(headline, &cues("", "")).as_deref(), Some(headline));
        // Nothing better: readability's title stays.
        assert_eq!(
            choose("f Share t Tweet", &cues("", "")).as_deref(),
            Some("f Share t Tweet")
        );
        assert_eq!(
            headline_part("Harbour Gazette :: Ferry strike strands islanders //"),
            headline
        );
    }

    #[test]
    fn the_heading_the_title_frames_is_the_headline() {
        let headline = "Ferry strike strands islanders";
        let page = |tag: &str, headings: &[&str]| TitleCues {
            tag: Some(tag.to_owned()),
            h1: Vec::new(),
            headings: headings.iter().map(|h| (*h).to_owned()).collect(),
            lines: Vec::new(),
        };
        let choose = |title: &str, cues: &TitleCues| {
            choose_title(Some(title.to_owned()), cues, None, Some("gazette.example"))
        };
        // The <title> (or og:title) with a section and the site's name around the headline:
        // the heading the page shows.
        let tag = "Ferry strike strands islanders - Local - Harbour Gazette";
        let cues = page(tag, &["Harbour Gazette", "Local", headline, "Most read"]);
        assert_eq!(
            choose("Ferry strike strands islanders - Local", &cues).as_deref(),
            Some(headline)
        );
        let cues = page(
            "Local | Ferry strike strands islanders | Gazette",
            &[headline],
        );
        assert_eq!(
            choose("Local | Ferry strike strands islanders", &cues).as_deref(),
            Some(headline)
        );
        // A heading that only starts the title's headline is another heading.
        let cues = page(
            "Ferry strike strands islanders on Lindholm",
            &["Ferry strike"],
        );
        assert_eq!(
            choose("Ferry strike strands islanders on Lindholm", &cues).as_deref(),
            Some("Ferry strike strands islanders on Lindholm")
        );
        // A heading that names the site is not the headline.
        let cues = page(
            "Ferry strike strands islanders | The Gazette",
            &["The Gazette"],
        );
        assert_eq!(
            choose("Ferry strike strands islanders | The Gazette", &cues).as_deref(),
            Some("Ferry strike strands islanders | The Gazette")
        );
    }

    #[test]
    fn headings_are_read_by_tag_class_and_id() {
        let html = r#"<html><head><title>Ferry strike strands islanders - Gazette</title></head>
            <body><div id="site-title">Harbour Gazette</div>
            <table><tr><td class="Article_Headline">Ferry strike strands islanders</td></tr></table>
            <h2>Weather</h2><p class="intro">The last ferry left at nine.</p></body></html>"#;
        let cues = TitleCues::of(&Document::from(html));
        assert_eq!(
            cues.headings,
            [
                "Harbour Gazette",
                "Ferry strike strands islanders",
                "Weather"
            ]
        );
        assert_eq!(
            choose_title(Some(cues.tag.clone().unwrap()), &cues, None, None).as_deref(),
            Some("Ferry strike strands islanders")
        );
    }

    #[test]
    fn a_line_of_its_own_the_title_tag_frames_is_the_headline() {
        let headline = "Ferry strike strands islanders";
        let page = |tag: &str, headings: &[&str], visible: &str| {
            let mut cues = TitleCues {
                tag: Some(tag.to_owned()),
                h1: Vec::new(),
                headings: headings.iter().map(|h| (*h).to_owned()).collect(),
                lines: Vec::new(),
            };
            cues.add_lines(visible);
            cues
        };
        let choose =
            |title: &str, cues: &TitleCues| choose_title(Some(title.to_owned()), cues, None, None);
        // The headline in a <b> of a table cell, readability's title the site and section.
        let tag = "Harbour Gazette - Local News - Ferry strike strands islanders";
        let visible = "Home\nLocal News\nFerry strike  strands islanders\nThe last ferry left.";
        let cues = page(tag, &["Local News"], visible);
        assert_eq!(cues.lines, ["Local News", headline]);
        assert_eq!(
            choose("Harbour Gazette - Local News", &cues).as_deref(),
            Some(headline)
        );
        assert_eq!(choose(tag, &cues).as_deref(), Some(headline));
        // A short heading beside a longer part is a section's name, not the headline.
        let tag = "Premier League - Warnock wins on his return to the Lane";
        let cues = page(tag, &["Premier League"], "Premier League\nSport");
        assert_eq!(choose(tag, &cues).as_deref(), Some(tag));
        // The whole <title> shown again as a line (a print header) does not replace a headline.
        let tag = "Harbour Gazette | Local | Ferry strike strands islanders";
        let cues = page(tag, &[], tag);
        assert_eq!(choose(headline, &cues).as_deref(), Some(headline));
        // So does a headline from og:title that the page shows as its heading, beside the
        // site's name in the <title> and in a heading of its own.
        let tag = "Ferry strike strands islanders - The Harbour Gazette Online";
        let cues = page(tag, &["The Harbour Gazette Online", headline], "");
        assert_eq!(choose(headline, &cues).as_deref(), Some(headline));
        // A title the page shows as its heading stays: a line that is a part of it is a
        // subtitle.
        let title = "The ferry question: who pays for the island's boats";
        let cues = page(title, &[title], "Who pays for the island's boats");
        assert_eq!(choose(title, &cues).as_deref(), Some(title));
    }

    #[test]
    fn the_heading_above_the_article_replaces_a_title_that_says_nothing_of_it() {
        let visible = "Harbour Gazette\nMost read\nFerry strike strands islanders\n\
            Posted: 6:12 PM Dec 30, 2026\nThe last ferry to Lindholm left at nine, and the \
            strike strands forty islanders on the quay.";
        let start = visible.find("The last").unwrap();
        let located = std::slice::from_ref(&(start..visible.len())).to_vec();
        let cues = |tag: &str, headings: &[&str]| TitleCues {
            tag: Some(tag.to_owned()),
            h1: Vec::new(),
            headings: headings.iter().map(|h| (*h).to_owned()).collect(),
            lines: Vec::new(),
        };
        let headings = [
            "Most read",
            "Ferry strike strands islanders",
            "Posted: 6:12 PM Dec 30, 2026",
        ];
        let above =
            |title: Option<&str>, cues: &TitleCues| heading_above(visible, &located, title, cues);
        // The site's name as the title, or no title: the heading right above the article.
        let page = cues("Harbour Gazette", &headings);
        assert_eq!(
            above(Some("Harbour Gazette"), &page).as_deref(),
            Some("Ferry strike strands islanders")
        );
        assert_eq!(
            above(None, &page).as_deref(),
            Some("Ferry strike strands islanders")
        );
        // A title that speaks of the article, or that the page shows as its heading, stays.
        assert_eq!(above(Some("Islanders stranded"), &page), None);
        let page = cues("The Final Word", &["The Final Word", headings[1]]);
        assert_eq!(above(Some("The Final Word"), &page), None);
        // No heading that speaks of the article above it: nothing.
        let page = cues("Harbour Gazette", &["Most read"]);
        assert_eq!(above(Some("Harbour Gazette"), &page), None);
    }

    #[test]
    fn languages() {
        let english = "The last ferry to Lindholm left at nine on Monday, and the crews walked out at noon, leaving forty people on the quay.";
        assert_eq!(language(english), Some("eng"));
        let german = "Die letzte Fähre nach Lindholm legte am Montag um neun Uhr ab, und die Besatzungen streikten am Mittag.";
        assert_eq!(language(german), Some("deu"));
        assert_eq!(language("ok"), None);
    }
}
