//! A scan's output folder ([`Folder`]): `pairs.jsonl`, `clusters.jsonl`, `stories.jsonl`,
//! `report.html` and the story and side-by-side pages in `report/`, as `retrace scan --out DIR`
//! writes them. Every caller that writes a scan to a folder (the command, the Python package)
//! writes it through this sink, so the files have one schema.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use retrace_judge::story::Story;

use super::{Candidates, Error, JudgedPair, ScanSink};

/// Side-by-side pages take at most the input's size (its files on disk, compressed or not)
/// divided by this, or [`PAGE_BUDGET_FLOOR`] where that is more: with pairs.jsonl (spans:
/// about a third of the text on a syndicated corpus) and the story pages, the output of a
/// large scan stays smaller than its input.
const PAGE_BUDGET_SHARE: u64 = 3;

/// Pages of a small corpus are all written: its pages cannot grow with the square of a story.
const PAGE_BUDGET_FLOOR: u64 = 8 << 20;

/// The folder of story and pair pages inside the output folder (next to `report.html`).
const REPORT_DIR: &str = "report";

/// Marks an output folder as a scan's: a later scan into it may replace what it holds.
const OUTPUT_MARK: &str = ".retrace-scan";

/// The skipped list's name in the output folder.
pub const SKIPPED_FILE: &str = "skipped.jsonl";

/// The output folder of a scan, as a [`ScanSink`].
///
/// ```
/// use retrace_engine::scan::{Folder, Scan, ScanConfig};
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("scan");
/// let mut folder = Folder::create(&out, 0).unwrap();
/// let scan = Scan::new(ScanConfig::default(), &out).unwrap();
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let summary = scan.run(&pool, &mut folder).unwrap();
/// folder.write_report("nothing read").unwrap();
/// assert_eq!(summary.related, 0);
/// assert!(out.join("pairs.jsonl").exists() && out.join("report.html").exists());
/// ```
#[derive(Debug)]
pub struct Folder {
    out: PathBuf,
    /// pairs.jsonl, open while pairs come.
    pairs: Option<BufWriter<File>>,
    /// Bytes of side-by-side pages still to write.
    page_budget: u64,
    /// Whether pages are still rendered: the first page past the budget closes it.
    pages_open: bool,
    pages: u64,
    pages_over_budget: u64,
    stories: Vec<Story>,
}

impl Folder {
    /// Makes `out` ready for a scan of `input_bytes` of input (its files on disk, which bound
    /// the side-by-side pages): created if missing; the pages of a scan written there before
    /// removed (its other files are overwritten), so that the report never links pages of
    /// another run. A `report/` folder that no scan wrote is left alone, and this fails.
    pub fn create(out: &Path, input_bytes: u64) -> Result<Folder, Error> {
        let failed = |source| Error::Output {
            path: out.to_path_buf(),
            source,
        };
        let pages = out.join(REPORT_DIR);
        let mark = out.join(OUTPUT_MARK);
        if pages.exists() {
            if !mark.exists() {
                return Err(Error::NotOurs(pages));
            }
            for entry in std::fs::read_dir(&pages).map_err(failed)? {
                let path = entry.map_err(failed)?.path();
                if path.extension().is_some_and(|ext| ext == "html") {
                    std::fs::remove_file(&path).map_err(|source| Error::Output {
                        path: path.clone(),
                        source,
                    })?;
                }
            }
        }
        std::fs::create_dir_all(&pages).map_err(failed)?;
        std::fs::write(
            &mark,
            "This folder holds the output of `retrace scan`; a later scan into it replaces it.\n",
        )
        .map_err(failed)?;
        Ok(Folder {
            out: out.to_path_buf(),
            pairs: None,
            page_budget: (input_bytes / PAGE_BUDGET_SHARE).max(PAGE_BUDGET_FLOOR),
            pages_open: true,
            pages: 0,
            pages_over_budget: 0,
            stories: Vec::new(),
        })
    }

    /// Sets the input's size, which bounds the side-by-side pages, where it was not known when
    /// the folder was created (standard input).
    pub fn set_input_bytes(&mut self, input_bytes: u64) {
        self.page_budget = (input_bytes / PAGE_BUDGET_SHARE).max(PAGE_BUDGET_FLOOR);
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// Side-by-side pages written, and pages left out to keep them within the budget.
    pub fn pages(&self) -> (u64, u64) {
        (self.pages, self.pages_over_budget)
    }

    /// The judging phase in one line, for `judged` pairs judged: `3 pairs judged; 3
    /// side-by-side pages written`, and how many pages were left out to keep them within a
    /// third of the input's size.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let folder = retrace_engine::scan::Folder::create(dir.path(), 0).unwrap();
    /// assert_eq!(folder.judged_line(1), "1 pair judged; 0 side-by-side pages written");
    /// ```
    pub fn judged_line(&self, judged: u64) -> String {
        use crate::corpus::counted;
        format!(
            "{} judged; {} written{}",
            counted(judged, "pair", "pairs"),
            counted(self.pages, "side-by-side page", "side-by-side pages"),
            if self.pages_over_budget > 0 {
                format!(
                    ", {} more left out to keep them within a third of the input's size (each \
                     story page gives the `retrace compare` command that draws them)",
                    self.pages_over_budget
                )
            } else {
                String::new()
            }
        )
    }

    /// `report.html` (headed by `summary`) and a page per story in `report/`.
    pub fn write_report(&self, summary: &str) -> Result<(), Error> {
        let index = self.out.join("report.html");
        write(
            &index,
            &retrace_report::stories::index(&self.stories, summary),
        )?;
        for story in &self.stories {
            let page = self
                .out
                .join(REPORT_DIR)
                .join(retrace_report::stories::story_page(story.id));
            write(&page, &retrace_report::stories::story(story))?;
        }
        Ok(())
    }

    fn create_file(&self, name: &str) -> Result<BufWriter<File>, Error> {
        let path = self.out.join(name);
        File::create(&path)
            .map(BufWriter::new)
            .map_err(|source| Error::Output { path, source })
    }
}

fn write(path: &Path, contents: &str) -> Result<(), Error> {
    std::fs::write(path, contents).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes JSON lines to a file of the folder and flushes it.
fn write_lines<T: serde::Serialize>(
    folder: &Folder,
    name: &str,
    items: impl IntoIterator<Item = T>,
) -> Result<(), Error> {
    let mut file = folder.create_file(name)?;
    let failed = |source| Error::Output {
        path: folder.out.join(name),
        source,
    };
    for item in items {
        serde_json::to_writer(&mut file, &item)?;
        file.write_all(b"\n").map_err(failed)?;
    }
    file.flush().map_err(failed)
}

impl ScanSink for Folder {
    type Error = Error;

    fn candidates(&mut self, candidates: &Candidates) -> Result<(), Error> {
        write_lines(self, "clusters.jsonl", &candidates.clusters)?;
        self.pairs = Some(self.create_file("pairs.jsonl")?);
        Ok(())
    }

    fn wants_pages(&self) -> bool {
        self.pages_open
    }

    fn pair(&mut self, pair: &JudgedPair) -> Result<Option<String>, Error> {
        let path = self.out.join("pairs.jsonl");
        let Some(out) = &mut self.pairs else {
            unreachable!("a scan hands over its candidates before its pairs");
        };
        out.write_all(pair.line.as_bytes())
            .map_err(|source| Error::Output { path, source })?;
        Ok(match &pair.rendered {
            Some((name, html)) if self.pages_open && html.len() as u64 <= self.page_budget => {
                self.page_budget -= html.len() as u64;
                write(&self.out.join(REPORT_DIR).join(name), html)?;
                self.pages += 1;
                Some(name.clone())
            }
            Some(_) => {
                // The first page past the budget closes it: later chunks render none.
                self.pages_open = false;
                self.pages_over_budget += 1;
                None
            }
            None if pair.wants_page => {
                self.pages_over_budget += 1;
                None
            }
            None => None,
        })
    }

    fn judged(&mut self) -> Result<(), Error> {
        if let Some(mut out) = self.pairs.take() {
            out.flush().map_err(|source| Error::Output {
                path: self.out.join("pairs.jsonl"),
                source,
            })?;
        }
        Ok(())
    }

    fn stories(&mut self, stories: &[Story]) -> Result<(), Error> {
        write_lines(self, "stories.jsonl", stories)?;
        self.stories = stories.to_vec();
        Ok(())
    }
}
