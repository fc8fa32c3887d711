//! The element that holds a page's article, found by its markup: a second opinion next to
//! readability's.
//!
//! Content management systems mark the article's element: `itemprop="articleBody"`,
//! `class="entry-content"`, `<article>`, `id="content"` … The markers come in tiers, most
//! specific first (after trafilatura's body expressions); the first element of the first tier that
//! holds enough text is the article. A page without such markers gets the element that holds
//! most of its prose.

use dom_query::{Document, NodeRef};

use crate::furniture;
use crate::tables::Tallies;

/// Fewest characters (whitespace not counted) of text in a marked element.
const MIN_CHARS: usize = 200;

/// The article's element in `doc` (already pruned of furniture), as HTML.
pub(crate) fn find(doc: &Document) -> Option<String> {
    let body = doc.body()?;
    let tallies = Tallies::of(&body);
    let elements: Vec<(NodeRef, Marks)> = body
        .descendants_it()
        .filter(|n| n.is_element())
        .map(|n| (n, Marks::of(&n)))
        .collect();
    for tier in TIERS {
        if let Some((node, _)) = elements
            .iter()
            .find(|(n, marks)| tier(marks) && tallies.get(n).text >= MIN_CHARS)
        {
            return Some(node.html().to_string());
        }
    }
    furniture::main_container(&body, &tallies).map(|n| n.html().to_string())
}

/// What a tier reads of an element: its name and its lower-case `class`, `id`, `role` and
/// `itemprop`.
struct Marks {
    name: String,
    class: String,
    id: String,
    role: String,
    itemprop: String,
}

impl Marks {
    fn of(node: &NodeRef) -> Marks {
        let attr = |name: &str| {
            node.attr(name)
                .map(|v| v.trim().to_ascii_lowercase())
                .unwrap_or_default()
        };
        Marks {
            name: node
                .node_name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default(),
            class: attr("class"),
            id: attr("id"),
            role: attr("role"),
            itemprop: attr("itemprop"),
        }
    }

    fn block(&self) -> bool {
        matches!(self.name.as_str(), "article" | "div" | "main" | "section")
    }

    fn class_has(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.class.contains(w))
    }

    fn id_has(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.id.contains(w))
    }
}

type Tier = fn(&Marks) -> bool;

const TIERS: [Tier; 5] = [article_body, first_article, story, content, main];

/// The article body by its usual names.
fn article_body(m: &Marks) -> bool {
    m.block()
        && (matches!(m.class.as_str(), "post" | "entry")
            || m.itemprop == "articlebody"
            || m.class_has(&[
                "post-text",
                "post_text",
                "post-body",
                "post-entry",
                "postentry",
                "post-content",
                "post_content",
                "postcontent",
                "post_inner_wrapper",
                "article-text",
                "articletext",
                "entry-content",
                "article-content",
                "article__content",
                "article-body",
                "article__body",
                "articlebody",
                "articlecontent",
                "page-content",
                "text-content",
                "body-text",
                "article__container",
                "art-content",
            ])
            || m.id_has(&[
                "entry-content",
                "article-content",
                "article__content",
                "article-body",
                "article__body",
                "articlebody",
                "articlecontent",
                "body-text",
                "art-content",
            ]))
}

fn first_article(m: &Marks) -> bool {
    m.name == "article"
}

/// Story and post containers.
fn story(m: &Marks) -> bool {
    m.block()
        && (m.class_has(&[
            "post-bodycopy",
            "storycontent",
            "story-content",
            "theme-content",
            "blog-content",
            "section-content",
            "single-content",
            "single-post",
            "main-column",
            "wpb_text_column",
            "story-body",
            "field-body",
            "fulltext",
        ]) || matches!(
            m.class.as_str(),
            "postarea" | "art-postcontent" | "text" | "cell" | "story"
        ) || m.class.starts_with("article ")
            || m.id.starts_with("primary")
            || matches!(m.id.as_str(), "article" | "story")
            || m.id.contains("story-body")
            || m.role == "article")
}

/// Main-content containers.
fn content(m: &Marks) -> bool {
    m.block()
        && (m.class_has(&[
            "content-main",
            "content_main",
            "content-body",
            "contentbody",
            "content__body",
            "main-content",
            "page-content",
        ]) || m.id_has(&[
            "content-main",
            "content-body",
            "contentbody",
            "main-content",
        ]) || m.id == "content"
            || m.class == "content")
}

/// `<main>` or an element named "main…".
fn main(m: &Marks) -> bool {
    m.name == "main"
        || (matches!(m.name.as_str(), "article" | "div" | "section")
            && (m.class.starts_with("main") || m.id.starts_with("main") || m.role == "main"))
}
