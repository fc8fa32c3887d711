//! retrace's pipelines as a library: where did this news text come from, and what changed on
//! the way?
//!
//! The command, the server, the Python package and the Spark job share it (rendering is
//! `retrace-report`'s). Its [`Engine`] runs
//! the pipeline of the stage crates, in order:
//!
//! 1. `retrace-ingest`: inputs → [`RawDoc`]
//! 2. `retrace-extract`: [`RawDoc`] → [`Article`] (body, title, metadata; furniture left out)
//! 3. `retrace-text`: [`Article`] → [`Analyzed`] (normalized sentences, tokens, facts)
//! 4. `retrace-embed` (optional): sentence embeddings for the semantic scorer
//! 5. `retrace-align`: two [`Analyzed`] → [`Alignment`]
//! 6. `retrace-judge`: [`Alignment`] → [`Verdict`] (relation, source, changes)
//!
//! ```
//! use retrace_span::Origin;
//! let engine = retrace_engine::Engine::lexical();
//! let raw = |text: &str| retrace_ingest::read_bytes(Origin::Stdin, text.as_bytes().to_vec(), None).unwrap();
//! let a = raw("Storms cut power to 4,000 homes in Dunmore. Crews expect to restore it by Friday.");
//! let b = raw("Storms cut power to 4,000 homes in Dunmore. Crews expect to restore it by Friday.");
//! let pair = engine.compare(&a, &b).unwrap();
//! assert_eq!(pair.verdict.relation, retrace_judge::Relation::Duplicate);
//! ```
#![deny(missing_docs)]

pub mod corpus;
mod document;
#[cfg(feature = "index")]
pub mod indexing;
pub mod scan;

pub use document::{CORPUS_EXTRACTOR, Document, extract_record};
use retrace_align::{Aligner, Alignment};
use retrace_extract::Article;
use retrace_ingest::RawDoc;
use retrace_judge::{Judge, Verdict};
use retrace_text::{Analyzed, Analyzer};

pub use retrace_align;
pub use retrace_extract;
pub use retrace_ingest;
pub use retrace_judge;
pub use retrace_span;
pub use retrace_text;

/// Why a pair could not be compared.
#[derive(Debug)]
pub enum Error {
    /// No article could be extracted from an input.
    Extract(retrace_extract::Error),
    /// The semantic model failed while running.
    #[cfg(feature = "embed")]
    Embed(retrace_embed::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Extract(err) => err.fmt(f),
            #[cfg(feature = "embed")]
            Error::Embed(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// The pair engine: every stage from a [`RawDoc`] to a [`Verdict`], configured once.
///
/// All stages are pure functions of their inputs and the engine holds only immutable tables
/// and model weights, so one engine can serve many threads.
#[derive(Debug)]
pub struct Engine {
    analyzer: Analyzer,
    aligner: Aligner,
    judge: Judge,
    #[cfg(feature = "embed")]
    embedder: Option<retrace_embed::Embedder>,
}

/// One side of a compared pair, kept for reporting.
#[derive(Debug)]
pub struct Prepared {
    /// The extracted article.
    pub article: Article,
    /// Its analysis.
    pub analyzed: Analyzed,
}

/// The result of comparing two documents.
#[derive(Debug)]
pub struct Compared {
    /// The first document.
    pub a: Prepared,
    /// The second document.
    pub b: Prepared,
    /// Sentence alignment.
    pub alignment: Alignment,
    /// Relation, source and changes.
    pub verdict: Verdict,
}

impl Compared {
    /// What the report renders of the comparison (terminal, JSON, HTML), with `a` and `b` the
    /// texts the spans index: the inputs' texts ([`RawDoc::text`]).
    ///
    /// ```
    /// use retrace_span::Origin;
    /// let text = "Storms cut power to 4,000 homes in Dunmore. Crews expect to restore it by Friday.";
    /// let raw = retrace_ingest::read_bytes(Origin::Stdin, text.as_bytes().to_vec(), None).unwrap();
    /// let compared = retrace_engine::Engine::lexical().compare(&raw, &raw).unwrap();
    /// let json = retrace_report::json::CompareJson::new(&compared.report(&raw.text, &raw.text));
    /// assert!(json.to_pretty().contains("\"duplicate\""));
    /// ```
    pub fn report<'a>(&'a self, a: &'a str, b: &'a str) -> retrace_report::PairReport<'a> {
        retrace_report::PairReport {
            a: retrace_report::ReportDoc::new(a, &self.a.analyzed),
            b: retrace_report::ReportDoc::new(b, &self.b.analyzed),
            alignment: &self.alignment,
            verdict: &self.verdict,
        }
    }
}

impl Engine {
    /// An engine that scores sentences lexically only.
    pub fn lexical() -> Engine {
        Engine {
            analyzer: Analyzer::new(),
            aligner: Aligner::default(),
            judge: Judge::default(),
            #[cfg(feature = "embed")]
            embedder: None,
        }
    }

    /// An engine that adds the semantic scorer.
    #[cfg(feature = "embed")]
    pub fn with_embedder(embedder: retrace_embed::Embedder) -> Engine {
        Engine {
            embedder: Some(embedder),
            ..Engine::lexical()
        }
    }

    /// The same engine with another judge (for instance one with a direction window).
    pub fn with_judge(self, judge: Judge) -> Engine {
        Engine { judge, ..self }
    }

    /// True when the semantic scorer is loaded.
    pub fn is_semantic(&self) -> bool {
        #[cfg(feature = "embed")]
        {
            self.embedder.is_some()
        }
        #[cfg(not(feature = "embed"))]
        {
            false
        }
    }

    /// Extracts and analyzes one document. Sentences are embedded later, per pair, and only
    /// those that lexical alignment leaves uncertain ([`Engine::align_and_judge`]).
    pub fn prepare(&self, raw: &RawDoc) -> Result<Prepared, Error> {
        let article = retrace_extract::extract(raw).map_err(Error::Extract)?;
        let mut analyzed = self.analyzer.analyze(
            article.origin.clone(),
            article.title.clone(),
            &article.text,
            &article.map,
        );
        analyzed.published = article.published.clone();
        if let Some(title) = &article.title {
            analyzed.headline = Some(Box::new(self.analyzer.headline(
                article.origin.clone(),
                title,
                &raw.text,
                article.title_span,
            )));
        }
        Ok(Prepared { article, analyzed })
    }

    /// Aligns `a` with `b`: lexically, or with the semantic scorer for the sentences that
    /// lexical scores leave uncertain ([`Aligner::align_semantic`]) when the model is loaded.
    pub fn align(&self, a: &Analyzed, b: &Analyzed) -> Result<Alignment, Error> {
        #[cfg(feature = "embed")]
        if let Some(embedder) = &self.embedder {
            return self
                .aligner
                .align_semantic(a, b, |texts| embedder.embed(texts))
                .map_err(Error::Embed);
        }
        Ok(self.aligner.align(a, b))
    }

    /// Aligns and judges two analyzed documents, leaving them with the caller (who may judge
    /// one document against many). Fails only when the semantic model fails.
    pub fn align_and_judge(
        &self,
        a: &Analyzed,
        b: &Analyzed,
    ) -> Result<(Alignment, Verdict), Error> {
        let alignment = self.align(a, b)?;
        let verdict = self.judge.judge(a, b, &alignment);
        Ok((alignment, verdict))
    }

    /// Aligns and judges two prepared documents.
    pub fn judge(&self, a: Prepared, b: Prepared) -> Result<Compared, Error> {
        let (alignment, verdict) = self.align_and_judge(&a.analyzed, &b.analyzed)?;
        Ok(Compared {
            a,
            b,
            alignment,
            verdict,
        })
    }

    /// Runs the whole pair engine on two documents.
    pub fn compare(&self, a: &RawDoc, b: &RawDoc) -> Result<Compared, Error> {
        let a = self.prepare(a)?;
        let b = self.prepare(b)?;
        self.judge(a, b)
    }
}
