//! Stories of a corpus scan: the `stories.jsonl` objects and the browsable report (an index of
//! stories, a page per story with its provenance, and the side-by-side page of each pair, written
//! by [`crate::html::render`]). All pages are static, self-contained and readable without
//! JavaScript; they link to each other by relative paths, so the folder can be moved or zipped.

use askama::Template;
use retrace_judge::Relation;
pub use retrace_judge::story::{Edge, Member, Story};
use retrace_judge::story::{Link, Sketched};

/// Counts of a story's relations, for the index: (duplicates, excerpts, rewrites, same story
/// or similar).
fn counts(story: &Story) -> [usize; 4] {
    let mut counts = [0; 4];
    for edge in story.provenance.iter().chain(&story.undirected) {
        let slot = match edge.relation {
            Link::Judged(Relation::Duplicate) | Link::Sketched(Sketched::Duplicate) => 0,
            Link::Judged(Relation::Excerpt) | Link::Sketched(Sketched::Excerpt) => 1,
            Link::Judged(Relation::Rewrite) => 2,
            Link::Judged(Relation::SameStory | Relation::Unrelated)
            | Link::Sketched(Sketched::Similar) => 3,
        };
        counts[slot] += 1;
    }
    counts
}

/// Where the story pages link: the static report's files, or a server's routes.
#[derive(Clone, Copy, Debug)]
pub struct Links<'a> {
    /// What comes before a story's id in the address of its page.
    pub story_prefix: &'a str,
    /// What comes after it.
    pub story_suffix: &'a str,
    /// The story list, from a story page.
    pub stories: &'a str,
    /// The "check an article" page, where there is one (a server's).
    pub check: Option<&'a str>,
}

impl Links<'static> {
    /// The scan report's layout: `report.html` and `report/story-N.html`.
    pub const REPORT: Links<'static> = Links {
        story_prefix: "report/story-",
        story_suffix: ".html",
        stories: "../report.html",
        check: None,
    };
}

#[derive(Template)]
#[template(path = "stories.html")]
struct IndexPage<'a> {
    rows: Vec<IndexRow<'a>>,
    summary: &'a str,
    links: Links<'a>,
    /// Links to the previous and the next page of a long list.
    pager: (Option<&'a str>, Option<&'a str>),
    version: &'static str,
}

struct IndexRow<'a> {
    story: &'a Story,
    title: String,
    counts: [usize; 4],
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage<'a> {
    story: &'a Story,
    title: String,
    links: Links<'a>,
    version: &'static str,
}

/// The index page (`report.html`): every story, newest-first is left to the reader's sort; here
/// in input order, with its original and counts. `summary` is the scan's one-line summary.
pub fn index(stories: &[Story], summary: &str) -> String {
    index_linked(stories, summary, Links::REPORT, (None, None))
}

/// The story list with other [`Links`] (a server's), and links to the previous and the next
/// page when the list is one page of many.
pub fn index_linked(
    stories: &[Story],
    summary: &str,
    links: Links<'_>,
    pager: (Option<&str>, Option<&str>),
) -> String {
    let rows = stories
        .iter()
        .map(|story| IndexRow {
            title: story.title(),
            counts: counts(story),
            story,
        })
        .collect();
    IndexPage {
        rows,
        summary,
        links,
        pager,
        version: env!("CARGO_PKG_VERSION"),
    }
    .render()
    .expect("the index template only writes into a String")
}

/// A story's page (`report/story-N.html`): members and provenance, linking each pair's page.
pub fn story(story: &Story) -> String {
    story_linked(story, Links::REPORT)
}

/// A story's page with other [`Links`] (a server's).
pub fn story_linked(story: &Story, links: Links<'_>) -> String {
    StoryPage {
        title: story.title(),
        story,
        links,
        version: env!("CARGO_PKG_VERSION"),
    }
    .render()
    .expect("the story template only writes into a String")
}

/// A story as text for a terminal (`retrace query --story`): a line naming the story of the
/// article read from `origin`, a line per member, then a line per edge (`→` from source to
/// derivative, `—` where the direction is unknown). Control characters are left to the caller
/// to escape.
///
/// ```
/// use retrace_judge::Relation;
/// use retrace_report::stories::{Edge, Member, Story, text};
/// let member = |origin: &str| Member { origin: origin.into(), title: None, published: None };
/// let story = Story {
///     id: 1,
///     original: Some("wire.txt".into()),
///     undecided_original: Vec::new(),
///     members: vec![member("wire.txt"), member("copy.txt")],
///     provenance: vec![Edge {
///         from: "wire.txt".into(),
///         to: "copy.txt".into(),
///         relation: Relation::Duplicate.into(),
///         page: None,
///     }],
///     undirected: Vec::new(),
///     ledger: Vec::new(),
/// };
/// assert_eq!(
///     text("copy.txt", &story),
///     "copy.txt: a story of 2 documents, original wire.txt\n  wire.txt\n  copy.txt\n  \
///      wire.txt → copy.txt  duplicate\n"
/// );
/// ```
pub fn text(origin: &str, story: &Story) -> String {
    use std::fmt::Write;
    let mut out = format!("{origin}: a story of {} documents", story.members.len());
    if let Some(original) = &story.original {
        let _ = write!(out, ", original {original}");
    }
    out.push('\n');
    for member in &story.members {
        let _ = write!(out, "  {}", member.origin);
        if let Some(title) = &member.title {
            let _ = write!(out, "  \"{title}\"");
        }
        if let Some(published) = &member.published {
            let _ = write!(out, "  ({published})");
        }
        out.push('\n');
    }
    for edge in &story.provenance {
        let _ = writeln!(out, "  {} → {}  {}", edge.from, edge.to, edge.relation);
    }
    for edge in &story.undirected {
        let _ = writeln!(out, "  {} — {}  {}", edge.from, edge.to, edge.relation);
    }
    out
}

/// One related document on the "check an article" page.
#[derive(Clone, Debug)]
pub struct CheckMatch {
    /// `duplicate`, `excerpt`, `rewrite` or `same_story`.
    pub relation: &'static str,
    /// Who took from whom, in words.
    pub direction: String,
    /// The judge's confidence, formatted.
    pub confidence: String,
    /// The document's address or where it was read from.
    pub name: String,
    /// Its headline.
    pub title: Option<String>,
    /// A link to its story, when it has one.
    pub href: Option<String>,
    /// The first changes: kind and detail.
    pub changes: Vec<(&'static str, String)>,
    /// How many near-copies of it were not compared, being related as it is.
    pub copies: usize,
}

/// What the "check an article" page shows: the form (filled with what was sent), and after a
/// check the related documents or what went wrong.
#[derive(Clone, Debug, Default)]
pub struct Check<'a> {
    /// Where the form posts.
    pub action: &'a str,
    /// The story list.
    pub stories: &'a str,
    /// The article sent, to fill the form again.
    pub text: &'a str,
    /// Its address, likewise.
    pub url: &'a str,
    /// The related documents, once checked.
    pub found: Option<Vec<CheckMatch>>,
    /// Candidates compared.
    pub candidates: usize,
    /// Candidates that could not be compared, each with its reason.
    pub not_compared: Vec<String>,
    /// Why the check failed.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage<'a> {
    action: &'a str,
    stories: &'a str,
    text: &'a str,
    url: &'a str,
    found: &'a Option<Vec<CheckMatch>>,
    candidates: usize,
    not_compared: &'a [String],
    error: &'a Option<String>,
    version: &'static str,
}

/// The "check an article" page of `retrace serve`.
pub fn check(check: &Check<'_>) -> String {
    CheckPage {
        action: check.action,
        stories: check.stories,
        text: check.text,
        url: check.url,
        found: &check.found,
        candidates: check.candidates,
        not_compared: &check.not_compared,
        error: &check.error,
        version: env!("CARGO_PKG_VERSION"),
    }
    .render()
    .expect("the check template only writes into a String")
}

/// What an error page of `retrace serve` says.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    reason: &'a str,
    message: &'a str,
    links: Links<'a>,
    version: &'static str,
}

/// The page `retrace serve` answers with when a page cannot be shown: the HTTP status, its
/// reason phrase, what went wrong, and links back to the story list and the check page.
pub fn error(status: u16, reason: &str, message: &str, links: Links<'_>) -> String {
    ErrorPage {
        status,
        reason,
        message,
        links,
        version: env!("CARGO_PKG_VERSION"),
    }
    .render()
    .expect("the error template only writes into a String")
}

/// `origin` when it may be a link's target: an absolute `http:` or `https:` address with a host
/// and no white space or control character. Anything else (`javascript:`, `data:`, a file path)
/// is shown as text, never linked: origins come from whatever was indexed.
pub fn web_link(origin: &str) -> Option<&str> {
    let lower = origin.get(..8).unwrap_or(origin).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &origin[8..]
    } else if lower.starts_with("http://") {
        &origin[7..]
    } else {
        return None;
    };
    let host_ok = rest
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|host| !host.is_empty());
    let clean = !origin
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'));
    (host_ok && clean).then_some(origin)
}

/// The file name of a story's page inside the report folder.
pub fn story_page(id: usize) -> String {
    format!("story-{id}.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Story {
        let member = |origin: &str, title: &str| Member {
            origin: origin.into(),
            title: Some(title.into()),
            published: None,
        };
        Story {
            id: 3,
            original: Some("wire.txt".into()),
            undecided_original: Vec::new(),
            members: vec![
                member("copy.html", "Floods <copy>"),
                member("wire.txt", "Floods"),
            ],
            provenance: vec![Edge {
                from: "wire.txt".into(),
                to: "copy.html".into(),
                relation: Link::Judged(Relation::Duplicate),
                page: Some("pair-1-2.html".into()),
            }],
            undirected: Vec::new(),
            ledger: vec![retrace_judge::Claim {
                kind: "number",
                subject: "bodies".into(),
                versions: vec![
                    retrace_judge::Version {
                        text: "27".into(),
                        documents: vec!["wire.txt".into()],
                    },
                    retrace_judge::Version {
                        text: "30".into(),
                        documents: vec!["copy.html".into()],
                    },
                ],
                disagree: true,
            }],
        }
    }

    #[test]
    fn index_and_story_pages_link_and_escape() {
        let story = sample();
        let index = index(std::slice::from_ref(&story), "2 documents");
        assert!(index.starts_with("<!DOCTYPE html>"));
        assert!(index.contains(r#"href="report/story-3.html""#), "{index}");
        assert!(index.contains(">Floods</a>"));
        let page = super::story(&story);
        assert!(page.contains(r#"href="pair-1-2.html""#));
        assert!(
            page.contains("Floods &#60;copy&#62;") || page.contains("Floods &lt;copy&gt;"),
            "{page}"
        );
        assert!(page.contains(r#"href="../report.html""#));
        assert!(page.contains("disagree"), "{page}");
        assert!(
            !index.contains(r#"class="pager""#),
            "one page needs no pager"
        );
    }

    #[test]
    fn a_server_links_its_routes_and_pages() {
        let mut story = sample();
        story.members[1].published = Some("2031-04-14".into());
        let links = Links {
            story_prefix: "/stories/",
            story_suffix: "",
            stories: "/",
            check: Some("/check"),
        };
        let list = index_linked(
            std::slice::from_ref(&story),
            "page 2 of 3",
            links,
            (Some("/?page=1"), Some("/?page=3")),
        );
        assert!(list.contains(r#"href="/stories/3""#), "{list}");
        assert!(list.contains(r#"<a href="/?page=1" rel="prev">"#), "{list}");
        assert!(list.contains(r#"<a href="/?page=3" rel="next">"#), "{list}");
        let page = story_linked(&story, links);
        assert!(page.contains(r#"<a href="/">all stories</a>"#), "{page}");
        // Who took from whom, with the dates known.
        assert!(
            page.contains(r#"<code>wire.txt</code> <span class="muted">(2031-04-14)</span>"#),
            "{page}"
        );
    }

    /// Issue 13, item 19: a story whose copies have no known direction says the original is
    /// undecided and names each candidate, on the list and on its page.
    #[test]
    fn issue_13_an_undecided_original_names_its_candidates() {
        let mut story = sample();
        story.original = None;
        story.undecided_original = vec!["https://wire.example/a".into(), "copy.html".into()];
        let list = index(std::slice::from_ref(&story), "");
        assert!(
            list.contains(r#"original undecided: <a href="https://wire.example/a" rel="noopener noreferrer">https://wire.example/a</a> or <code>copy.html</code>"#),
            "{list}"
        );
        let page = super::story(&story);
        assert!(page.contains("Original undecided: "), "{page}");
        assert!(!page.contains("No original could be told"), "{page}");
        let json = serde_json::to_value(&story).unwrap();
        assert_eq!(json["original"], serde_json::Value::Null);
        assert_eq!(json["undecided_original"][1], "copy.html");
        story.undecided_original.clear();
        let json = serde_json::to_value(&story).unwrap();
        assert!(json.get("undecided_original").is_none(), "{json}");
    }

    /// Issue 13, item 20: a server's story list links the check page and the originals' web
    /// addresses (escaped), and never links anything but http(s).
    #[test]
    fn issue_13_origins_link_only_web_addresses() {
        let mut story = sample();
        story.original = Some("https://wire.example/floods?id=1&lang=en".into());
        story.members[1].origin = "https://wire.example/floods?id=1&lang=en".into();
        story.members[0].origin = "javascript:alert(1)".into();
        let links = Links {
            story_prefix: "/stories/",
            story_suffix: "",
            stories: "/",
            check: Some("/check"),
        };
        let list = index_linked(std::slice::from_ref(&story), "", links, (None, None));
        assert!(
            list.contains(r#"<a href="/check">Check an article</a>"#),
            "{list}"
        );
        assert!(
            list.contains(r#"<a href="https://wire.example/floods?id=1&#38;lang=en" rel="noopener noreferrer">"#)
                || list.contains(r#"<a href="https://wire.example/floods?id=1&amp;lang=en" rel="noopener noreferrer">"#),
            "{list}"
        );
        let page = story_linked(&story, links);
        assert!(!page.contains(r#"href="javascript"#), "{page}");
        assert!(page.contains("<code>javascript:alert(1)</code>"), "{page}");
        assert!(
            page.contains(r#"href="https://wire.example/floods"#),
            "{page}"
        );
        // The static report has no check page to link.
        let report = index(std::slice::from_ref(&story), "");
        assert!(!report.contains("Check an article"), "{report}");

        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<b>",
            "crawl/original.txt",
            "https://",
            "http:///path",
            "https://a.example/\"x onmouseover=1",
            "https://a.example/ x",
            "//evil.example/",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
        for good in [
            "https://a.example/x?y=1&z=2",
            "HTTP://A.EXAMPLE",
            "http://127.0.0.1:8080/",
        ] {
            assert_eq!(web_link(good), Some(good));
        }
    }

    #[test]
    fn error_pages_escape_and_link_home() {
        let links = Links {
            story_prefix: "/stories/",
            story_suffix: "",
            stories: "/",
            check: Some("/check"),
        };
        let page = error(404, "Not Found", "no story <9>", links);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("404"), "{page}");
        assert!(page.contains("no story &#60;9&#62;") || page.contains("no story &lt;9&gt;"));
        assert!(page.contains(r#"<a href="/">"#), "{page}");
        assert!(page.contains(r#"<a href="/check">"#), "{page}");
    }

    #[test]
    fn the_check_page_shows_the_form_and_what_was_found() {
        let empty = check(&Check {
            action: "/check",
            stories: "/",
            ..Check::default()
        });
        assert!(empty.contains(r#"<form class="card" method="post" action="/check">"#));
        assert!(!empty.contains("In the index"));
        let found = check(&Check {
            action: "/check",
            stories: "/",
            text: "Pasted <b>text</b>",
            found: Some(vec![CheckMatch {
                relation: "rewrite",
                direction: "the pasted article was taken from it".into(),
                confidence: "0.90".into(),
                name: "https://wire.example/1".into(),
                title: None,
                href: Some("/stories/1".into()),
                changes: vec![("quote_altered", "a quotation changed".into())],
                copies: 3,
            }]),
            candidates: 2,
            ..Check::default()
        });
        assert!(
            found.contains("and 3 near-copies of it, related as it is"),
            "{found}"
        );
        assert!(found.contains("Pasted &#60;b&#62;text") || found.contains("Pasted &lt;b&gt;text"));
        assert!(found.contains("(1 related of 2 compared)"), "{found}");
        assert!(found.contains(r#"<span class="badge k-quote_altered">quote_altered</span>"#));
    }
}
