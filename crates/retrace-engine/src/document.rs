//! One record of a corpus as the many-document pipelines need it: extracted and sketched, or
//! skipped with the reason.

use retrace_extract::{Article, Extractor, ExtractorBuilder};
use retrace_ingest::RawDoc;
use retrace_sketch::{Sketch, Sketcher};
use retrace_span::Skipped;

/// Extraction in a corpus pass: without the language, which nothing after extraction reads
/// there and which costs as much as the rest of extracting a text dump.
pub const CORPUS_EXTRACTOR: Extractor = ExtractorBuilder::new().detect_language(false).build();

/// A record read and extracted, with its sketch: what `retrace scan`, `retrace index add` and
/// the lookups of `retrace query` keep of a page.
#[derive(Clone, Debug)]
pub struct Document {
    /// The record as ingest read it (its text, to extract again and align with spans into it).
    pub raw: RawDoc,
    /// The headline.
    pub title: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The article's site.
    pub site: Option<String>,
    /// The publication time, as written.
    pub published: Option<String>,
    /// The sketch of its text.
    pub sketch: Box<Sketch>,
    /// Articles the page pasted after its own (counted, not compared on their own).
    pub embedded: usize,
}

impl Document {
    /// Extracts (with [`CORPUS_EXTRACTOR`]) and sketches one record as ingest yields it, or
    /// says why there is no document.
    ///
    /// ```
    /// use retrace_engine::Document;
    /// use retrace_sketch::Sketcher;
    /// use retrace_span::Origin;
    /// let raw = retrace_ingest::read_bytes(
    ///     Origin::Stdin,
    ///     b"Storms cut power to 4,000 homes in Dunmore. Crews expect to restore it by Friday."
    ///         .to_vec(),
    ///     None,
    /// );
    /// let doc = Document::read(raw, &Sketcher::default()).unwrap();
    /// assert!(doc.sketch.words > 10);
    /// ```
    pub fn read(
        item: Result<RawDoc, retrace_ingest::Error>,
        sketcher: &Sketcher,
    ) -> Result<Document, Skipped> {
        let (raw, article) = extract_record(item, &CORPUS_EXTRACTOR)?;
        let mut sketch = sketcher.sketch(&article.text);
        sketch.terms.shrink_to_fit();
        sketch.anchors.shrink_to_fit();
        Ok(Document {
            sketch: Box::new(sketch),
            embedded: article.embedded.len(),
            title: article.title,
            url: article.url,
            site: article.site,
            published: article.published,
            raw,
        })
    }
}

/// The article of one record as ingest yields it, from `extractor`, or why there is none.
pub fn extract_record(
    item: Result<RawDoc, retrace_ingest::Error>,
    extractor: &Extractor,
) -> Result<(RawDoc, Article), Skipped> {
    let raw = item.map_err(|err| err.to_skipped())?;
    match extractor.extract(&raw) {
        Ok(article) => Ok((raw, article)),
        Err(err) => Err(err.to_skipped()),
    }
}
