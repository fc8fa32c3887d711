//! One test per change kind, on tiny invented pairs (source first).

use retrace_span::{OffsetMap, Origin};
use retrace_text::Analyzed;

use crate::{ChangeKind, Judge, Relation, Side, Verdict};

/// The analysis of a text given as is (its own offsets); shared by the detectors' own tests.
pub(super) fn doc(text: &str) -> Analyzed {
    retrace_text::Analyzer::new().analyze(
        Origin::Stdin,
        None,
        text,
        &OffsetMap::identity(text.len() as u32),
    )
}

/// Both texts analyzed, aligned and judged, `a` first.
pub(super) fn judge(a: &str, b: &str) -> (Analyzed, Analyzed, Verdict) {
    let (a, b) = (doc(a), doc(b));
    let alignment = retrace_align::Aligner::default().align(&a, &b);
    let verdict = Judge::default().judge(&a, &b, &alignment);
    (a, b, verdict)
}

fn kinds(verdict: &Verdict) -> Vec<ChangeKind> {
    verdict.changes.iter().map(|c| c.kind).collect()
}

const WIRE: &str = "Storms cut power to 4,000 homes in Dunmore on March 3, the utility said. \
Crews from Lisk and Varn worked through the night to clear fallen lines. \
\"We have never seen damage like this,\" said foreman Alda Reyes. \
The utility could not independently confirm reports of a second outage in the hills. \
Early readings indicated the substation had flooded. \
Schools in the district will stay closed until Friday.";

/// [`WIRE`] with its last sentence ("Schools in the district will stay closed until Friday.")
/// replaced by `last`: the pair the detector tests vary.
fn ending(last: &str) -> String {
    WIRE.replace(
        "Schools in the district will stay closed until Friday.",
        last,
    )
}

/// Checks that no change of `kind` is reported.
fn assert_none(verdict: &Verdict, kind: ChangeKind) {
    assert!(
        !kinds(verdict).contains(&kind),
        "{kind:?} reported: {:#?}",
        verdict.changes
    );
}

/// Finds the change of `kind` and checks that its spans cover the given texts.
fn assert_change(
    a: &Analyzed,
    b: &Analyzed,
    verdict: &Verdict,
    kind: ChangeKind,
    in_a: Option<&str>,
    in_b: Option<&str>,
) {
    let change = verdict
        .changes
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {:#?}", verdict.changes));
    if let Some(text) = in_a {
        let range = change.a.clone().expect("a span");
        assert!(
            a.slice(&range).contains(text),
            "{kind:?}: {:?} lacks {text:?}",
            a.slice(&range)
        );
    }
    if let Some(text) = in_b {
        let range = change.b.clone().expect("b span");
        assert!(
            b.slice(&range).contains(text),
            "{kind:?}: {:?} lacks {text:?}",
            b.slice(&range)
        );
    }
}

#[test]
fn a_faithful_copy_has_no_changes() {
    let (_, _, verdict) = judge(WIRE, WIRE);
    assert_eq!(verdict.relation, Relation::Duplicate);
    assert!(verdict.changes.is_empty());
}

#[test]
fn quote_altered() {
    let b = WIRE.replace(
        "We have never seen damage like this",
        "We have never seen damage this bad",
    );
    let (a, b, verdict) = judge(WIRE, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::QuoteAltered,
        Some("never seen damage like"),
        Some("this bad"),
    );
}

#[test]
fn quote_invented() {
    // A quotation in one text only does not tell which is the copy (rewrites turn quotations
    // into narration far more often than they invent them): the credit line does.
    let b = ending(
        "\"Schools in the district will stay closed until Friday,\" the superintendent said. \
         This story was originally published by the Dunmore Ledger.",
    );
    let (a, b, verdict) = judge(WIRE, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::QuoteInvented,
        Some("Schools"),
        Some("stay closed"),
    );
}

#[test]
fn number_changed() {
    let (a, b, verdict) = judge(WIRE, &WIRE.replace("4,000 homes", "6,500 homes"));
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::NumberChanged,
        Some("4,000"),
        Some("6,500"),
    );
}

#[test]
fn date_changed() {
    let (a, b, verdict) = judge(WIRE, &WIRE.replace("March 3", "March 5"));
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DateChanged,
        Some("March 3"),
        Some("March 5"),
    );
}

#[test]
fn name_changed() {
    let (a, b, verdict) = judge(WIRE, &WIRE.replace("Alda Reyes", "Bruno Castel"));
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::NameChanged,
        Some("Reyes"),
        Some("Castel"),
    );
}

#[test]
fn hedge_dropped_when_the_caveat_sentence_is_cut() {
    let b = WIRE.replace(
        "The utility could not independently confirm reports of a second outage in the hills. ",
        "",
    );
    let (a, b, verdict) = judge(WIRE, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("could not independently confirm"),
        None,
    );
    assert_eq!(verdict.source, Some(Side::A));
}

#[test]
fn hedge_dropped_from_an_aligned_sentence() {
    let a = WIRE.replace("Crews from Lisk", "Crews reportedly from Lisk");
    let (a, b, verdict) = judge(&a, WIRE);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("reportedly"),
        Some("Crews from Lisk"),
    );
}

#[test]
fn attribution_dropped() {
    let (a, b, verdict) = judge(
        WIRE,
        &WIRE.replace(" on March 3, the utility said.", " on March 3."),
    );
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::AttributionDropped,
        Some("utility"),
        Some("Storms"),
    );
}

#[test]
fn certainty_inflated() {
    let (a, b, verdict) = judge(
        WIRE,
        &WIRE.replace("Early readings indicated", "Early readings confirmed"),
    );
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::CertaintyInflated,
        Some("indicated"),
        Some("confirmed"),
    );
}

#[test]
fn an_alleged_role_stated_as_fact_is_a_dropped_hedge_beside_a_charge() {
    // The charge keeps the allegation of the crime, not of the role: "the alleged ringleader"
    // became "the ringleader".
    let a = ending(
        "Police charged three men, among them the alleged ringleader Tomas Veld, with looting.",
    );
    let b = ending("Police charged three men, among them the ringleader Tomas Veld, with looting.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("alleged"),
        Some("Police"),
    );
}

#[test]
fn a_qualifier_of_extent_left_out_is_a_dropped_hedge() {
    // "often" limits how far the claim holds: left out, the claim loses its limit (a dropped
    // hedge); made "always", it is inflated (`doubt_made_certain_is_certainty_inflated`).
    let a = ending("Schools in the district often stay closed after storms.");
    let b = ending("Schools in the district stay closed after storms.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("often"),
        Some("Schools"),
    );
    assert_none(&verdict, ChangeKind::CertaintyInflated);
}

#[test]
fn an_approximate_figure_hedges_no_forecast() {
    // "some" qualifies the figure, not whether the event happens: the forecast is still made
    // certain.
    let a = ending("About 300 pupils are expected to return to the district's schools on Friday.");
    let b = ending("Some 300 pupils will return to the district's schools on Friday.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::CertaintyInflated,
        Some("are expected"),
        Some("Some 300"),
    );
}

#[test]
fn claim_added() {
    let b = WIRE.replace(
        "The utility could not independently confirm reports of a second outage in the hills.",
        "Insurers expect claims to exceed 90 million crowns by the end of April.",
    );
    let (a, b, verdict) = judge(WIRE, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::ClaimAdded,
        None,
        Some("Insurers expect"),
    );
}

#[test]
fn claim_dropped() {
    let a = WIRE.replace(
        "the utility said. ",
        "the utility said. Officials counted 12 fallen pylons on March 4. ",
    );
    let (a, b, verdict) = judge(&a, WIRE);
    assert_eq!(verdict.source, Some(Side::A));
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::ClaimDropped,
        Some("12 fallen pylons"),
        None,
    );
    assert_eq!(kinds(&verdict), [ChangeKind::ClaimDropped]);
}

#[test]
fn every_kind_has_complete_docs() {
    for kind in ChangeKind::ALL {
        let doc = kind.explain();
        assert!(doc.starts_with(&format!("# {}", kind.as_str())), "{kind:?}");
        for section in [
            "## What it detects",
            "## Why it matters",
            "## Example",
            "## Known limits",
        ] {
            assert!(doc.contains(section), "{kind:?} lacks {section}");
        }
        assert_eq!(ChangeKind::from_name(kind.as_str()), Some(kind));
    }
}

/// Issue 14, class 4: a copy that writes its quotation marks AP style (``…'' or “…’’) keeps
/// the quotation it was given: nothing invented, nothing altered.
#[test]
fn ap_style_quotation_marks_keep_a_quotation() {
    let wire = WIRE.replace(
        "\"We have never seen damage like this,\" said foreman Alda Reyes.",
        "\u{201c}We have never seen damage like this,\u{201d} said foreman Alda Reyes. \
         \u{201c}It will take weeks.\u{201d}",
    );
    for (open, close) in [("``", "''"), ("\u{201c}", "\u{2019}\u{2019}")] {
        let copy = wire.replace('\u{201c}', open).replace('\u{201d}', close);
        let (_, _, verdict) = judge(&wire, &copy);
        assert_eq!(verdict.relation, Relation::Duplicate, "{open}…{close}");
        assert!(
            verdict.changes.is_empty(),
            "{open}…{close}: {:#?}",
            verdict.changes
        );
    }
}

#[test]
fn commentary_is_not_a_claim_added() {
    // Issue 14, class 1: an aggregator's own lines (a question, a call to read on, an opinion in
    // its own voice, an open question) were reported as claims the source does not support.
    for line in [
        "Will the town ever get its lines buried underground?",
        "Read the full story at the Dunmore Courier, and tell us in the comments what you think.",
        "We will believe it when we see it.",
        "Whether the utility will learn from this is another matter.",
        "This is a long read, but it is worth your time.",
        "Related: Dunmore council approves flood barrier | Varn mayor resigns over budget",
        "Also read: Lisk utility fined 40,000 pounds for the 2019 outage.",
        "From the Dunmore Courier:",
        "The full interview with the Dunmore mayor is on the Courier's site.",
        "Regular readers know we have followed the Dunmore utility for years.",
        "Content syndicated automatically; Lisk Wire is not responsible for third-party reports.",
        "To reach the reporter behind this story, contact desk@dunmorecourier.example.",
    ] {
        let b = WIRE.replace(
            "Crews from Lisk and Varn worked through the night to clear fallen lines.",
            line,
        );
        let (_, b, verdict) = judge(WIRE, &b);
        // Whichever side is taken for the source, the line is neither added nor dropped.
        assert!(
            !verdict.changes.iter().any(|c| {
                matches!(c.kind, ChangeKind::ClaimAdded | ChangeKind::ClaimDropped)
                    && c.b
                        .as_ref()
                        .is_some_and(|r| b.slice(r).contains(&line[..12]))
            }),
            "{line}: {:#?}",
            verdict.changes
        );
    }
    // A first person in a quotation is the speaker's: that sentence is still a claim.
    let b = WIRE.replace(
        "Crews from Lisk and Varn worked through the night to clear fallen lines.",
        "\"We will rebuild every pylon by May,\" the mayor of Varn said.",
    );
    let (_, _, verdict) = judge(WIRE, &b);
    assert!(
        kinds(&verdict).contains(&ChangeKind::ClaimAdded)
            || kinds(&verdict).contains(&ChangeKind::QuoteInvented),
        "{:#?}",
        verdict.changes
    );
}

#[test]
fn a_passage_left_out_whole_is_no_claim_dropped() {
    // Issue 14: an excerpt that skips a run of three or more sentences between the passages it
    // keeps made a claim_dropped of each factual sentence of the run (40 in one excerpt).
    let a = WIRE.replace(
        "the utility said. ",
        "the utility said. Officials counted 12 fallen pylons on March 4. \
         \"It took 30 hours to reach the ridge,\" a lineman said. \
         Two roads were shut on March 5 after 40 trees fell. ",
    );
    let (_, _, verdict) = judge(&a, WIRE);
    assert_eq!(verdict.source, Some(Side::A));
    assert_none(&verdict, ChangeKind::ClaimDropped);
}

#[test]
fn attribution_added_when_a_report_becomes_an_admission() {
    // Issue 14, class 7: "…, he said" retold as "…, he acknowledged".
    let a = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "The crews had been sent out too late, the foreman said.",
    );
    let b = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "The crews were sent out far too late, the foreman admitted.",
    );
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::AttributionAdded,
        Some("the foreman said"),
        Some("the foreman admitted"),
    );
    // The same verb on both sides is no change.
    let (_, _, verdict) = judge(&a_text_with("admitted"), &a_text_with("admitted"));
    assert!(!kinds(&verdict).contains(&ChangeKind::AttributionAdded));
}

fn a_text_with(verb: &str) -> String {
    WIRE.replace(
        "Early readings indicated the substation had flooded.",
        &format!("The crews had been sent out too late, the foreman {verb}."),
    )
}

#[test]
fn detail_added_when_people_are_added_to_a_retold_sentence() {
    // Issue 14, class 7: victims added beside the source's.
    let b = WIRE.replace(
        "Crews from Lisk and Varn worked through the night to clear fallen lines.",
        "Crews from Lisk and Varn, with soldiers and volunteers, worked through the night to \
         clear fallen lines.",
    );
    let (a, b, verdict) = judge(WIRE, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailAdded,
        Some("Crews from Lisk"),
        Some("soldiers"),
    );
    // Added to a list of people, commas only.
    let a = WIRE.replace(
        "Crews from Lisk and Varn worked through the night to clear fallen lines.",
        "Engineers, linemen, drivers worked through the night to clear fallen lines.",
    );
    let b = WIRE.replace(
        "Crews from Lisk and Varn worked through the night to clear fallen lines.",
        "Engineers, linemen, soldiers, drivers worked through the night to clear fallen lines.",
    );
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailAdded,
        Some("Engineers"),
        Some("soldiers"),
    );
    // A verb of a person's stem is no person: "executing civilians" adds no executives.
    let b = WIRE.replace(
        "Crews from Lisk and Varn worked through the night to clear fallen lines.",
        "Crews from Lisk and Varn worked through the night, guarding and clearing fallen lines.",
    );
    let (_, _, verdict) = judge(WIRE, &b);
    assert_none(&verdict, ChangeKind::DetailAdded);
    // A person named in other words is one person, not an added one.
    let b = WIRE.replace(
        "said foreman Alda Reyes",
        "said Alda Reyes, the woman in charge of the crews",
    );
    let (_, _, verdict) = judge(WIRE, &b);
    assert_none(&verdict, ChangeKind::DetailAdded);
}

#[test]
fn conduct_the_source_does_not_state_is_a_claim_added() {
    // Issue 14, class 7: "X did not respond to requests for comment" said of someone the source
    // says nothing of, inside a sentence that otherwise retells the source's.
    let a = format!("{WIRE} The utility did not respond to requests for comment.");
    let b = format!("{WIRE} Officials in Varn did not respond to requests for comment.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::ClaimAdded,
        None,
        Some("Officials in Varn did not respond"),
    );
    // Said of the same actor, it is kept.
    let b = format!("{WIRE} The utility declined to comment.");
    let a = format!("{WIRE} The utility did not respond to requests for comment.");
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::ClaimAdded);
}

#[test]
fn doubt_made_certain_is_certainty_inflated() {
    // Issue 14: "may" -> "will", "is forecast to" -> "will", "usually" -> "always": the claim is
    // made surer; these were missed or reported as a dropped caveat.
    for (cue, from, to) in [
        (
            "may",
            "Schools in the district may stay closed until Friday.",
            "Schools in the district will stay closed until Friday.",
        ),
        (
            "forecast to",
            "Schools in the district are forecast to stay closed until Friday.",
            "Schools in the district will stay closed until Friday.",
        ),
        (
            "usually",
            "Schools in the district usually stay closed until Friday.",
            "Schools in the district always stay closed until Friday.",
        ),
    ] {
        let a = ending(from);
        let b = ending(to);
        let (a, b, verdict) = judge(&a, &b);
        assert_change(
            &a,
            &b,
            &verdict,
            ChangeKind::CertaintyInflated,
            Some(cue),
            Some("Schools"),
        );
        assert!(
            !kinds(&verdict).contains(&ChangeKind::HedgeDropped),
            "{from}: {:#?}",
            verdict.changes
        );
    }
}

#[test]
fn an_allegation_retold_as_someone_s_account_keeps_its_caveat() {
    // Issue 14: "the crews allegedly cut the line" retold as "… , residents said" is still an
    // account, not a fact; stated bare, the caveat is gone.
    let a = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "Contractors allegedly left the substation gate open.",
    );
    let attributed = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "Contractors left the substation gate open, residents said.",
    );
    let (_, _, verdict) = judge(&a, &attributed);
    assert_none(&verdict, ChangeKind::HedgeDropped);
    let bare = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "Contractors left the substation gate open.",
    );
    let (a, b, verdict) = judge(&a, &bare);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("allegedly"),
        Some("Contractors"),
    );
}

#[test]
fn a_copy_that_leaves_out_a_paragraph_drops_its_claim() {
    // Issue 14: an aggregator's copy left out the middle paragraph (the injured husband) of
    // three, three sentences long; its sentences were no claim_dropped (too long a run, and no
    // figure, date or quotation in them).
    let first = "Police have named the three people who died in the crash on the coast road \
        near Dunmore. The driver of the van was among them, officers said in a statement.";
    let middle = "The wife of a victim, a nurse at the district hospital, remains in a serious \
        condition. Her family asked for privacy while she recovers from her injuries. \
        Neighbours described the couple as quiet and kind people who loved the sea.";
    let last = "Investigators are still trying to establish why the van crossed into the \
        oncoming lane. The road was closed for most of the afternoon while they worked.";
    let source = format!("{first}\n\n{middle}\n\n{last}");
    let copy = format!("{first}\n\n{last}");
    let (a, b, verdict) = judge(&source, &copy);
    assert_eq!(verdict.relation, Relation::Excerpt);
    assert_eq!(verdict.source, Some(Side::A));
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::ClaimDropped,
        Some("The wife of a victim"),
        None,
    );
}

#[test]
fn narration_retold_as_an_admission_is_attribution_added_not_a_new_claim() {
    // Issue 14, class 7: what the derivative added is the admission, whether or not the retold
    // sentence aligns (unaligned, it used to be a claim_added: the tune case of the tattoo
    // rewrite, "…, Agerblad acknowledged").
    // Alone, an admission added one way is one dropped the other way; the source here also
    // says "allegedly", which the derivative drops, and that tells the direction.
    let a = WIRE
        .replace(
            "Early readings indicated the substation had flooded.",
            "Nobody had inspected the flood barriers at the substation for years.",
        )
        .replace("Crews from Lisk", "Crews allegedly from Lisk");
    let b = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "Years of neglect left the barriers unchecked, the foreman acknowledged.",
    );
    let (_, b_doc, verdict) = judge(&a, &b);
    let at = |kind: ChangeKind| {
        verdict.changes.iter().any(|c| {
            c.kind == kind
                && c.b
                    .as_ref()
                    .is_some_and(|r| b_doc.slice(r).contains("acknowledged"))
        })
    };
    assert!(at(ChangeKind::AttributionAdded), "{:#?}", verdict.changes);
    assert!(
        !verdict
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::ClaimAdded),
        "{:#?}",
        verdict.changes
    );
}

/// `text` with `title` on a first line of its own, as a text dump has it, and the title
/// analyzed as its headline.
fn titled(title: &str, text: &str) -> (String, Analyzed) {
    let input = format!("{title}\n\n{text}");
    let analyzer = retrace_text::Analyzer::new();
    let body = &input[title.len() + 2..];
    let mut map = retrace_span::OffsetMapBuilder::new();
    map.copied(title.len() as u32 + 2, body.len() as u32);
    let mut doc = analyzer.analyze(Origin::Stdin, Some(title.to_owned()), body, &map.build());
    let span = retrace_span::Span::new(0, title.len() as u32);
    doc.headline = Some(Box::new(analyzer.headline(
        Origin::Stdin,
        title,
        &input,
        Some(span),
    )));
    (input, doc)
}

#[test]
fn issue_14_titles_are_compared_too() {
    let (_, a) = titled("Substation may have flooded, utility says", WIRE);
    let (input_b, b) = titled("Substation flooded, utility confirms", WIRE);
    let alignment = retrace_align::Aligner::default().align(&a, &b);
    let verdict = Judge::default().judge(&a, &b, &alignment);
    let title: Vec<&crate::Change> = verdict
        .changes
        .iter()
        .filter(|c| c.place == crate::Place::Title)
        .collect();
    assert!(
        title
            .iter()
            .any(|c| c.kind == ChangeKind::HedgeDropped || c.kind == ChangeKind::CertaintyInflated),
        "{:?}",
        verdict.changes
    );
    // Title changes come first, and their ranges index the headline, which maps into the input.
    assert_eq!(verdict.changes[0].place, crate::Place::Title);
    let headline = b.headline.as_deref().unwrap();
    for change in &title {
        let range = change.b.clone().unwrap();
        let span = headline.span(range);
        assert!(span.end as usize <= "Substation flooded, utility confirms".len());
        assert!(!input_b[span.start as usize..span.end as usize].is_empty());
    }
    // The body is the same: no body change.
    assert!(
        verdict
            .changes
            .iter()
            .all(|c| c.place == crate::Place::Title),
        "{:?}",
        verdict.changes
    );

    // Titles that do not align (a new headline) are not compared.
    let (_, c) = titled("Power back in Dunmore by the weekend", WIRE);
    let alignment = retrace_align::Aligner::default().align(&a, &c);
    let verdict = Judge::default().judge(&a, &c, &alignment);
    assert!(
        verdict
            .changes
            .iter()
            .all(|c| c.place == crate::Place::Body)
    );
}

#[test]
fn issue_14_a_renamed_speaker_is_a_name_change_not_a_dropped_attribution() {
    // The surname alone stands in the attribution: "said Reyes" became "said Reyna".
    let a = format!("{WIRE} The lines will be back by Sunday, said Reyes.");
    let b = a.replace("Reyes", "Reyna");
    let (_, _, verdict) = judge(&a, &b);
    let found = kinds(&verdict);
    assert!(found.contains(&ChangeKind::NameChanged), "{found:?}");
    assert_none(&verdict, ChangeKind::AttributionDropped);
}

#[test]
fn issue_14_an_allegation_verb_of_a_dropped_attribution_is_not_also_a_dropped_hedge() {
    let a = format!("{WIRE} The crews alleged that the lines had been cut on purpose.");
    let b = format!("{WIRE} The lines had been cut on purpose.");
    let (_, _, verdict) = judge(&a, &b);
    let found = kinds(&verdict);
    assert!(found.contains(&ChangeKind::AttributionDropped), "{found:?}");
    assert_none(&verdict, ChangeKind::HedgeDropped);
    // An allegation adverb is a hedge of its own.
    let a = format!("{WIRE} The lines had allegedly been cut on purpose.");
    let b = format!("{WIRE} The lines had been cut on purpose.");
    let (_, _, verdict) = judge(&a, &b);
    assert!(
        kinds(&verdict).contains(&ChangeKind::HedgeDropped),
        "{:?}",
        kinds(&verdict)
    );
}

#[test]
fn issue_14_a_quotation_shortened_at_its_own_break_is_not_reworded() {
    let a = format!(
        "{WIRE} \"The lines went down in minutes across the whole valley, and nobody could reach \
         the farms for two days,\" said the mayor of Lisk."
    );
    let b = format!(
        "{WIRE} \"The lines went down in minutes across the whole valley,\" said the mayor of Lisk."
    );
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::QuoteAltered);
    // Stopping mid-clause, or changing a kept word, is still a reworded quotation.
    let c = format!(
        "{WIRE} \"The lines went down in minutes across the whole region,\" said the mayor of Lisk."
    );
    let (_, _, verdict) = judge(&a, &c);
    assert!(
        kinds(&verdict).contains(&ChangeKind::QuoteAltered),
        "{:?}",
        kinds(&verdict)
    );
}

#[test]
fn issue_14_a_quoted_word_changed_is_a_reworded_quotation() {
    let a = format!("{WIRE} Engineers called the outage a \"freak event\" in their first report.");
    let b = a.replace("\"freak event\"", "\"rare accident\"");
    let (_, _, verdict) = judge(&a, &b);
    let altered: Vec<&str> = verdict
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::QuoteAltered)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(
        altered,
        ["the quoted words \"freak event\" became \"rare accident\""],
        "{:#?}",
        verdict.changes
    );
    // Kept as it was: nothing.
    let (_, _, verdict) = judge(&a, &a.replace("in their first report", "in a first report"));
    assert_none(&verdict, ChangeKind::QuoteAltered);
}

#[test]
fn issue_14_an_aggregators_lead_in_is_commentary() {
    for (text, commentary) in [
        ("From the Dunmore Courier:", true),
        ("Via Northline:", true),
        ("Related: Varn mayor resigns over budget", true),
        ("From Monday, trains to Dunmore run every hour.", false),
        (
            "From the river to the sea, the valley flooded in three hours:",
            false,
        ),
    ] {
        let d = doc(text);
        assert_eq!(super::is_commentary(&d, 0), commentary, "{text}");
    }
}

#[test]
fn issue_14_a_belief_left_out_is_a_dropped_caveat_and_a_belief_confirmed_is_inflated() {
    let a = format!("{WIRE} It is believed that the fire at the depot was set on purpose.");
    let b = format!("{WIRE} The fire at the depot was set on purpose.");
    let (_, _, verdict) = judge(&a, &b);
    let found = kinds(&verdict);
    assert!(found.contains(&ChangeKind::HedgeDropped), "{found:?}");
    assert_none(&verdict, ChangeKind::CertaintyInflated);
    let c = format!("{WIRE} Police confirmed that the fire at the depot was set on purpose.");
    let (_, _, verdict) = judge(&a, &c);
    assert!(
        kinds(&verdict).contains(&ChangeKind::CertaintyInflated),
        "{:?}",
        kinds(&verdict)
    );
}

#[test]
fn issue_14_a_rewrite_condensing_a_passage_is_not_charged_with_each_sentence() {
    let source = "Storms cut power to 4,000 homes in Dunmore on March 3, the utility said. \
        Crews from Lisk and Varn worked through the night to clear fallen lines. \
        The storm also toppled 40 trees along the coast road. \
        Schools in the district will stay closed until Friday. \
        The mayor asked residents to stay off the roads.";
    // Reworded sentence by sentence, the fallen trees left out.
    let rewrite = "Power went out for 4,000 homes in Dunmore on March 3 after the storms, the \
        utility reported. Work crews from Lisk and Varn cleared downed lines all through the \
        night. District schools are to remain shut until Friday. Residents were urged by the \
        mayor to keep off the roads.";
    let (_, _, verdict) = judge(source, rewrite);
    assert_eq!(verdict.relation, Relation::Rewrite, "{verdict:#?}");
    assert_none(&verdict, ChangeKind::ClaimDropped);
    // A copy that leaves the same sentence out made a choice about it.
    let copy = source.replace("The storm also toppled 40 trees along the coast road. ", "");
    let (_, _, verdict) = judge(source, &copy);
    assert!(
        kinds(&verdict).contains(&ChangeKind::ClaimDropped),
        "{verdict:#?}"
    );
}

#[test]
fn issue_14_names_are_not_compared_in_title_case_headlines() {
    let title_changes = |a: &str, b: &str| {
        let ((_, a), (_, b)) = (titled(a, WIRE), titled(b, WIRE));
        let alignment = retrace_align::Aligner::default().align(&a, &b);
        let verdict = Judge::default().judge(&a, &b, &alignment);
        verdict
            .changes
            .into_iter()
            .filter(|c| c.place == crate::Place::Title)
            .map(|c| c.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        title_changes(
            "Foreman Alda Reyes says crews worked all night",
            "Foreman Alda Reyna says crews worked all night"
        ),
        [ChangeKind::NameChanged]
    );
    assert!(
        title_changes(
            "Foreman Alda Reyes Says Crews Worked All Night",
            "Foreman Alda Reyna Says Crews Worked All Night"
        )
        .is_empty()
    );
}

#[test]
fn issue_14_a_named_person_added_beside_another_is_a_detail_added() {
    let a = format!("{WIRE} Councillor Mira Haugen asked how long the repairs would take.");
    let b = format!(
        "{WIRE} Councillors Mira Haugen and Tomas Brevik asked how long the repairs would take."
    );
    let (_, _, verdict) = judge(&a, &b);
    let added: Vec<&str> = verdict
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::DetailAdded)
        .map(|c| c.detail.as_str())
        .collect();
    assert!(
        added
            .iter()
            .any(|d| d.contains("\"Tomas Brevik\" is added beside")),
        "{:#?}",
        verdict.changes
    );
    // Both named by the source: nothing added.
    let (_, _, verdict) = judge(&b, &b.replace("asked how long", "wanted to know how long"));
    assert_none(&verdict, ChangeKind::DetailAdded);
}

#[test]
fn issue_14_a_source_described_in_common_words_is_named_by_its_head() {
    // The source's words "transport department" reappear in the retelling as the actor, not
    // as the source: the deputy director's acknowledgment is gone.
    let a = format!(
        "{WIRE} The transport department's deputy director acknowledged that the transport \
         department had never inspected the depot."
    );
    let b = format!("{WIRE} The transport department had never inspected the depot.");
    let (_, _, verdict) = judge(&a, &b);
    assert!(
        kinds(&verdict).contains(&ChangeKind::AttributionDropped),
        "{:#?}",
        verdict.changes
    );
    let c = format!(
        "{WIRE} The transport department had never inspected the depot, the director said."
    );
    let (_, _, verdict) = judge(&a, &c);
    assert_none(&verdict, ChangeKind::AttributionDropped);
}

#[test]
fn detail_dropped_from_a_list() {
    let a = "Floods closed roads in Lisk, Varn and Dunmore on Tuesday, the county said. \
             Crews worked through the night.";
    let b = "Floods closed roads in Lisk and Varn on Tuesday, the county said. \
             Crews worked through the night.";
    let (a, b, verdict) = judge(a, b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailDropped,
        Some("Dunmore"),
        Some("Lisk and Varn"),
    );
    // An enumeration of single words, two of its members kept.
    let (a, b, verdict) = judge(
        "The fire left burns on her arms, legs, and feet, the county said. Crews worked on.",
        "The fire left burns on her legs and feet, the county said. Crews worked on.",
    );
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailDropped,
        Some("arms"),
        None,
    );
    // Retold in other words, with one member left: a retelling, not a cut list.
    let (_, _, verdict) = judge(
        "The firm did not distribute, manufacture, or sell the battery, the county said.",
        "The firm had not made, distributed or sold the battery, the county said.",
    );
    assert_none(&verdict, ChangeKind::DetailDropped);
    // Every member kept, in another order: nothing dropped.
    let (_, _, verdict) = judge(
        "Floods closed roads in Lisk, Varn and Dunmore on Tuesday, the county said.",
        "Floods closed roads in Dunmore, Lisk and Varn on Tuesday, the county said.",
    );
    assert_none(&verdict, ChangeKind::DetailDropped);
}

#[test]
fn detail_added_to_a_list() {
    let (a, b, verdict) = judge(
        "Lawsuits in Ohio and Texas accuse the company of selling faulty batteries. \
         The company denies it.",
        "Lawsuits in Ohio, Texas and Iowa accuse the company of selling faulty batteries. \
         The company denies it.",
    );
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailAdded,
        None,
        Some("Iowa"),
    );
}

#[test]
fn detail_dropped_from_a_copied_sentence() {
    let a = format!("{WIRE} The expert, a San Diego engineer, said the grid held.");
    let b = format!("{WIRE} The expert, an engineer, said the grid held.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailDropped,
        Some("San Diego"),
        None,
    );
    // A name whose one common word stays ("the law firm") is still left out.
    let a = format!(
        "{WIRE} The suit was filed by the union, with the Lisk Centre for Tenant Law and the \
         law firm of Varn and Orlen."
    );
    let b = format!("{WIRE} The suit was filed by the union, with the law firm of Varn and Orlen.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DetailDropped,
        Some("Lisk Centre for Tenant Law"),
        None,
    );
    // A form of address left out names nobody.
    let a = format!("{WIRE} His Honour Judge Neil Ford sentenced him to three years.");
    let b = format!("{WIRE} Judge Neil Ford sentenced him to three years.");
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::DetailDropped);
}

#[test]
fn date_changed_beside_a_weekday() {
    // A weekday and a day of the month say nothing of each other: "March 3" is not matched
    // by the sentence's "Wednesday", so its change to "March 4" is found.
    let a = "Wednesday's debate and the March 3 primaries could decide the race, aides said. \
             Crews worked through the night.";
    let b = "Wednesday's debate and the March 4 primaries could decide the race, aides said. \
             Crews worked through the night.";
    let (a, b, verdict) = judge(a, b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DateChanged,
        Some("March 3"),
        Some("March 4"),
    );
}

#[test]
fn attribution_dropped_by_pronoun() {
    let a = "The court ruled on Monday. It noted that the battery had been listed on the \
             website for two years. Crews worked through the night.";
    let b = "The court ruled on Monday. The battery had been listed on the website for two \
             years. Crews worked through the night.";
    let (a, b, verdict) = judge(a, b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::AttributionDropped,
        Some("It noted"),
        None,
    );
}

#[test]
fn a_modal_left_out_is_a_dropped_hedge_and_a_report_confirmed_is_inflated() {
    let from = "Schools in the district may stay closed until Friday.";
    let a = ending(from);
    let b = ending("Schools in the district stay closed until Friday.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("may"),
        None,
    );
    assert_none(&verdict, ChangeKind::CertaintyInflated);

    let (a, b, verdict) = judge(
        &WIRE.replace("the utility said", "the utility noted"),
        &WIRE.replace("the utility said", "the utility confirmed"),
    );
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::CertaintyInflated,
        Some("noted"),
        Some("confirmed"),
    );
}

#[test]
fn a_list_of_thousands_of_names_is_no_list_of_details() {
    // A tag cloud of 5,000 names that the copy cuts to two: not 4,998 dropped details (and not
    // a comparison of each against every report before it).
    let names: Vec<String> = (0..5_000).map(|n| format!("Place{n}")).collect();
    let a = format!(
        "Floods closed roads in {} and Dunmore on Tuesday, the county said. Crews worked on.",
        names.join(", ")
    );
    let b =
        "Floods closed roads in Place0 and Dunmore on Tuesday, the county said. Crews worked on.";
    let (_, _, verdict) = judge(&a, b);
    assert!(
        verdict
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::DetailDropped)
            .count()
            <= 1,
        "{} detail reports",
        verdict.changes.len()
    );
}

#[test]
fn a_hedge_in_a_clause_the_derivative_left_out_is_not_dropped() {
    // "sometimes" qualifies the clause about insurance; the retelling keeps only the other
    // half of the sentence, so nothing it states was hedged.
    let a = ending(
        "Repairs are sometimes covered by insurance, and schools in the district will stay closed until Friday.",
    );
    let b = ending("Schools across the district will stay shut until Friday.");
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::HedgeDropped);
    assert_none(&verdict, ChangeKind::CertaintyInflated);
    // The same hedge on the clause the derivative retells is dropped.
    let a = ending(
        "Schools in the district will sometimes stay closed until Friday, and repairs are covered by insurance.",
    );
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("sometimes"),
        Some("Schools"),
    );
}

#[test]
fn a_full_quotation_is_paired_with_its_own_words_not_a_shorter_pull_quote() {
    // The source quotes the first sentence alone (a pull quote), then the full statement; the
    // copy gives the full statement word for word.
    let a = "The court ruled against the retailer on Monday. \
\"It is impossible to overstate this ruling,\" said lawyer Mara Quist. \
The retailer had argued it was only a marketplace. \
\"It is impossible to overstate this ruling. Shoppers across the nation will feel it,\" Quist said in a statement. \
The retailer plans an appeal.";
    let b = "The court ruled against the retailer on Monday. \
The retailer had argued it was only a marketplace. \
\"It is impossible to overstate this ruling. Shoppers across the nation will feel it,\" Quist said in a statement. \
The retailer plans an appeal.";
    let (_, _, verdict) = judge(a, b);
    assert_none(&verdict, ChangeKind::QuoteAltered);
    // The pull quote's words stand in the full quotation: it is not left out either.
    assert_none(&verdict, ChangeKind::ClaimDropped);
}

#[test]
fn a_sentence_adverb_is_not_a_list_member() {
    let a = ending("Also, Dunmore, Lisk and Varn will keep their schools closed until Friday.");
    let b = ending("Dunmore, Lisk and Varn will keep their schools closed until Friday.");
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::DetailDropped);
}

#[test]
fn a_qualifier_of_extent_is_not_replaced_by_an_evidential() {
    // "often" says how far the claim holds; "research shows" in the retelling is about the
    // evidence, not a claim made absolute.
    let a = ending("Storms often flood the substation in spring.");
    let b = ending("Research shows storms flood the substation in spring.");
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::CertaintyInflated);
}

#[test]
fn a_hedged_sentence_left_out_drops_its_claim_not_a_caveat() {
    // Only a sentence about what could not be checked is a caveat on the claims around it
    // (`hedge_dropped_when_the_caveat_sentence_is_cut`).
    let a = WIRE.replace(
        "Early readings indicated the substation had flooded.",
        "A second crew reportedly left for the hills at dawn.",
    );
    let b = a.replace("A second crew reportedly left for the hills at dawn. ", "");
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::HedgeDropped);
}

#[test]
fn a_date_moved_from_a_neighbouring_sentence_and_changed() {
    let wire = ending("Schools in the district will stay closed.");
    let a = wire.replace(
        "Early readings indicated the substation had flooded.",
        "Early readings indicated the substation had flooded. The water rose at 3 a.m. on Wednesday.",
    );
    let b = wire.replace(
        "Early readings indicated the substation had flooded.",
        "Early readings indicated the substation had flooded early Tuesday.",
    );
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::DateChanged,
        Some("Wednesday"),
        Some("Tuesday"),
    );
    // Moved without a change, it is the same date.
    let b = wire.replace(
        "Early readings indicated the substation had flooded.",
        "Early readings indicated the substation had flooded early Wednesday.",
    );
    let (_, _, verdict) = judge(a.text.as_str(), &b);
    assert_none(&verdict, ChangeKind::DateChanged);
}

#[test]
fn a_cue_kept_does_not_cover_another_left_out() {
    // Two cues in one sentence: the derivative keeps "is expected to" and turns "may" into a
    // certainty; the kept cue is the source's own, not a rewording of the one that went.
    let a = ending(
        "The council is expected to meet on Friday and may close the schools in the district.",
    );
    let b = ending(
        "The council is expected to meet on Friday and will close the schools in the district.",
    );
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::CertaintyInflated,
        Some("may"),
        None,
    );
    // Both kept: nothing inflated.
    let (_, _, verdict) = judge(&a.text, &a.text.replace("Crews from", "Teams from"));
    assert_none(&verdict, ChangeKind::CertaintyInflated);
}

#[test]
fn an_association_made_a_cause_is_certainty_inflated() {
    // "linked to" reports an association; "caused" claims the cause (the exaggeration science
    // news is known for).
    let a =
        ending("Researchers said the outage was linked to the flooded substation in the district.");
    let b =
        ending("Researchers said the outage was caused by the flooded substation in the district.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::CertaintyInflated,
        Some("linked to"),
        Some("caused"),
    );
}

#[test]
fn an_estimate_of_the_claim_stated_as_a_count_is_a_dropped_hedge() {
    // "are estimated to have died" qualifies the whole claim, not a figure: retold as a count
    // of the killed, the estimate is gone. "an estimated 4,000" goes with its figure.
    let a =
        ending("More than 300 cattle in the district are estimated to have drowned in the floods.");
    let b = ending("The floods drowned more than 300 cattle in the district.");
    let (a, b, verdict) = judge(&a, &b);
    assert_change(
        &a,
        &b,
        &verdict,
        ChangeKind::HedgeDropped,
        Some("estimated"),
        None,
    );
    // Kept as an estimate: nothing dropped.
    let c = a.text.replace(
        "More than 300 cattle in the district are estimated to have drowned in the floods.",
        "The floods drowned an estimated 300 cattle or more in the district, officials estimate.",
    );
    let (_, _, verdict) = judge(&a.text, &c);
    assert!(
        !verdict
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::HedgeDropped && c.detail.contains("\"estimated\"")),
        "{:#?}",
        verdict.changes
    );
}

#[test]
fn a_modal_kept_in_other_words_is_no_dropped_hedge() {
    // "could see" retold with "could follow": the doubt is kept, though only the first is on
    // the cue list ("could" before a verb of outcome).
    let a =
        ending("Without new defences the district could see the same floods again next spring.");
    let b = ending(
        "Without new defences the district could follow the same path of floods next spring.",
    );
    let (_, _, verdict) = judge(&a, &b);
    assert_none(&verdict, ChangeKind::HedgeDropped);
    assert_none(&verdict, ChangeKind::CertaintyInflated);
    // The source's other modal kept ("would") does not keep the one made certain.
    let a = ending("Drought could make floods so rare that they would change the district.");
    let b = ending("Drought will make floods so rare that they would change the district.");
    let (_, _, verdict) = judge(&a, &b);
    assert!(
        verdict.changes.iter().any(|c| matches!(
            c.kind,
            ChangeKind::CertaintyInflated | ChangeKind::HedgeDropped
        )),
        "{:#?}",
        verdict.changes
    );
}
