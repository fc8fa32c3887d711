//! Each invented page in `tests/fixtures/` is extracted, and every paragraph of the result is
//! checked against the input bytes its map points to.

use std::path::Path;

use retrace_extract::{Article, DropReason, ErrorKind, extract};
use retrace_ingest::{Format, RawDoc, read_path};

fn load(name: &str) -> RawDoc {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    read_path(&path).expect("fixture reads")
}

/// What a reader sees of an HTML slice: tags removed, entities decoded, whitespace collapsed.
/// Written independently of the crate's scanner, so that it checks it.
fn rendered(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    collapsed(&html_escape::decode_html_entities(&text))
}

fn collapsed(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every paragraph of `article` (and of its embedded articles) maps to the input that holds it:
/// an exact copy for text, the same visible text for HTML.
fn assert_paragraphs_map_back(doc: &RawDoc, article: &Article) {
    assert!(!article.text.is_empty());
    for (range, paragraph) in article.paragraphs() {
        assert!(
            !paragraph.trim().is_empty(),
            "empty paragraph in {:?}",
            article.text
        );
        assert_eq!(paragraph, paragraph.trim(), "paragraphs are trimmed");
        let source = article.span(range).slice(&doc.text);
        match doc.format {
            Format::Text => assert_eq!(source, paragraph),
            Format::Html => assert_eq!(rendered(source), collapsed(paragraph), "{source:?}"),
        }
    }
    if let (Some(title), Some(span)) = (&article.title, article.title_span) {
        let source = span.slice(&doc.text);
        match doc.format {
            Format::Text => assert_eq!(source, title),
            Format::Html => assert_eq!(rendered(source), collapsed(title)),
        }
    }
    for embedded in &article.embedded {
        assert_paragraphs_map_back(doc, embedded);
    }
}

fn reasons(article: &Article) -> Vec<DropReason> {
    article.dropped.iter().map(|d| d.reason).collect()
}

#[test]
fn aggregator_dump_with_trailing_blocks_and_pasted_stories() {
    let doc = load("aggregator.txt");
    let article = extract(&doc).unwrap();
    assert_paragraphs_map_back(&doc, &article);
    assert!(
        article
            .title
            .as_deref()
            .unwrap()
            .starts_with("\u{2018}We heard the hull crack")
    );
    assert_eq!(
        article.paragraphs().count(),
        9,
        "eight paragraphs and one subheading"
    );
    assert!(article.text.contains("REPAIRS AND RECRIMINATIONS"));
    assert!(article.text.ends_with("council leader Jonas R\u{f8} said."));
    assert!(!article.text.contains("Hashtags") && !article.text.contains("Reporting by"));
    let dropped = reasons(&article);
    assert_eq!(
        dropped
            .iter()
            .filter(|r| **r == DropReason::Boundary)
            .count(),
        3
    );
    assert!(dropped.contains(&DropReason::Credit) && dropped.contains(&DropReason::Timestamp));
    let titles: Vec<&str> = article
        .embedded
        .iter()
        .map(|e| e.title.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        [
            "Town votes to keep its last cinema open for another year",
            "Herring catch falls to a ten-year low"
        ]
    );
    assert!(article.embedded.iter().all(|e| e.paragraphs().count() == 1));
}

#[test]
fn broadcaster_dump_with_caption_and_author_bio() {
    let doc = load("broadcaster.txt");
    let article = extract(&doc).unwrap();
    assert_paragraphs_map_back(&doc, &article);
    assert_eq!(
        article.title.as_deref(),
        Some("Dam inspectors find cracks in the Eldvatn spillway")
    );
    assert_eq!(article.paragraphs().count(), 7);
    assert!(article.text.ends_with("said farmer Erik Dahl."));
    assert!(!article.text.contains("Workers check the sluice gates"));
    assert!(!article.text.contains("Lena Brekke"));
    assert_eq!(
        reasons(&article),
        [
            DropReason::Furniture,
            DropReason::Furniture,
            DropReason::Caption,
            DropReason::Caption,
            DropReason::Furniture,
            DropReason::AuthorBio,
            DropReason::AuthorBio,
        ]
    );
    assert!(article.embedded.is_empty());
}

#[test]
fn clean_rewrite_keeps_everything() {
    let doc = load("rewrite.txt");
    let article = extract(&doc).unwrap();
    assert_paragraphs_map_back(&doc, &article);
    assert_eq!(article.title, None, "the first line is a sentence");
    assert_eq!(article.paragraphs().count(), 7);
    assert!(article.dropped.is_empty());
}

#[test]
fn hard_wrapped_newsletter() {
    let doc = load("newsletter.txt");
    let article = extract(&doc).unwrap();
    assert_paragraphs_map_back(&doc, &article);
    assert_eq!(
        article.title.as_deref(),
        Some("Orchard growers count the cost of a late frost")
    );
    assert_eq!(article.byline.as_deref(), Some("Tomas Ekberg"));
    let paragraphs: Vec<&str> = article.paragraphs().map(|(_, p)| p).collect();
    assert_eq!(paragraphs.len(), 4);
    assert!(paragraphs[0].starts_with("Apple and pear") && paragraphs[0].ends_with("five years."));
    assert!(!article.text.contains("Advertisement") && !article.text.contains("Sign up"));
}

#[test]
fn navigation_only_is_not_an_article() {
    let doc = load("navigation.txt");
    let err = extract(&doc).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NoArticle);
    assert!(
        err.to_string().contains("navigation.txt: no article found"),
        "{err}"
    );
}

#[test]
fn html_page_with_furniture_and_entities() {
    let doc = load("page.html");
    assert_eq!(doc.format, Format::Html);
    let article = extract(&doc).unwrap();
    assert_paragraphs_map_back(&doc, &article);
    assert_eq!(
        article.title.as_deref(),
        Some("Night ferry runs aground off Skarv\u{f8}y")
    );
    assert!(
        article
            .title_span
            .unwrap()
            .slice(&doc.text)
            .starts_with("Night ferry")
    );
    assert_eq!(article.byline.as_deref(), Some("Ada Lind"));
    assert_eq!(article.site.as_deref(), Some("Lindholm Courier"));
    assert_eq!(article.published.as_deref(), Some("2031-02-04T07:30:00Z"));
    assert_eq!(
        article.url.as_deref(),
        Some("https://courier.example/news/ferry-aground")
    );
    let paragraphs: Vec<&str> = article.paragraphs().map(|(_, p)| p).collect();
    assert!(
        paragraphs[0]
            .starts_with("The night crossing to Lindholm left the mainland pier at 9.40 p.m.")
    );
    assert!(paragraphs.contains(&"Repairs & recriminations"));
    assert!(
        paragraphs
            .iter()
            .any(|p| p.starts_with("\u{201c}We heard the hull crack"))
    );
    assert!(paragraphs.iter().any(|p| p.contains("Jonas R\u{f8} said.")));
    assert_eq!(
        paragraphs.last(),
        Some(&"The ministry said it would reply to the council by the end of the month.")
    );
    for furniture in [
        "cookies",
        "Home",
        "Share on",
        "Related articles",
        "Town votes",
        "rights reserved",
        "not text",
    ] {
        assert!(
            !article.text.contains(furniture),
            "{furniture} leaked into {:?}",
            article.text
        );
    }
    // An entity maps to the whole reference in the source.
    let amp = article.text.find('&').unwrap();
    assert_eq!(article.span(amp..amp + 1).slice(&doc.text), "&amp;");
}

#[test]
fn html_fragment_without_metadata() {
    let doc = load("fragment.html");
    let article = extract(&doc).unwrap();
    assert_paragraphs_map_back(&doc, &article);
    assert_eq!(
        article.title.as_deref(),
        Some("Herring catch falls to a ten-year low")
    );
    assert_eq!(article.paragraphs().count(), 2);
    assert!(article.text.contains("warmer water & an early end"));
    assert_eq!(
        reasons(&article),
        [DropReason::Furniture],
        "the share prompt"
    );
}

const FIXTURES: &[&str] = &[
    "aggregator.txt",
    "broadcaster.txt",
    "rewrite.txt",
    "newsletter.txt",
    "page.html",
    "fragment.html",
];

proptest::proptest! {
    /// Any range of the body, cut on its own character boundaries, maps to character boundaries
    /// of the input, in order.
    #[test]
    fn spans_land_on_char_boundaries(fixture in 0..FIXTURES.len(), a in 0.0f64..1.0, b in 0.0f64..1.0) {
        let doc = load(FIXTURES[fixture]);
        let article = extract(&doc).unwrap();
        for article in std::iter::once(&article).chain(&article.embedded) {
            let boundaries: Vec<usize> = article
                .text
                .char_indices()
                .map(|(i, _)| i)
                .chain([article.text.len()])
                .collect();
            let pick = |x: f64| boundaries[((boundaries.len() - 1) as f64 * x) as usize];
            let (start, end) = (pick(a.min(b)), pick(a.max(b)));
            let span = article.span(start..end);
            proptest::prop_assert!(span.start <= span.end);
            proptest::prop_assert!(doc.text.is_char_boundary(span.start as usize));
            proptest::prop_assert!(doc.text.is_char_boundary(span.end as usize));
            proptest::prop_assert!(span.end as usize <= doc.text.len());
        }
    }
}
