//! The case files of `retrace-eval changes`: a recipe for a derivative, and its answer key.
//!
//! A case is one TOML file. The data owners forbid copying the text of `../shared` into the
//! repository, so a case never holds its source article: it names it, and says how to build
//! the derivative from it. Verbatim source words appear only as short anchors (at most
//! [`MAX_ANCHOR_WORDS`] words) that locate what is kept, replaced or planted.
//!
//! ```toml
//! # Style: content-farm rewrite. Planted: number_changed (age), claim_added (conduct).
//! style = "content_farm"       # content_farm | aggregator | excerpt | independent | copy_desk
//! source = { html = "wsvn.com-crash.html" }   # a page of trafilatura-eval/html/, or
//!                                             # { example = "000_….txt" } of ../shared/examples
//! source_is = "b"              # which input of the comparison the source is: "a" or "b"
//! relation = ["rewrite"]       # the relations accepted as right
//! title = "Our headline"       # optional: the derivative's first line
//!
//! [[block]]                    # our own words: a paragraph of the derivative
//! text = "A teenager died ..."
//!
//! [[block]]                    # source text kept: from the anchor `keep` to the end of the
//! keep = "The crash happened"  # first `to` after it (without `to`: to the end of the paragraph)
//! to = "on Tuesday."
//! replace = [["15-year-old", "16-year-old"]]   # in-place edits of the kept text, each `old`
//! join = "space"               # found exactly once in it; join: para (default) | space | none
//!
//! [[change]]                   # a planted change: its kind and where it is
//! kind = "number_changed"
//! in_derivative = "16-year-old"   # anchor in the built derivative (exactly once)
//! in_source = "15-year-old"       # anchor in the source article (exactly once), optional
//!
//! [[harmless]]                 # a rendering that must not be reported as a change
//! in_derivative = "Turkey's carrier"
//!
//! [[judged]]                   # added after a run, by a reader: a report that matched no
//! kind = "claim_added"         # planted change, and whether the derivative really differs so
//! in_derivative = "have not been released"   # (anchors as for a change)
//! real = true                  # a change the writer did not key; false: a false alarm
//! reason = "the source says nothing of the names being withheld"
//! ```
//!
//! `[[judged]]` entries never count towards recall: they only tell a false alarm from a real
//! change the writer left out of the key, the way pooled relevance judgements complete a test
//! collection. A report they do not cover stays a false alarm.
//!
//! The source text is the article `retrace-extract` finds in the page (HTML) or text file
//! (seeds), as `retrace compare` would read it; its anchors resolve in that text and are mapped
//! through the article's offset map to byte spans of the input as given. The derivative is
//! plain text: its title line (when given), then the blocks, joined by a blank line (`para`), a
//! space or nothing; a final newline. Its spans are byte offsets into that text.
//!
//! Every anchor must occur exactly once where it is looked up (keep anchors and source anchors
//! in the source article, `old` in its kept text, derivative anchors in the built derivative);
//! a `to` anchor resolves to its first occurrence after the start of its `keep`. Anything else
//! fails the run with the case file and the anchor named.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

/// The longest anchor, in words: anchors locate text, they do not carry it.
pub(crate) const MAX_ANCHOR_WORDS: usize = 12;

/// The style a derivative was written in.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Style {
    /// A content farm's rewrite: the story retold in other words, facts changed on the way.
    ContentFarm,
    /// An aggregator's copy: the text kept, page junk around it, a few edits.
    Aggregator,
    /// An excerpt with the aggregator's own commentary.
    Excerpt,
    /// An independent report of the same event, with no reused wording (a hard negative).
    Independent,
    /// A faithful copy-desk edit: trims and house style, no change of fact.
    CopyDesk,
}

impl Style {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Style::ContentFarm => "content_farm",
            Style::Aggregator => "aggregator",
            Style::Excerpt => "excerpt",
            Style::Independent => "independent",
            Style::CopyDesk => "copy_desk",
        }
    }
}

/// Where the source article is.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum SourceRef {
    /// A page of `trafilatura-eval/html/` in the data folder, by file name.
    Html(String),
    /// A seed text of `../shared/examples`, by file name.
    Example(String),
}

impl SourceRef {
    /// The file, given the data folder and the examples folder.
    pub(crate) fn path(&self, data: &Path, examples: &Path) -> PathBuf {
        match self {
            SourceRef::Html(name) => data.join("trafilatura-eval/html").join(name),
            SourceRef::Example(name) => examples.join(name),
        }
    }

    pub(crate) fn label(&self) -> String {
        match self {
            SourceRef::Html(name) => format!("html/{name}"),
            SourceRef::Example(name) => format!("examples/{name}"),
        }
    }
}

/// Which input of the comparison the source is.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SideName {
    A,
    B,
}

/// How a block joins the one before it.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Join {
    /// A new paragraph (a blank line). This is the default.
    #[default]
    Para,
    /// The same paragraph, after a space.
    Space,
    /// Directly after the previous block.
    None,
}

/// One or several strings (`relation = "rewrite"` or `relation = ["same_story", "unrelated"]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// A case file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseFile {
    pub(crate) style: Style,
    pub(crate) source: SourceRef,
    pub(crate) source_is: SideName,
    relation: OneOrMany,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, rename = "block")]
    blocks: Vec<Block>,
    #[serde(default, rename = "change")]
    changes: Vec<PlantedAnchor>,
    #[serde(default)]
    harmless: Vec<HarmlessAnchor>,
    #[serde(default)]
    judged: Vec<JudgedAnchor>,
}

/// A block of the derivative: our own text, or kept source text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Block {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    keep: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    replace: Vec<(String, String)>,
    #[serde(default)]
    join: Join,
}

/// A planted change as written: kind and anchors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlantedAnchor {
    kind: String,
    #[serde(default)]
    in_derivative: Option<String>,
    #[serde(default)]
    in_source: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// A harmless rendering as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HarmlessAnchor {
    in_derivative: String,
    #[serde(default)]
    note: Option<String>,
}

/// A reported change that matched no planted change, judged by hand after a run (as pooled
/// relevance judgements are): `real` when the derivative does differ from the source in the way
/// the report says, a change the case's writer did not key; false when it does not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgedAnchor {
    kind: String,
    #[serde(default)]
    in_derivative: Option<String>,
    #[serde(default)]
    in_source: Option<String>,
    real: bool,
    reason: String,
}

/// A planted change, resolved: byte spans into the derivative text and the source input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Planted {
    pub(crate) kind: String,
    pub(crate) derivative: Option<Range<u32>>,
    pub(crate) source: Option<Range<u32>>,
    pub(crate) note: Option<String>,
}

/// A harmless rendering, resolved to a byte span of the derivative.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Harmless {
    pub(crate) derivative: Range<u32>,
    pub(crate) note: Option<String>,
}

/// A judged report, resolved like a planted change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Judged {
    pub(crate) kind: String,
    pub(crate) derivative: Option<Range<u32>>,
    pub(crate) source: Option<Range<u32>>,
    pub(crate) real: bool,
    pub(crate) reason: String,
}

/// A case ready to run: the derivative built, the answer key resolved.
#[derive(Debug)]
pub(crate) struct Built {
    pub(crate) derivative: String,
    pub(crate) relations: Vec<retrace_judge::Relation>,
    pub(crate) planted: Vec<Planted>,
    pub(crate) harmless: Vec<Harmless>,
    pub(crate) judged: Vec<Judged>,
}

/// The relations by name.
const RELATIONS: [retrace_judge::Relation; 5] = [
    retrace_judge::Relation::Duplicate,
    retrace_judge::Relation::Excerpt,
    retrace_judge::Relation::Rewrite,
    retrace_judge::Relation::SameStory,
    retrace_judge::Relation::Unrelated,
];

/// Parses a case file's text; `file` names it in errors.
pub(crate) fn parse(file: &Path, text: &str) -> anyhow::Result<CaseFile> {
    let case: CaseFile =
        toml::from_str(text).with_context(|| format!("{}: not a valid case", file.display()))?;
    Ok(case)
}

/// The one place `needle` occurs in `hay`, or an error naming the case, the anchor and where it
/// was looked up.
fn once(file: &Path, hay: &str, needle: &str, what: &str) -> anyhow::Result<Range<usize>> {
    check_anchor(file, needle, what)?;
    let mut found = hay.match_indices(needle).map(|(at, _)| at);
    match (found.next(), found.next()) {
        (Some(at), None) => Ok(at..at + needle.len()),
        (None, _) => bail!("{}: {what} {needle:?} not found", file.display()),
        (Some(_), Some(_)) => {
            let n = 2 + found.count();
            bail!(
                "{}: {what} {needle:?} found {n} times; make it longer so that it is found once",
                file.display()
            )
        }
    }
}

/// Anchors are short and not blank.
fn check_anchor(file: &Path, anchor: &str, what: &str) -> anyhow::Result<()> {
    if anchor.trim().is_empty() {
        bail!("{}: {what} is empty", file.display());
    }
    let words = anchor.split_whitespace().count();
    if words > MAX_ANCHOR_WORDS {
        bail!(
            "{}: {what} {anchor:?} has {words} words; anchors hold at most {MAX_ANCHOR_WORDS}",
            file.display()
        );
    }
    Ok(())
}

/// An entry's byte spans: in the derivative, in the source input.
type Spans = (Option<Range<u32>>, Option<Range<u32>>);

/// The spans of an entry of the key (`label`: "change 3", "judged 2") of kind `kind`, from its
/// anchors in the derivative and in the source article (`texts`), the source's mapped by
/// `source_span` to the input; an error names the case and the entry when the kind is unknown,
/// no anchor is given, or an anchor is not found exactly once.
fn resolve(
    file: &Path,
    label: &str,
    kind: &str,
    (in_derivative, in_source): (Option<&str>, Option<&str>),
    (derivative, source): (&str, &str),
    source_span: &impl Fn(Range<u32>) -> Range<u32>,
) -> anyhow::Result<Spans> {
    if retrace_judge::ChangeKind::from_name(kind).is_none() {
        bail!("{}: {label}: unknown kind {kind:?}", file.display());
    }
    if in_derivative.is_none() && in_source.is_none() {
        bail!("{}: {label}: no anchor on either side", file.display());
    }
    let what = |side: &str| format!("{label} ({kind}) {side} anchor");
    let derivative_range = match in_derivative {
        Some(anchor) => Some(offsets(once(
            file,
            derivative,
            anchor,
            &what("in_derivative"),
        )?)?),
        None => None,
    };
    let source_range = match in_source {
        Some(anchor) => Some(source_span(offsets(once(
            file,
            source,
            anchor,
            &what("in_source"),
        )?)?)),
        None => None,
    };
    Ok((derivative_range, source_range))
}

fn offsets(range: Range<usize>) -> anyhow::Result<Range<u32>> {
    Ok(u32::try_from(range.start)?..u32::try_from(range.end)?)
}

impl CaseFile {
    /// The kinds of the planted changes, as the file names them.
    #[cfg(test)]
    pub(crate) fn kinds(&self) -> impl Iterator<Item = &str> {
        self.changes.iter().map(|c| c.kind.as_str())
    }
}

impl CaseFile {
    /// Builds the derivative from `source` (the source article's text) and resolves the answer
    /// key; `source_span` maps a range of `source` to a span of the source input.
    pub(crate) fn build(
        self,
        file: &Path,
        source: &str,
        source_span: impl Fn(Range<u32>) -> Range<u32>,
    ) -> anyhow::Result<Built> {
        let relations = self
            .relation
            .into_vec()
            .into_iter()
            .map(|name| {
                RELATIONS
                    .into_iter()
                    .find(|r| r.as_str() == name)
                    .with_context(|| format!("{}: unknown relation {name:?}", file.display()))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if relations.is_empty() {
            bail!("{}: relation lists no relation", file.display());
        }
        let derivations = relations.iter().filter(|r| r.is_derivation()).count();
        if derivations != 0 && derivations != relations.len() {
            bail!(
                "{}: relation mixes derivations and non-derivations; the source side would be undefined",
                file.display()
            );
        }

        let mut derivative = String::new();
        if let Some(title) = &self.title {
            derivative.push_str(title.trim());
        }
        for (n, block) in self.blocks.iter().enumerate() {
            let piece = build_block(file, n + 1, block, source)?;
            if !derivative.is_empty() {
                derivative.push_str(match block.join {
                    Join::Para => "\n\n",
                    Join::Space => " ",
                    Join::None => "",
                });
            }
            derivative.push_str(&piece);
        }
        if derivative.trim().is_empty() {
            bail!("{}: the derivative is empty", file.display());
        }
        derivative.push('\n');

        let mut planted = Vec::new();
        for (n, change) in self.changes.into_iter().enumerate() {
            let (derivative_range, source_range) = resolve(
                file,
                &format!("change {}", n + 1),
                &change.kind,
                (change.in_derivative.as_deref(), change.in_source.as_deref()),
                (&derivative, source),
                &source_span,
            )?;
            planted.push(Planted {
                kind: change.kind,
                derivative: derivative_range,
                source: source_range,
                note: change.note,
            });
        }
        let mut harmless = Vec::new();
        for (n, item) in self.harmless.into_iter().enumerate() {
            let what = format!("harmless {} anchor", n + 1);
            harmless.push(Harmless {
                derivative: offsets(once(file, &derivative, &item.in_derivative, &what)?)?,
                note: item.note,
            });
        }
        let mut judged = Vec::new();
        for (n, item) in self.judged.into_iter().enumerate() {
            if item.reason.trim().is_empty() {
                bail!("{}: judged {}: give the reason", file.display(), n + 1);
            }
            let (derivative_range, source_range) = resolve(
                file,
                &format!("judged {}", n + 1),
                &item.kind,
                (item.in_derivative.as_deref(), item.in_source.as_deref()),
                (&derivative, source),
                &source_span,
            )?;
            judged.push(Judged {
                kind: item.kind,
                derivative: derivative_range,
                source: source_range,
                real: item.real,
                reason: item.reason,
            });
        }
        Ok(Built {
            derivative,
            relations,
            planted,
            harmless,
            judged,
        })
    }
}

/// The text of one block: ours, or the kept source text with its replacements made.
fn build_block(file: &Path, n: usize, block: &Block, source: &str) -> anyhow::Result<String> {
    match (&block.text, &block.keep) {
        (Some(text), None) => {
            if block.to.is_some() || !block.replace.is_empty() {
                bail!(
                    "{}: block {n}: `to` and `replace` go with `keep`, not `text`",
                    file.display()
                );
            }
            let text = text.trim();
            if text.is_empty() {
                bail!("{}: block {n}: empty text", file.display());
            }
            Ok(text.to_owned())
        }
        (None, Some(keep)) => {
            let start = once(file, source, keep, &format!("block {n} keep anchor"))?.start;
            let end = match &block.to {
                Some(to) => {
                    check_anchor(file, to, &format!("block {n} `to` anchor"))?;
                    let at = source[start..].find(to.as_str()).with_context(|| {
                        format!(
                            "{}: block {n} `to` anchor {to:?} not found after its keep anchor",
                            file.display()
                        )
                    })?;
                    start + at + to.len()
                }
                None => source[start..]
                    .find('\n')
                    .map_or(source.len(), |at| start + at),
            };
            let mut kept = source[start..end].trim().to_owned();
            for (old, new) in &block.replace {
                let range = once(file, &kept, old, &format!("block {n} replace"))?;
                kept.replace_range(range, new);
            }
            Ok(kept)
        }
        _ => bail!(
            "{}: block {n}: give either `text` (our words) or `keep` (source text)",
            file.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Floods closed the Dunmore road on Monday.\n\n\
        The council said 40 homes may have been damaged. Repairs will take 14 days.\n\n\
        \"We are doing what we can,\" said mayor Ann Pryce.";

    fn build(toml: &str) -> anyhow::Result<Built> {
        let file = Path::new("cases/x.toml");
        parse(file, toml)?.build(file, SOURCE, |r| r)
    }

    #[test]
    fn builds_kept_and_written_blocks_with_replacements() {
        let built = build(
            r#"
            style = "content_farm"
            source = { example = "s.txt" }
            source_is = "a"
            relation = "rewrite"
            title = "Dunmore floods"
            [[block]]
            keep = "The council said"
            to = "damaged."
            replace = [["may have been", "were"]]
            [[block]]
            text = "Residents were furious."
            join = "space"
            [[block]]
            keep = "\"We are doing"
            [[change]]
            kind = "hedge_dropped"
            in_derivative = "were damaged"
            in_source = "may have been"
            [[change]]
            kind = "claim_dropped"
            in_source = "Repairs will take"
            [[harmless]]
            in_derivative = "mayor Ann"
            "#,
        )
        .unwrap();
        assert_eq!(
            built.derivative,
            "Dunmore floods\n\nThe council said 40 homes were damaged. Residents were furious.\n\n\
             \"We are doing what we can,\" said mayor Ann Pryce.\n"
        );
        assert_eq!(built.relations, vec![retrace_judge::Relation::Rewrite]);
        let hedge = &built.planted[0];
        let d = hedge.derivative.clone().unwrap();
        assert_eq!(
            &built.derivative[d.start as usize..d.end as usize],
            "were damaged"
        );
        let s = hedge.source.clone().unwrap();
        assert_eq!(&SOURCE[s.start as usize..s.end as usize], "may have been");
        assert_eq!(built.planted[1].derivative, None);
        assert_eq!(built.harmless.len(), 1);
    }

    #[test]
    fn an_anchor_found_twice_or_never_names_the_case_and_the_anchor() {
        let head = r#"
            style = "aggregator"
            source = { example = "s.txt" }
            source_is = "b"
            relation = "duplicate"
        "#;
        let err = build(&format!("{head}\n[[block]]\nkeep = \"said\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cases/x.toml") && err.contains("\"said\"") && err.contains("times"));
        let err = build(&format!(
            "{head}\n[[block]]\nkeep = \"Floods\"\n[[change]]\nkind = \"date_changed\"\nin_derivative = \"Tuesday\"\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("\"Tuesday\" not found") && err.contains("change 1"),
            "{err}"
        );
    }

    #[test]
    fn rejects_long_anchors_unknown_kinds_and_mixed_relations() {
        let head = r#"
            style = "excerpt"
            source = { html = "p.html" }
            source_is = "a"
        "#;
        let long = format!(
            "{head}relation = \"excerpt\"\n[[block]]\nkeep = \"The council said 40 homes may have been damaged. Repairs will take 14 days\"\n"
        );
        assert!(build(&long).unwrap_err().to_string().contains("words"));
        let kind = format!(
            "{head}relation = \"excerpt\"\n[[block]]\nkeep = \"Floods\"\n[[change]]\nkind = \"mood_changed\"\nin_source = \"Floods\"\n"
        );
        assert!(
            build(&kind)
                .unwrap_err()
                .to_string()
                .contains("unknown kind")
        );
        let mixed =
            format!("{head}relation = [\"rewrite\", \"same_story\"]\n[[block]]\ntext = \"x\"\n");
        assert!(build(&mixed).unwrap_err().to_string().contains("mixes"));
        let unknown = format!("{head}relation = \"excerpt\"\nstyel = 1\n");
        assert!(build(&unknown).is_err());
    }

    #[test]
    fn unknown_kinds_are_refused() {
        let err = build(
            r#"
            style = "content_farm"
            source = { example = "s.txt" }
            source_is = "a"
            relation = ["rewrite"]
            [[block]]
            keep = "Floods closed"
            replace = [["road", "road and bridge"]]
            [[change]]
            kind = "bridge_added"
            in_derivative = "and bridge"
            "#,
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("unknown kind"), "{err:#}");
    }
}
