//! The self-contained HTML report of a compared pair, written by `retrace compare A B --html FILE`.
//!
//! [`render`] returns one HTML5 document. Its style is inline, it has no script and loads
//! nothing from the network, so the file can be mailed, archived and opened offline. It carries
//! no timestamp: the same pair always gives byte-identical HTML. Two columns on wide screens
//! become one stacked column on a phone.
//!
//! The page shows, top to bottom:
//! - both articles (origin, title, coverage) and the verdict: relation, source, confidence,
//!   aligned groups by kind, unaligned sentences, and whether sentence embeddings took part;
//! - the numbered changes, each with its kind, its detail and links to where it is marked;
//! - the side-by-side view: one row per aligned group (A left, B right) with its kind, score and
//!   input line numbers, and one row per unaligned sentence with the other cell empty;
//! - the documentation of each change kind present.
//!
//! **Row order.** Rows follow B, as [`Alignment::pairs`](retrace_align::Alignment) do: each
//! aligned group at its first B sentence, each unaligned B sentence at its place. A run of
//! unaligned A sentences follows the row of the nearest aligned A sentence before it (or opens
//! the view when there is none), ahead of any unaligned B sentence there: removals before
//! additions, as in a unified diff. When B reorders A, A's unaligned sentences still sit next to
//! the A text they followed.
//!
//! **Marks.** Inside an aligned row, the words outside the longest common subsequence of the
//! two sides' lowercased word tokens are `<del>` (A) and `<ins>` (B). Each change is a
//! `<mark class="chg k-KIND">` over its span on each side, titled with its detail, followed by a
//! footnote number that links back to the list; the first mark of change `n` on side A has the
//! id `cn-a` (on B `cn-b`), which the list links to. Overlapping marks are split so that the
//! elements nest.
//!
//! **Text.** Cells show what a reader sees of each sentence ([`ReportDoc::text`]): a plain-text
//! input as given, an HTML input as its extracted text, so that links, bold and italics inside a
//! paragraph show as their words and not as markup (issue 13); the line numbers still point into
//! the input. Marks are placed on the analyzed text, where sentences, words and changes are
//! found. Sentences of a group are joined by a space.
//!
//! The page is the askama template `templates/pair.html`, over `templates/base.html`, the layout
//! a web UI can share.

use askama::Template;
use retrace_align::{AlignedPair, PairKind};
use retrace_judge::{Change, ChangeKind, Relation, Side};
use retrace_span::Span;

use crate::{PairReport, ReportDoc};

/// Renders the report of a pair as one complete HTML document.
///
/// ```
/// use retrace_report::{PairReport, ReportDoc};
/// use retrace_span::{OffsetMap, Origin};
/// let (a, b) = ("Rain closed the pass at Dorn. Crews cleared it by noon, police said.",
///               "Rain closed the pass at Dorn. Crews cleared it by noon.");
/// let analyzer = retrace_text::Analyzer::new();
/// let doc = |text: &str| analyzer.analyze(Origin::Stdin, None, text, &OffsetMap::identity(text.len() as u32));
/// let (da, db) = (doc(a), doc(b));
/// let alignment = retrace_align::Aligner::default().align(&da, &db);
/// let verdict = retrace_judge::Judge::default().judge(&da, &db, &alignment);
/// let report = PairReport { a: ReportDoc::new(a, &da), b: ReportDoc::new(b, &db), alignment: &alignment, verdict: &verdict };
/// let html = retrace_report::html::render(&report);
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("<del>police said</del>"));
/// ```
pub fn render(report: &PairReport<'_>) -> String {
    PairPage::new(report)
        .render()
        .expect("the pair template only writes into a String")
}

/// [`render`] with a link back to the page the pair was reached from (a report's story list).
pub fn render_linked(report: &PairReport<'_>, href: &str, label: &str) -> String {
    let mut page = PairPage::new(report);
    page.back = Some((href.to_owned(), label.to_owned()));
    page.render()
        .expect("the pair template only writes into a String")
}

/// [`render_linked`] for a report of many pages (`retrace scan`): each run of two or more
/// verbatim rows without a change is one row that says how many sentences it holds and where,
/// so that the page of a copy is as long as what changed in it, not as the article (a story of
/// 500 copies would otherwise write the article a thousand times).
pub fn render_compact(report: &PairReport<'_>, href: &str, label: &str) -> String {
    let mut page = PairPage::new(report);
    page.back = Some((href.to_owned(), label.to_owned()));
    page.rows = collapse_same(std::mem::take(&mut page.rows));
    page.render()
        .expect("the pair template only writes into a String")
}

/// Rows with each run of two or more unchanged verbatim rows as one row.
fn collapse_same(rows: Vec<Row>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut run: Vec<Row> = Vec::new();
    let flush = |run: &mut Vec<Row>, out: &mut Vec<Row>| {
        if run.len() < 2 {
            out.append(run);
            return;
        }
        let n = run.len();
        let span = |cell: fn(&Row) -> Option<&Cell>| {
            let first = run.first().and_then(cell).map(|c| c.lines.clone());
            let last = run.last().and_then(cell).map(|c| c.lines.clone());
            let (first, last) = (first.unwrap_or_default(), last.unwrap_or_default());
            let first_line = first.split('–').next().unwrap_or_default().to_owned();
            let last_line = last.rsplit('–').next().unwrap_or_default().to_owned();
            Cell {
                lines: if first_line == last_line {
                    first_line
                } else {
                    format!("{first_line}–{last_line}")
                },
                html: format!("<span class=\"elided\">{n} sentences, the same in both</span>"),
            }
        };
        let row = Row {
            id: run[0].id.clone(),
            class: "aligned p-verbatim same elided".to_owned(),
            badge: "verbatim",
            badge_class: "p-verbatim",
            badge_title: "the same words in the same order",
            score: Some("1.00".to_owned()),
            a: Some(span(|r| r.a.as_ref())),
            b: Some(span(|r| r.b.as_ref())),
        };
        run.clear();
        out.push(row);
    };
    for row in rows {
        if row.class.ends_with(" same") {
            run.push(row);
        } else {
            flush(&mut run, &mut out);
            out.push(row);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// One piece of direction evidence, as the page shows it.
struct EvidenceItem {
    label: &'static str,
    favours: &'static str,
    detail: String,
}

/// The page, as the template reads it.
#[derive(Template)]
#[template(path = "pair.html")]
struct PairPage {
    title: String,
    heading: String,
    docs: [DocHead; 2],
    relation: &'static str,
    relation_label: String,
    relation_sentence: &'static str,
    derivation: bool,
    source: &'static str,
    direction: &'static str,
    confidence: String,
    /// What was weighed to tell the source.
    evidence: Vec<EvidenceItem>,
    counts: Counts,
    semantic: bool,
    changes: Vec<ChangeItem>,
    rows: Vec<Row>,
    kinds: Vec<KindNote>,
    version: &'static str,
    /// A link back (href, label), when the page is part of a report.
    back: Option<(String, String)>,
}

struct DocHead {
    label: &'static str,
    other: &'static str,
    name: String,
    origin: String,
    sentences: usize,
    lines: usize,
    coverage: String,
    is_source: bool,
}

struct Counts {
    groups: usize,
    verbatim: usize,
    edited: usize,
    paraphrase: usize,
    only_a: usize,
    only_b: usize,
    /// Verbatim rows without a change: what the "hide" switch hides.
    same: usize,
}

struct ChangeItem {
    n: usize,
    kind: &'static str,
    label: String,
    detail: String,
    places: Vec<Place>,
}

/// Where a change is on one side: "A line 12", linked when a mark carries the anchor.
struct Place {
    text: String,
    anchor: Option<String>,
}

struct Row {
    id: String,
    class: String,
    badge: &'static str,
    badge_class: &'static str,
    badge_title: &'static str,
    score: Option<String>,
    a: Option<Cell>,
    b: Option<Cell>,
}

struct Cell {
    lines: String,
    html: String,
}

struct KindNote {
    kind: &'static str,
    label: String,
    doc: String,
}

impl PairPage {
    fn new(report: &PairReport<'_>) -> PairPage {
        let verdict = report.verdict;
        let alignment = report.alignment;
        let count = |kind| alignment.pairs.iter().filter(|p| p.kind == kind).count();

        // Title changes are listed, not marked: their ranges are in the titles.
        let body = |c: &Change| c.place == retrace_judge::Place::Body;
        let mut marks_a = SideMarks::new(&report.a, 'a', &verdict.changes, |c| {
            c.a.clone().filter(|_| body(c))
        });
        let mut marks_b = SideMarks::new(&report.b, 'b', &verdict.changes, |c| {
            c.b.clone().filter(|_| body(c))
        });
        let items = merge_rows(
            &alignment.pairs,
            report.a.analyzed.sentences.len(),
            report.b.analyzed.sentences.len(),
        );
        let labels = OnlyLabels::new(verdict.relation, verdict.source);
        let mut rows = Vec::with_capacity(items.len());
        let mut same = 0;
        for (k, item) in items.iter().enumerate() {
            let row = match *item {
                RowItem::Pair(p) => pair_row(&alignment.pairs[p], &mut marks_a, &mut marks_b),
                RowItem::OnlyA(i) => {
                    let (cell, changed) = marks_a.cell(&[i], &[]);
                    let class = if changed {
                        "only only-a changed"
                    } else {
                        "only only-a"
                    };
                    Row::only(class, labels.a, Some(cell), None)
                }
                RowItem::OnlyB(j) => {
                    let (cell, changed) = marks_b.cell(&[j], &[]);
                    let class = if changed {
                        "only only-b changed"
                    } else {
                        "only only-b"
                    };
                    Row::only(class, labels.b, None, Some(cell))
                }
            };
            same += usize::from(row.class.ends_with("same"));
            rows.push(Row {
                id: format!("r{}", k + 1),
                ..row
            });
        }

        let changes = verdict
            .changes
            .iter()
            .enumerate()
            .map(|(k, change)| {
                let mut places = Vec::new();
                for marks in [&marks_a, &marks_b] {
                    if let Some(place) = marks.place(k) {
                        places.push(place);
                    }
                }
                if !body(change) {
                    places.push(Place {
                        text: "in the titles".to_owned(),
                        anchor: None,
                    });
                }
                ChangeItem {
                    n: k + 1,
                    kind: change.kind.as_str(),
                    label: label(change.kind.as_str()),
                    detail: change.detail.clone(),
                    places,
                }
            })
            .collect();

        let mut present: Vec<ChangeKind> = verdict.changes.iter().map(|c| c.kind).collect();
        present.sort_unstable();
        present.dedup();
        let kinds = present
            .into_iter()
            .map(|kind| KindNote {
                kind: kind.as_str(),
                label: label(kind.as_str()),
                // The Markdown starts with "# kind", which the summary already shows.
                doc: kind
                    .explain()
                    .trim_start()
                    .strip_prefix('#')
                    .map_or(kind.explain(), |rest| {
                        rest.split_once('\n').map_or("", |(_, body)| body)
                    })
                    .trim()
                    .to_owned(),
            })
            .collect();

        let head = |doc: &ReportDoc<'_>, label, other, coverage: f64, side| DocHead {
            label,
            other,
            name: display_name(doc),
            origin: doc.analyzed.origin.to_string(),
            sentences: doc.analyzed.sentences.len(),
            lines: doc.lines.line_count(),
            coverage: format!("{:.0}%", coverage * 100.0),
            is_source: verdict.source == Some(side),
        };
        let docs = [
            head(&report.a, "A", "B", alignment.coverage_a, Side::A),
            head(&report.b, "B", "A", alignment.coverage_b, Side::B),
        ];
        let (source, direction) = match verdict.source {
            Some(Side::A) => ("A", "B derives from A"),
            Some(Side::B) => ("B", "A derives from B"),
            None if verdict.relation.is_derivation() => {
                ("undecided", "the evidence does not tell which came first")
            }
            None => ("none", "neither derives from the other"),
        };
        PairPage {
            title: format!("{} ↔ {}", docs[0].name, docs[1].name),
            heading: format!("{} ↔ {}", docs[0].name, docs[1].name),
            docs,
            relation: verdict.relation.as_str(),
            relation_label: label(verdict.relation.as_str()),
            relation_sentence: relation_sentence(verdict.relation),
            derivation: verdict.relation.is_derivation(),
            source,
            direction,
            confidence: format!("{:.2}", verdict.confidence),
            evidence: verdict
                .evidence
                .iter()
                .map(|e| EvidenceItem {
                    label: e.kind.label(),
                    favours: match e.favours {
                        Some(Side::A) => "favours A",
                        Some(Side::B) => "favours B",
                        None => "favours neither",
                    },
                    detail: e.detail.clone(),
                })
                .collect(),
            counts: Counts {
                groups: alignment.pairs.len(),
                verbatim: count(PairKind::Verbatim),
                edited: count(PairKind::Edited),
                paraphrase: count(PairKind::Paraphrase),
                only_a: items
                    .iter()
                    .filter(|r| matches!(r, RowItem::OnlyA(_)))
                    .count(),
                only_b: items
                    .iter()
                    .filter(|r| matches!(r, RowItem::OnlyB(_)))
                    .count(),
                same,
            },
            semantic: alignment.semantic,
            changes,
            rows,
            kinds,
            version: env!("CARGO_PKG_VERSION"),
            back: None,
        }
    }
}

impl Row {
    fn only(class: &'static str, badge: &'static str, a: Option<Cell>, b: Option<Cell>) -> Row {
        Row {
            id: String::new(),
            class: class.to_owned(),
            badge,
            badge_class: "p-only",
            badge_title: "no aligned counterpart on the other side",
            score: None,
            a,
            b,
        }
    }
}

/// What an unaligned sentence is called: seen from the source when one text derives from the
/// other (from A when the source is undecided), plainly otherwise.
struct OnlyLabels {
    a: &'static str,
    b: &'static str,
}

impl OnlyLabels {
    fn new(relation: Relation, source: Option<Side>) -> OnlyLabels {
        let (a, b) = match source {
            _ if !relation.is_derivation() => ("only in A", "only in B"),
            Some(Side::B) => ("added in A", "not in A"),
            _ => ("not in B", "added"),
        };
        OnlyLabels { a, b }
    }
}

fn pair_row(
    pair: &AlignedPair,
    marks_a: &mut SideMarks<'_, '_>,
    marks_b: &mut SideMarks<'_, '_>,
) -> Row {
    let (del, ins) = word_diff(&marks_a.words(&pair.a), &marks_b.words(&pair.b));
    let (a, changed_a) = marks_a.cell(&pair.a, &del);
    let (b, changed_b) = marks_b.cell(&pair.b, &ins);
    let (badge, badge_class, badge_title) = match pair.kind {
        PairKind::Verbatim => ("verbatim", "p-verbatim", "the same words in the same order"),
        PairKind::Edited => (
            "edited",
            "p-edited",
            "mostly the same words: a few edited, added or removed",
        ),
        PairKind::Paraphrase => (
            "paraphrase",
            "p-paraphrase",
            "the same content in other words",
        ),
    };
    let changed = changed_a || changed_b;
    let class = match (pair.kind, changed) {
        (PairKind::Verbatim, false) => format!("aligned {badge_class} same"),
        (_, true) => format!("aligned {badge_class} changed"),
        (_, false) => format!("aligned {badge_class}"),
    };
    Row {
        id: String::new(),
        class,
        badge,
        badge_class,
        badge_title,
        score: Some(format!("{:.2}", pair.score)),
        a: Some(a),
        b: Some(b),
    }
}

/// One row of the side-by-side view, before it is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowItem {
    /// An aligned group (index into `Alignment::pairs`).
    Pair(usize),
    /// A sentence of A in no group.
    OnlyA(usize),
    /// A sentence of B in no group.
    OnlyB(usize),
}

/// Orders the rows: B's order, with each run of unaligned A sentences after the row of the
/// aligned A sentence before it (see the module documentation).
fn merge_rows(pairs: &[AlignedPair], count_a: usize, count_b: usize) -> Vec<RowItem> {
    let mut pair_of_a = vec![None; count_a];
    let mut pair_of_b = vec![None; count_b];
    for (p, pair) in pairs.iter().enumerate() {
        for &i in pair.a.iter().filter(|&&i| i < count_a) {
            pair_of_a[i] = Some(p);
        }
        for &j in pair.b.iter().filter(|&&j| j < count_b) {
            pair_of_b[j] = Some(p);
        }
    }
    // Unaligned A sentences, keyed by the group they follow (None: before every group).
    let mut leading = Vec::new();
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); pairs.len()];
    let mut anchor = None;
    for (i, pair) in pair_of_a.iter().enumerate() {
        match pair {
            Some(p) => anchor = Some(*p),
            None => match anchor {
                Some(p) => after[p].push(i),
                None => leading.push(i),
            },
        }
    }
    let mut rows: Vec<RowItem> = leading.into_iter().map(RowItem::OnlyA).collect();
    let mut emitted = vec![false; pairs.len()];
    for (j, pair) in pair_of_b.iter().enumerate() {
        match *pair {
            None => rows.push(RowItem::OnlyB(j)),
            Some(p) if !emitted[p] => {
                emitted[p] = true;
                rows.push(RowItem::Pair(p));
                rows.extend(after[p].iter().map(|&i| RowItem::OnlyA(i)));
            }
            Some(_) => {}
        }
    }
    // A group with no B sentence in range cannot come from the aligner; keep it visible anyway.
    for (p, done) in emitted.iter().enumerate() {
        if !done {
            rows.push(RowItem::Pair(p));
            rows.extend(after[p].iter().map(|&i| RowItem::OnlyA(i)));
        }
    }
    rows
}

/// A word of a cell: its span in the analyzed text and the form compared.
struct Word<'t> {
    span: Span,
    lower: &'t str,
}

/// Spans of the words outside the longest common subsequence, merged where they are adjacent
/// in the word list: (A's, B's).
fn word_diff(a: &[Word<'_>], b: &[Word<'_>]) -> (Vec<Span>, Vec<Span>) {
    // Common prefix and suffix first: most edited pairs differ in a few words, and this keeps
    // the quadratic table to the part that differs.
    let prefix = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| x.lower == y.lower)
        .count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x.lower == y.lower)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (mut keep_a, mut keep_b) = (vec![false; mid_a.len()], vec![false; mid_b.len()]);
    // A run-on "sentence" of thousands of words would need a table of millions of cells; past
    // this size the differing middle is marked whole.
    const MAX_CELLS: usize = 4_000_000;
    if (mid_a.len() + 1) * (mid_b.len() + 1) <= MAX_CELLS {
        let (n, m) = (mid_a.len(), mid_b.len());
        // table[i * (m + 1) + j]: LCS length of mid_a[i..] and mid_b[j..].
        let mut table = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                table[i * (m + 1) + j] = if mid_a[i].lower == mid_b[j].lower {
                    table[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    table[(i + 1) * (m + 1) + j].max(table[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if mid_a[i].lower == mid_b[j].lower {
                keep_a[i] = true;
                keep_b[j] = true;
                i += 1;
                j += 1;
            } else if table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    (runs(mid_a, &keep_a), runs(mid_b, &keep_b))
}

/// Spans covering each run of words not kept.
fn runs(words: &[Word<'_>], keep: &[bool]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut open = false;
    for (word, &kept) in words.iter().zip(keep) {
        if kept {
            open = false;
        } else if open {
            let last = out.last_mut().expect("an open run has a span");
            *last = last.cover(word.span);
        } else {
            out.push(word.span);
            open = true;
        }
    }
    out
}

/// One side's changes as input spans, and which anchors the rendered cells carry.
struct SideMarks<'r, 'd> {
    doc: &'r ReportDoc<'d>,
    side: char,
    changes: &'r [Change],
    /// The span of each change on this side in the analyzed text, by change index.
    spans: Vec<Option<Span>>,
    /// True once a mark with the change's anchor id was written.
    anchored: Vec<bool>,
}

impl<'r, 'd> SideMarks<'r, 'd> {
    fn new(
        doc: &'r ReportDoc<'d>,
        side: char,
        changes: &'r [Change],
        range: impl Fn(&Change) -> Option<std::ops::Range<u32>>,
    ) -> SideMarks<'r, 'd> {
        let spans = changes
            .iter()
            .map(|c| range(c).map(|r| snap(&doc.analyzed.text, Span::new(r.start, r.end))))
            .collect();
        SideMarks {
            doc,
            side,
            changes,
            spans,
            anchored: vec![false; changes.len()],
        }
    }

    fn words(&self, group: &[usize]) -> Vec<Word<'d>> {
        let analyzed: &'d retrace_text::Analyzed = self.doc.analyzed;
        group
            .iter()
            .flat_map(|&k| &analyzed.sentences[k].tokens)
            .map(|t| Word {
                span: snap(&analyzed.text, Span::new(t.range.start, t.range.end)),
                lower: &t.lower,
            })
            .collect()
    }

    /// The cell of a group of sentences with its diff spans, and whether a change is marked.
    fn cell(&mut self, group: &[usize], diff: &[Span]) -> (Cell, bool) {
        let analyzed = self.doc.analyzed;
        let pieces: Vec<Span> = group
            .iter()
            .map(|&k| {
                let range = &analyzed.sentences[k].range;
                snap(&analyzed.text, Span::new(range.start, range.end))
            })
            .collect();
        let diff_layer = if self.side == 'a' {
            Layer::Del
        } else {
            Layer::Ins
        };
        let mut decos: Vec<Deco> = Vec::new();
        for (k, span) in self.spans.iter().enumerate() {
            if let Some(span) = span {
                decos.push(Deco {
                    span: *span,
                    layer: Layer::Change(k),
                });
            }
        }
        decos.extend(diff.iter().map(|&span| Deco {
            span,
            layer: diff_layer,
        }));
        let mut html = String::new();
        let mut changed = false;
        for (index, piece) in pieces.iter().enumerate() {
            if index > 0 {
                html.push(' ');
            }
            let later = &pieces[index + 1..];
            changed |= self.paint(&mut html, *piece, &decos, later);
        }
        let (Some(&first_piece), Some(&last_piece)) = (pieces.first(), pieces.last()) else {
            return (
                Cell {
                    lines: String::new(),
                    html,
                },
                changed,
            );
        };
        let first = self.doc.line(self.input_span(first_piece));
        let last_piece = self.input_span(last_piece);
        let last = self
            .doc
            .lines
            .line(last_piece.end.saturating_sub(1).max(last_piece.start));
        let lines = if last > first {
            format!("{first}–{last}")
        } else {
            first.to_string()
        };
        (Cell { lines, html }, changed)
    }

    /// The input span of a span of the analyzed text.
    fn input_span(&self, span: Span) -> Span {
        self.doc.span(span.start..span.end)
    }

    /// Writes `piece` of the analyzed text, as a reader sees it, with the decorations over it,
    /// nested properly; returns true when a change mark was written. `later` are the pieces of
    /// the same cell still to come.
    fn paint(&mut self, out: &mut String, piece: Span, decos: &[Deco], later: &[Span]) -> bool {
        // (clipped start, clipped end, deco) of every deco touching the piece.
        let live: Vec<(u32, u32, &Deco)> = decos
            .iter()
            .filter_map(|d| {
                let (start, end) = (d.span.start.max(piece.start), d.span.end.min(piece.end));
                let empty_inside =
                    d.span.is_empty() && (piece.start..piece.end).contains(&d.span.start);
                (start < end || empty_inside).then_some((start, end, d))
            })
            .collect();
        let mut points: Vec<u32> = vec![piece.start, piece.end];
        points.extend(live.iter().flat_map(|&(s, e, _)| [s, e]));
        points.sort_unstable();
        points.dedup();
        let mut stack: Vec<usize> = Vec::new();
        for (k, &at) in points.iter().enumerate() {
            // Close what ends here, and everything opened inside it, to reopen the latter.
            let mut reopen = Vec::new();
            let mut notes = Vec::new();
            if let Some(pos) = stack.iter().position(|&l| live[l].1 <= at) {
                for &l in stack[pos..].iter().rev() {
                    let (_, end, deco) = live[l];
                    out.push_str(deco.layer.close());
                    if end > at {
                        reopen.push(l);
                    } else if let Layer::Change(c) = deco.layer
                        && later.iter().all(|p| p.start >= deco.span.end)
                    {
                        // The footnote follows the mark's last piece in this cell.
                        notes.push(c);
                    }
                }
                stack.truncate(pos);
                reopen.reverse();
            }
            notes.sort_unstable();
            for c in notes {
                self.footnote(out, c);
            }
            for &(start, _, deco) in &live {
                if let (true, Layer::Change(c)) = (deco.span.is_empty() && start == at, deco.layer)
                {
                    self.pin(out, c);
                }
            }
            let mut opening: Vec<usize> = (0..live.len())
                .filter(|&l| live[l].0 == at && live[l].1 > at)
                .collect();
            opening.extend(reopen);
            // Longest first, so that shorter marks nest inside; changes outside diff marks.
            opening.sort_by_key(|&l| (std::cmp::Reverse(live[l].1), live[l].2.layer.rank(), l));
            opening.dedup();
            for l in opening {
                self.open(out, live[l].2.layer);
                stack.push(l);
            }
            if let Some(&next) = points.get(k + 1) {
                escape_into(out, &self.doc.text(at..next));
            }
        }
        live.iter()
            .any(|(_, _, d)| matches!(d.layer, Layer::Change(_)))
    }

    fn open(&mut self, out: &mut String, layer: Layer) {
        match layer {
            Layer::Del => out.push_str("<del>"),
            Layer::Ins => out.push_str("<ins>"),
            Layer::Change(c) => {
                let change = &self.changes[c];
                out.push_str("<mark class=\"chg k-");
                out.push_str(change.kind.as_str());
                out.push('"');
                if !self.anchored[c] {
                    self.anchored[c] = true;
                    out.push_str(&format!(" id=\"c{}-{}\"", c + 1, self.side));
                }
                out.push_str(" title=\"");
                escape_into(out, &change.detail);
                out.push_str("\">");
            }
        }
    }

    fn footnote(&self, out: &mut String, c: usize) {
        out.push_str(&format!(
            "<sup class=\"fn k-{}\"><a href=\"#change-{n}\" aria-label=\"change {n}\">{n}</a></sup>",
            self.changes[c].kind.as_str(),
            n = c + 1
        ));
    }

    /// A change with an empty span: a thin bar at its place, carrying the anchor.
    fn pin(&mut self, out: &mut String, c: usize) {
        let kind = self.changes[c].kind.as_str();
        out.push_str(&format!("<span class=\"pin k-{kind}\""));
        if !self.anchored[c] {
            self.anchored[c] = true;
            out.push_str(&format!(" id=\"c{}-{}\"", c + 1, self.side));
        }
        out.push_str(" title=\"");
        escape_into(out, &self.changes[c].detail);
        out.push_str("\"></span>");
        self.footnote(out, c);
    }

    /// "A line 12", linked to the mark when one was written.
    fn place(&self, c: usize) -> Option<Place> {
        let span = self.spans[c]?;
        let side = self.side.to_ascii_uppercase();
        Some(Place {
            text: format!("{side} line {}", self.doc.line(self.input_span(span))),
            anchor: self.anchored[c].then(|| format!("c{}-{}", c + 1, self.side)),
        })
    }
}

/// A decorated span of one side's analyzed text.
struct Deco {
    span: Span,
    layer: Layer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    /// The change of that index.
    Change(usize),
    /// Words of A outside the common subsequence.
    Del,
    /// Words of B outside the common subsequence.
    Ins,
}

impl Layer {
    fn close(self) -> &'static str {
        match self {
            Layer::Change(_) => "</mark>",
            Layer::Del => "</del>",
            Layer::Ins => "</ins>",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Layer::Change(_) => 0,
            Layer::Del | Layer::Ins => 1,
        }
    }
}

/// Moves both ends of `span` back to character boundaries of `text` and inside it, so that
/// slicing cannot panic whatever a range held.
fn snap(input: &str, span: Span) -> Span {
    let fix = |mut at: usize| {
        at = at.min(input.len());
        while !input.is_char_boundary(at) {
            at -= 1;
        }
        u32::try_from(at).expect("inputs are under 4 GB (checked at ingest)")
    };
    let start = fix(span.start as usize);
    Span::new(start, fix(span.end as usize).max(start))
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped, for element content and
/// attribute values alike.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// "same_story" → "same story".
fn label(name: &str) -> String {
    name.replace('_', " ")
}

/// The title when there is one, else the file name of the origin.
fn display_name(doc: &ReportDoc<'_>) -> String {
    if let Some(title) = doc
        .analyzed
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return title.to_owned();
    }
    let origin = doc.analyzed.origin.to_string();
    match origin.rsplit_once(['/', '\\']) {
        Some((_, name)) if !name.is_empty() => name.to_owned(),
        _ => origin,
    }
}

/// The relation in a few words, under its badge.
fn relation_sentence(relation: Relation) -> &'static str {
    match relation {
        Relation::Duplicate => "the same text",
        Relation::Excerpt => "one is an excerpt of the other",
        Relation::Rewrite => "one rewrites the other",
        Relation::SameStory => "the same story, written apart",
        Relation::Unrelated => "nothing in common beyond chance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use retrace_align::Alignment;
    use retrace_judge::Verdict;
    use retrace_span::{OffsetMap, Origin};
    use retrace_text::Analyzed;

    /// Invented wire copy: a quote, a hedge, an attribution and a figure.
    const WIRE: &str =
        "Flood waters reached the old bridge in Marrow on Tuesday, the regional council said.
About 300 residents left their homes, officials said.
\"We have never seen the river this high,\" said Mayor Ana Lind.
The council could not independently confirm reports of looting in the lower town.
Engineers will inspect the dam next week.
Schools in the valley stay closed until Friday.
";

    /// Invented rewrite: the figure and the quote altered, the hedge gone, a sentence added with
    /// markup in it, the last sentence dropped.
    const REWRITE: &str = "Flood waters reached the old bridge in Marrow on Tuesday.
About 400 residents left their homes, officials said.
\"We have never seen the water so high and so fast,\" said Mayor Ana Lind.
Shops on Mill Road <b>& the market</b> stayed shut.
There was looting in the lower town.
Engineers will inspect the dam next week.
";

    struct Fixture {
        a: Analyzed,
        b: Analyzed,
        alignment: Alignment,
        verdict: Verdict,
    }

    fn fixture(a: &str, b: &str) -> Fixture {
        let analyzer = retrace_text::Analyzer::new();
        let doc = |name: &str, text: &str| {
            let len = u32::try_from(text.len()).expect("test texts are small");
            analyzer.analyze(
                Origin::Path(name.into()),
                None,
                text,
                &OffsetMap::identity(len),
            )
        };
        let (a, b) = (doc("wire.txt", a), doc("rewrite.txt", b));
        let alignment = retrace_align::Aligner::default().align(&a, &b);
        let verdict = retrace_judge::Judge::default().judge(&a, &b, &alignment);
        Fixture {
            a,
            b,
            alignment,
            verdict,
        }
    }

    fn report_of<'f>(f: &'f Fixture, a: &'f str, b: &'f str) -> PairReport<'f> {
        PairReport {
            a: ReportDoc::new(a, &f.a),
            b: ReportDoc::new(b, &f.b),
            alignment: &f.alignment,
            verdict: &f.verdict,
        }
    }

    fn page(f: &Fixture, a: &str, b: &str) -> String {
        render(&report_of(f, a, b))
    }

    #[test]
    fn renders_a_self_contained_page() {
        let f = fixture(WIRE, REWRITE);
        let html = page(&f, WIRE, REWRITE);
        // To look at the page: RETRACE_HTML_OUT=/tmp/report.html cargo test -p retrace-report html
        if let Some(path) = std::env::var_os("RETRACE_HTML_OUT") {
            std::fs::write(path, &html).unwrap();
        }
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.trim_end().ends_with("</html>"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("url("));
        // The markup in B is shown as text, escaped once.
        assert!(
            html.contains("&lt;b&gt;&amp; the market&lt;/b&gt;"),
            "{html}"
        );
        assert!(!html.contains("<b>"));
        // One aligned row per aligned group.
        assert_eq!(
            html.matches("class=\"row aligned").count(),
            f.alignment.pairs.len()
        );
        let kinds: Vec<&str> = f.verdict.changes.iter().map(|c| c.kind.as_str()).collect();
        assert!(
            kinds.contains(&"quote_altered") && kinds.contains(&"hedge_dropped"),
            "{kinds:?}"
        );
        for (k, change) in f.verdict.changes.iter().enumerate() {
            let n = k + 1;
            assert!(html.contains(&format!("id=\"change-{n}\"")));
            for (side, range) in [("a", &change.a), ("b", &change.b)] {
                if range.is_some() && change.place == retrace_judge::Place::Body {
                    let id = format!("id=\"c{n}-{side}\"");
                    assert_eq!(html.matches(&id).count(), 1, "{id} in {html}");
                    assert!(html.contains(&format!("href=\"#c{n}-{side}\"")));
                    let at = html.find(&id).unwrap();
                    let before = &html[..at];
                    let open = before.rfind('<').unwrap();
                    assert!(
                        html[open..].starts_with(&format!(
                            "<mark class=\"chg k-{}\"",
                            change.kind.as_str()
                        ))
                    );
                }
            }
        }
    }

    /// A copy of five sentences with the fourth edited.
    const COPY_A: &str = "The river rose two metres on Sunday. Officials closed the old bridge. \
        Schools stayed shut across the valley. Forty families left their homes before dawn. \
        The rain is expected to ease by Thursday.";
    const COPY_B: &str = "The river rose two metres on Sunday. Officials closed the old bridge. \
        Schools stayed shut across the valley. Sixty families left their homes before dawn. \
        The rain is expected to ease by Thursday.";

    #[test]
    fn compact_pages_collapse_unchanged_runs_and_keep_the_change() {
        let f = fixture(COPY_A, COPY_B);
        let report = report_of(&f, COPY_A, COPY_B);
        let full = render_linked(&report, "../report.html", "all stories");
        let compact = render_compact(&report, "../report.html", "all stories");
        assert_eq!(full.matches("class=\"row aligned").count(), 5, "{full}");
        // Three unchanged sentences, then the edited one, then one more: one row for the run
        // of three, the edited row, and the last (a run of one stays as it is).
        assert_eq!(
            compact.matches("class=\"row aligned").count(),
            3,
            "{compact}"
        );
        assert!(
            compact.contains("3 sentences, the same in both"),
            "{compact}"
        );
        assert!(compact.contains("Sixty"), "{compact}");
        assert!(!compact.contains("Schools stayed shut"), "{compact}");
        assert!(compact.len() < full.len());
    }

    #[test]
    fn verbatim_runs_are_one_group_in_the_json_of_a_scan() {
        let f = fixture(COPY_A, COPY_B);
        let report = report_of(&f, COPY_A, COPY_B);
        let each = crate::json::CompareJson::new(&report);
        let runs = crate::json::CompareJson::with_verbatim_runs(&report);
        assert_eq!(each.alignment.len(), 5);
        // The first three as one group spanning them, the edited one, the last.
        assert_eq!(runs.alignment.len(), 3);
        assert_eq!(runs.alignment[0].a.start, each.alignment[0].a.start);
        assert_eq!(runs.alignment[0].a.end, each.alignment[2].a.end);
        assert_eq!(runs.alignment[0].b.end, each.alignment[2].b.end);
        assert_eq!(
            runs.alignment[0].a.text,
            COPY_A[each.alignment[0].a.start as usize..each.alignment[2].a.end as usize]
        );
        for (run, one) in [(1, 3), (2, 4)] {
            assert_eq!(runs.alignment[run].a, each.alignment[one].a);
            assert_eq!(runs.alignment[run].b, each.alignment[one].b);
        }
        assert_eq!(runs.changes.len(), each.changes.len());
    }

    #[test]
    fn output_is_deterministic() {
        let f = fixture(WIRE, REWRITE);
        assert_eq!(page(&f, WIRE, REWRITE), page(&f, WIRE, REWRITE));
    }

    #[test]
    fn marks_the_words_that_differ() {
        let a =
            "The council approved the new budget for the harbour on Monday. Work starts in May.";
        let b =
            "The council rejected the new budget for the harbour on Monday. Work starts in May.";
        let f = fixture(a, b);
        let html = page(&f, a, b);
        assert!(html.contains("<del>approved</del>"), "{html}");
        assert!(html.contains("<ins>rejected</ins>"), "{html}");
    }

    #[test]
    fn rows_follow_b_and_keep_a_neighbours() {
        let pair = |a: usize, b: usize| AlignedPair {
            a: vec![a],
            b: vec![b],
            kind: PairKind::Verbatim,
            score: 1.0,
            overlap: 1.0,
        };
        // A: 0 1 2 3 4; B: 0 1 2 3. Pairs (0,1) (2,0) (4,3); A 1 and 3 and B 2 unaligned.
        let pairs = vec![pair(2, 0), pair(0, 1), pair(4, 3)];
        let rows = merge_rows(&pairs, 5, 4);
        use RowItem::{OnlyA, OnlyB, Pair};
        assert_eq!(
            rows,
            vec![Pair(0), OnlyA(3), Pair(1), OnlyA(1), OnlyB(2), Pair(2)]
        );
        // Nothing aligned: A first, then B.
        assert_eq!(merge_rows(&[], 2, 1), vec![OnlyA(0), OnlyA(1), OnlyB(0)]);
    }

    #[test]
    fn overlapping_marks_nest() {
        let words: Vec<Word<'_>> = Vec::new();
        assert_eq!(word_diff(&words, &words), (Vec::new(), Vec::new()));
        let mut out = String::new();
        escape_into(&mut out, "<a href='x'>\"&\"</a>");
        assert_eq!(out, "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    }
}
