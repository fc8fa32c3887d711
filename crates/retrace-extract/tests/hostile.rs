//! Hostile HTML (issue 13): deep nesting, many elements, many attributes. Every case runs on a
//! thread with a 256 KiB stack (a rayon worker gets 2 MiB), so that any recursion left unbounded
//! overflows here instead of aborting a corpus run; limits are checked by what is skipped and
//! why, never by the clock.

use proptest::prelude::*;
use retrace_extract::{Article, Error, ErrorKind, Extractor, ExtractorBuilder, Limit};
use retrace_ingest::{Format, RawDoc};
use retrace_span::Origin;

/// The stack every case runs on.
const SMALL_STACK: usize = 256 * 1024;

/// Invented article paragraphs, long enough for readability to take them.
const STORY: [&str; 3] = [
    "The last ferry to Lindholm left the harbour at nine on Monday morning, carrying forty \
     passengers, two vans of groceries and the island's only doctor back from a conference.",
    "Crews walked out at noon over a dispute about overtime pay that has simmered since the \
     spring, when the operator cut the winter timetable without consulting the union.",
    "Islanders gathered on the quay through the afternoon, some with suitcases, others simply \
     to watch the empty berth and trade rumours about when the boats might sail again.",
];

fn story() -> String {
    STORY.iter().map(|p| format!("<p>{p}</p>")).collect()
}

/// Extracts `html` with `extractor` on a thread with a small stack.
fn extract_on_small_stack(html: String, extractor: Extractor) -> Result<Article, Error> {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let doc = RawDoc::new(Origin::Stdin, html, Format::Html);
            extractor.extract(&doc)
        })
        .expect("a thread")
        .join()
        .expect("no panic")
}

fn extract(html: String) -> Result<Article, Error> {
    extract_on_small_stack(html, Extractor::default())
}

fn over_limit(result: Result<Article, Error>) -> (Limit, String) {
    match result {
        Err(Error {
            kind: ErrorKind::OverLimit { limit, .. },
            origin,
        }) => (
            limit,
            Error {
                origin,
                kind: ErrorKind::OverLimit { limit, line: None },
            }
            .to_string(),
        ),
        Err(err) => panic!("skipped for another reason: {err}"),
        Ok(article) => panic!("extracted: {:?}", article.text),
    }
}

#[test]
fn issue_13_thirty_thousand_nested_spans_are_skipped() {
    let html = format!(
        "<html><body>{}{}{}</body></html>",
        "<span>".repeat(30_000),
        story(),
        "</span>".repeat(30_000)
    );
    let (limit, message) = over_limit(extract(html));
    assert_eq!(limit, Limit::Depth(512));
    assert_eq!(
        message,
        "<stdin>: nesting deeper than 512 elements; page skipped"
    );
}

#[test]
fn issue_13_a_hundred_thousand_nested_divs_are_skipped() {
    let html = format!("<body>{}{}", "<div>".repeat(100_000), story());
    assert_eq!(over_limit(extract(html)).0, Limit::Depth(512));
}

#[test]
fn issue_13_an_article_nested_just_within_the_limit_is_read() {
    // html, body and 500 divs: 502 levels, the paragraphs at 503 and their links at 504.
    let linked = STORY[1].replacen("overtime pay", "<a href=/pay><b>overtime pay</b></a>", 1);
    let html = format!(
        "<html><head><title>Ferry strike</title></head><body>{}<article><h1>Ferry strike</h1>\
         <p>{}</p><p>{linked}</p><p>{}</p></article>{}</body></html>",
        "<div class=wrap>".repeat(500),
        STORY[0],
        STORY[2],
        "</div>".repeat(500)
    );
    let article = extract(html).expect("an article");
    assert_eq!(article.text, STORY.join("\n\n"));
}

#[test]
fn issue_13_unclosed_formatting_elements_are_skipped() {
    // Each `<b>` differs, so the parser's list of active formatting elements keeps them all,
    // and every one opens another level.
    let tags: String = (0..20_000).map(|i| format!("<b id=b{i}>")).collect();
    let html = format!("<body><p>{tags}{}", story());
    assert_eq!(over_limit(extract(html)).0, Limit::Depth(512));
}

#[test]
fn issue_13_nested_templates_count_as_nesting() {
    // Template contents hang off their template, not under it; the walks that serialize them
    // recurse all the same.
    let html = format!(
        "<body>{}{}{}",
        story(),
        "<template><div>".repeat(20_000),
        "</div></template>".repeat(20_000)
    );
    assert_eq!(over_limit(extract(html)).0, Limit::Depth(512));
}

#[test]
fn issue_13_many_attributes_on_one_element_are_skipped_before_parsing() {
    // The parser compares each attribute name with all earlier ones: 200,000 attributes would
    // take it 2·10¹⁰ comparisons.
    let attributes: String = (0..200_000).map(|i| format!(" a{i}=x")).collect();
    let html = format!(
        "<html>\n<body>\n<p{attributes}>{}</p></body></html>",
        STORY[0]
    );
    let result = extract(html);
    let Err(Error {
        kind: ErrorKind::OverLimit { limit, line },
        ..
    }) = &result
    else {
        panic!("not skipped: {result:?}");
    };
    assert_eq!((*limit, *line), (Limit::Attributes(256), Some(3)));
    assert_eq!(
        result.unwrap_err().kind.to_string(),
        "over 256 attributes on one element (by line 3); page skipped"
    );
}

#[test]
fn attributes_inside_scripts_and_comments_are_not_counted() {
    // Code and comments are not tags, however many words follow a `<`.
    let words = "x ".repeat(1_000);
    let html = format!(
        "<html><head><script>if (a <b {words}) {{}}</script><!-- <c {words}> --></head>\
         <body><article>{}</article></body></html>",
        story()
    );
    let article = extract(html).expect("an article");
    assert_eq!(article.text, STORY.join("\n\n"));
}

#[test]
fn limits_are_set_on_the_builder() {
    let html = format!(
        "<body>{}<div><div><div><p id=a class=b title=c>{}</p></div></div></div>",
        story(),
        STORY[0]
    );
    let extract_with = |builder: ExtractorBuilder| {
        extract_on_small_stack(html.clone(), builder.detect_language(false).build())
    };
    assert!(extract_with(ExtractorBuilder::new()).is_ok());
    assert_eq!(
        over_limit(extract_with(ExtractorBuilder::new().max_depth(4))).0,
        Limit::Depth(4)
    );
    assert_eq!(
        over_limit(extract_with(ExtractorBuilder::new().max_elements(8))).0,
        Limit::Elements(8)
    );
    assert_eq!(
        over_limit(extract_with(ExtractorBuilder::new().max_attributes(2))).0,
        Limit::Attributes(2)
    );
    let many = format!("<body>{}{}", "<br>".repeat(2_000), story());
    let (_, message) = over_limit(extract_on_small_stack(
        many,
        ExtractorBuilder::new().max_elements(1_500).build(),
    ));
    assert!(message.contains("over 1,500 elements"), "{message}");
}

/// Pieces of hostile markup: openings without ends, ends without openings, attribute storms,
/// comments and scripts left open, entities, long text.
fn piece() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "div",
        "span",
        "p",
        "b",
        "i",
        "a",
        "table",
        "tr",
        "td",
        "li",
        "ul",
        "svg",
        "math",
        "template",
        "script",
        "style",
        "title",
        "textarea",
        "select",
        "option",
        "font",
        "h1",
        "article",
        "nav",
        "form",
        "frameset",
        "plaintext",
        "noscript",
        "object",
    ]);
    prop_oneof![
        (tag.clone(), 1..800usize).prop_map(|(t, n)| format!("<{t}>").repeat(n)),
        (tag.clone(), 1..800usize).prop_map(|(t, n)| format!("</{t}>").repeat(n)),
        (tag.clone(), 1..400usize).prop_map(|(t, n)| format!("<{t} class=x><i>").repeat(n)),
        (tag.clone(), 0..600usize).prop_map(|(t, n)| {
            let attributes: String = (0..n).map(|i| format!(" a{i}=\"{i}\"")).collect();
            format!("<{t}{attributes}>")
        }),
        (1..2_000usize).prop_map(|n| "&amp;&#8220;&nbsp;".repeat(n)),
        (1..20_000usize).prop_map(|n| "word ".repeat(n)),
        Just("<!-- never closed".to_owned()),
        Just("<script>var a = '<p>'".to_owned()),
        Just("<a href=\"unclosed".to_owned()),
        Just("<p>".to_owned() + STORY[0]),
        Just("\u{0}\u{feff}\r\n<\u{e9}>".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No page panics or overflows the stack; a page is either read or skipped for a named
    /// reason, and what is read maps back into the input.
    #[test]
    fn hostile_pages_are_read_or_skipped(pieces in prop::collection::vec(piece(), 1..12)) {
        let html: String = pieces.concat();
        let extractor = ExtractorBuilder::new().max_elements(20_000).build();
        match extract_on_small_stack(html.clone(), extractor) {
            Ok(article) => {
                for (range, _) in article.paragraphs() {
                    let span = article.span(range);
                    prop_assert!(span.end as usize <= html.len());
                    prop_assert!(html.is_char_boundary(span.start as usize));
                    prop_assert!(html.is_char_boundary(span.end as usize));
                }
            }
            Err(err) => {
                let named = matches!(err.kind, ErrorKind::NoArticle | ErrorKind::OverLimit { .. });
                prop_assert!(named, "{}", err);
            }
        }
    }
}

#[test]
fn short_lines_in_deep_wrappers_after_the_article_are_read_once() {
    // 50 closing lines after the article, each inside 200 nested <div>s: every wrapper has the
    // line's length, and the trailing-line check reads the text once per chain, not per level.
    let lines: String = (100..150)
        .map(|n| {
            format!(
                "{}Note {n} from the quay{}",
                "<div>".repeat(200),
                "</div>".repeat(200)
            )
        })
        .collect();
    let html = format!(
        "<html><head><title>Ferry strike</title></head><body><article><h1>Ferry strike</h1>\
         {}{lines}</article></body></html>",
        story()
    );
    let article = extract(html).expect("an article");
    assert!(article.text.starts_with(STORY[0]), "{}", article.text);
    assert_eq!(
        article.text.matches("Note ").count(),
        50,
        "{}",
        article.text
    );
}
