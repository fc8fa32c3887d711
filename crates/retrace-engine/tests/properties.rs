//! Property tests of the pair engine (library level, no process per case).

use proptest::prelude::*;
use retrace_judge::Relation;
use retrace_report::json::CompareJson;
use retrace_report::{PairReport, ReportDoc};
use retrace_span::Origin;

const WORDS: &[&str] = &[
    "the",
    "river",
    "rose",
    "Kestrin",
    "mayor",
    "said",
    "about",
    "40",
    "people",
    "fled",
    "on",
    "Sunday",
    "\u{201C}we",
    "stayed\u{201D}",
    "could",
    "not",
    "confirm",
    "3,200",
    "homes",
    "Dr.",
    "U.S.",
    "é",
    "—",
    "shelters",
    "opened",
    "dam",
    "operator",
    "warned",
    "allegedly",
];

fn article() -> impl Strategy<Value = String> {
    let sentence = prop::collection::vec(prop::sample::select(WORDS), 3..14).prop_map(|words| {
        let mut s = words.join(" ");
        s.push('.');
        s
    });
    prop::collection::vec((sentence, prop::bool::ANY), 2..12).prop_map(|sentences| {
        let mut text = String::new();
        for (s, paragraph_break) in sentences {
            text.push_str(&s);
            text.push_str(if paragraph_break { "\n\n" } else { " " });
        }
        text
    })
}

fn raw(text: &str) -> retrace_ingest::RawDoc {
    retrace_ingest::read_bytes(Origin::Stdin, text.as_bytes().to_vec(), None).expect("valid input")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_slice_valid_utf8_of_the_input(a in article(), b in article()) {
        let engine = retrace_engine::Engine::lexical();
        let (ra, rb) = (raw(&a), raw(&b));
        let Ok(compared) = engine.compare(&ra, &rb) else { return Ok(()) };
        let report = PairReport {
            a: ReportDoc::new(&ra.text, &compared.a.analyzed),
            b: ReportDoc::new(&rb.text, &compared.b.analyzed),
            alignment: &compared.alignment,
            verdict: &compared.verdict,
        };
        let json = CompareJson::new(&report);
        let check = |input: &str, span: &retrace_report::json::SpanJson| {
            let (s, e) = (span.start as usize, span.end as usize);
            s <= e && input.is_char_boundary(s) && input.is_char_boundary(e) && input[s..e] == span.text
        };
        for pair in &json.alignment {
            prop_assert!(check(&a, &pair.a));
            prop_assert!(check(&b, &pair.b));
        }
        for span in &json.unaligned.a {
            prop_assert!(check(&a, span));
        }
        for change in &json.changes {
            if let Some(span) = &change.a { prop_assert!(check(&a, span)); }
            if let Some(span) = &change.b { prop_assert!(check(&b, span)); }
        }
    }

    #[test]
    fn an_article_is_a_duplicate_of_itself(a in article()) {
        let engine = retrace_engine::Engine::lexical();
        let ra = raw(&a);
        let Ok(compared) = engine.compare(&ra, &ra) else { return Ok(()) };
        prop_assert_eq!(compared.verdict.relation, Relation::Duplicate);
        prop_assert_eq!(compared.alignment.coverage_a, 1.0);
        prop_assert_eq!(compared.alignment.coverage_b, 1.0);
        prop_assert!(compared.verdict.changes.is_empty());
    }
}
