//! Page furniture recognised by its markup, removed from the parsed page before readability runs.
//!
//! Navigation, footers, sidebars, share and follow bars, related-story lists, newsletter and
//! cookie prompts, comment sections and author boxes are marked by their element (`nav`,
//! `footer`, `aside` …), by a `role`, or by words in their `class` and `id` (`share-buttons`,
//! `related-posts`, `author-bio` …); the rules follow the discard lists of trafilatura. Hidden
//! elements (`hidden`, `aria-hidden="true"`, `display: none`) go too.
//!
//! A page's own wrapper can carry such a word (`<div class="page has-sidebar">`), so an element
//! is kept whatever its markup says when it holds the page's headline (`<h1>`) or most of the
//! page's text.

use std::collections::{HashMap, HashSet};

use dom_query::{Document, NodeId, NodeRef};

use crate::tables::{Tallies, Tally};

/// Elements that are furniture wherever they are.
const FURNITURE_TAGS: &[&str] = &[
    "nav",
    "aside",
    "footer",
    "dialog",
    "button",
    "select",
    "input",
    "textarea",
    "label",
    "menu",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "legend",
    "option",
    "iframe",
    "ins",
];

/// Elements whose `class` and `id` are read.
const MARKED_TAGS: &[&str] = &[
    "div", "section", "span", "p", "ul", "ol", "li", "dl", "aside", "nav", "footer", "header",
    "form", "article", "figure", "table", "center",
];

/// Words that mark furniture anywhere in a `class` or `id` (lower-cased).
const MARKS: &[&str] = &[
    "footer",
    "related",
    "viral",
    "share-",
    "shariff",
    "social",
    "sociable",
    "syndication",
    "newsletter",
    "subnav",
    "cookie",
    "consent",
    "gdpr",
    "sidebar",
    "banner",
    "breadcrumb",
    "bread-crumb",
    "author",
    "byline",
    "rating",
    "timestamp",
    "user-info",
    "user-profile",
    "-ad-",
    "outbrain",
    "taboola",
    "criteo",
    "modal",
    "obfuscated",
    "blurred",
    "most-popular",
    "mostpopular",
    "most-read",
    "side-stories",
    "navigation",
    "navbar",
    "navbox",
    "tag-list",
    "taglist",
    "tagcloud",
    "tag-cloud",
    "disqus",
    "dsq-comments",
    "akismet",
    "nocomments",
    "comments-title",
    "comment-form",
    "commentlist",
    "comment-list",
    "comments-list",
    "post-comments",
    "article-comments",
    "reply-",
    "pager",
    "skip-link",
    "skiplink",
    "noprint",
    "subscribe",
    "signup",
    "sign-up",
    "follow-us",
    "more-articles",
    "more-stories",
    "post-nav",
    "postnav",
    "prev-next",
    "nextprev",
    "infoline",
    "article-infos",
    "meta",
    "menu",
    "tags",
    "button",
    "toolbar",
    "popup",
    "teasers",
    "linklist",
    "link-list",
    "relatedpost",
    "inline-teaser",
    "appstores",
    "ez-toc",
    "twitter-tweet",
    "instagram-media",
    "fb-post",
    "embed",
    "yarpp",
    "lnkrel",
    "widget_rss",
    "disclaimer",
    "caption",
    "credit",
    "copyright",
];

/// Words that mark furniture at the start of a `class` or `id` word.
const LEADING_MARKS: &[&str] = &[
    "shar",
    "comment",
    "nav",
    "ad",
    "ads",
    "jp-",
    "respond",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "widget-area",
];

/// Class words that name a taxonomy term of the page (WordPress puts `tag-sharing` or
/// `category-comments` on the article itself): not read.
const TAXONOMY_PREFIXES: &[&str] = &["tag-", "category-", "format-", "type-", "status-"];

/// Whether a class word names a taxonomy term or a post number (`post-1234`).
fn is_taxonomy(word: &str) -> bool {
    TAXONOMY_PREFIXES.iter().any(|p| word.starts_with(p))
        || word
            .strip_prefix("post-")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// `role` values of furniture.
const ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
    "alert",
    "alertdialog",
    "button",
    "tablist",
];

/// Removes the furniture from the body of `doc`; returns how many elements went.
pub(crate) fn prune(doc: &Document) -> usize {
    let doomed = find(doc);
    for node in &doomed {
        node.remove_from_parent();
    }
    doomed.len()
}

/// The outermost furniture elements of the body of `doc`, in document order.
pub(crate) fn find(doc: &Document) -> Vec<NodeRef<'_>> {
    let Some(body) = doc.body() else {
        return Vec::new();
    };
    let tallies = Tallies::of(&body);
    let total = tallies.get(&body).text;
    let main: HashSet<NodeId> = main_container(&body, &tallies)
        .map(|node| {
            std::iter::once(node.id)
                .chain(node.ancestors_it(None).map(|a| a.id))
                .collect()
        })
        .unwrap_or_default();
    let mut doomed = Vec::new();
    let mut stack: Vec<NodeRef> = body.element_children();
    stack.reverse();
    while let Some(node) = stack.pop() {
        if !main.contains(&node.id) && is_furniture(&node) && !is_guarded(tallies.get(&node), total)
        {
            doomed.push(node);
            continue;
        }
        let mut children = node.element_children();
        children.reverse();
        stack.extend(children);
    }
    doomed
}

/// The element that holds most of the page's prose, scored the way readability scores its
/// candidates: each paragraph of prose counts for its parent, half for its grandparent.
/// `tallies` are those of `body` as it stands.
pub(crate) fn main_container<'a>(body: &NodeRef<'a>, tallies: &Tallies) -> Option<NodeRef<'a>> {
    let mut scores: HashMap<NodeId, (NodeRef<'a>, usize)> = HashMap::new();
    for node in body.descendants_it() {
        if !["p", "pre", "td", "blockquote"]
            .iter()
            .any(|name| node.has_name(name))
        {
            continue;
        }
        let Tally {
            text: chars,
            linked,
            ..
        } = tallies.get(&node);
        if chars < 40 {
            continue;
        }
        if linked * 2 > chars {
            continue;
        }
        let score = chars - linked;
        for (depth, ancestor) in node.ancestors_it(Some(2)).enumerate() {
            let entry = scores.entry(ancestor.id).or_insert((ancestor, 0));
            entry.1 += score >> depth;
        }
    }
    scores
        .into_values()
        .max_by_key(|(node, score)| (*score, std::cmp::Reverse(node.id)))
        .map(|(node, _)| node)
}

/// An element kept whatever its markup: it holds the headline or most of the page's text.
fn is_guarded(tally: Tally, total: usize) -> bool {
    tally.h1 || (tally.text * 2 > total && tally.text > 500)
}

/// Whether an element's tag, role or class/id words mark it as furniture.
fn is_furniture(node: &NodeRef) -> bool {
    let Some(name) = node.node_name() else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    if FURNITURE_TAGS.contains(&name.as_str()) || is_hidden(node) {
        return true;
    }
    if let Some(role) = node.attr("role") {
        let role = role.to_ascii_lowercase();
        if role.split_whitespace().any(|r| ROLES.contains(&r)) {
            return true;
        }
    }
    if !MARKED_TAGS.contains(&name.as_str()) {
        return false;
    }
    let mut words = String::new();
    for attr in ["class", "id"] {
        if let Some(value) = node.attr(attr) {
            words.push(' ');
            words.push_str(&value.to_ascii_lowercase());
        }
    }
    if words.is_empty() {
        return false;
    }
    marked(&words)
}

/// Whether lower-case `class` and `id` words mark furniture.
fn marked(words: &str) -> bool {
    let words: Vec<&str> = words
        .split_whitespace()
        .filter(|w| !is_taxonomy(w))
        .collect();
    if words.iter().any(|w| MARKS.iter().any(|m| w.contains(m))) {
        return true;
    }
    words.iter().any(|word| {
        LEADING_MARKS.iter().any(|m| {
            word.strip_prefix(m).is_some_and(|rest| {
                // "ad" and "tag" only as whole words or before a separator: not "address",
                // "adventure", "tagesschau".
                rest.is_empty()
                    || rest.starts_with(['-', '_'])
                    || !matches!(*m, "ad" | "ads" | "nav")
            })
        })
    })
}

/// Hidden from readers: the `hidden` attribute, `aria-hidden="true"`, `display: none` or
/// `visibility: hidden`.
fn is_hidden(node: &NodeRef) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    node.attr("style").is_some_and(|style| {
        let style: String = style
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Openings of the lines a page puts inside or after its article to point elsewhere ("Read
/// also: …", "Lesen Sie auch", "Lea también"), in the languages of the pages retrace meets most.
const POINTER_OPENINGS: &[&str] = &[
    // English
    "read also",
    "also read",
    "see also",
    "read more",
    "more on this",
    "related:",
    "recommended:",
    // German
    "lesen sie auch",
    "lesen sie hier",
    "lesen sie mehr",
    "auch lesen",
    "auch interessant",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das könnte dich",
    "das könnte sie",
    "schon gelesen",
    "zum weiterlesen",
    "weiterlesen",
    "mehr zum thema",
    "mehr lesen",
    "siehe auch",
    "mehr zu ",
    "mehr themen",
    "weitere informationen",
    "weiterführende links",
    "weiterführender link",
    "weitere beiträge",
    "weitere artikel",
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte artikel",
    "teilen sie dies mit",
    "diesen artikel teilen",
    "artikel teilen",
    "jetzt teilen",
    "kommentar verfassen",
    "kommentar schreiben",
    "kommentare sind geschlossen",
    "keine kommentare",
    "meistgelesen",
    "meistdiskutiert",
    "meist-diskutiert",
    "lade weitere",
    "zurück zur",
    // Spanish
    "lea también",
    "lea más",
    "lee también",
    "lee más",
    "vea también",
    "ver también",
    "le puede interesar",
    "te puede interesar",
    "puede interesarte",
    "puedes ver",
    "noticias relacionadas",
    "sigue leyendo",
    "mire:",
    "mira:",
    "lea:",
    // Portuguese
    "veja também",
    "leia também",
    "leia mais",
    "saiba mais",
    // French
    "à lire aussi",
    "lire aussi",
    "voir aussi",
    "sur le même sujet",
    "pour lire la suite",
    // Italian
    "leggi anche",
    "potrebbe interessarti",
    // Polish
    "czytaj też",
    "czytaj także",
    "czytaj więcej",
    "zobacz też",
    "zobacz także",
    "zobacz również",
    "czytaj również",
    "dowiedz się więcej",
];

/// Longest line (in words) that a pointer opening marks as furniture.
const POINTER_MAX_WORDS: usize = 25;

/// A line that points elsewhere: "Lesen Sie auch: …", "VEA TAMBIÉN: …", "Schon gelesen?".
pub(crate) fn is_pointer(line: &str) -> bool {
    if line.split_whitespace().count() > POINTER_MAX_WORDS {
        return false;
    }
    // A teaser marked as a link by arrows on both sides: ">> Ferry strike ends <<".
    let trimmed = line.trim();
    if trimmed.starts_with(">>") && trimmed.ends_with("<<") {
        return true;
    }
    let lower = line
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    POINTER_OPENINGS.iter().any(|opening| {
        lower.strip_prefix(opening).is_some_and(|rest| {
            opening.ends_with([':', ' '])
                || rest.is_empty()
                || rest.starts_with(|c: char| !c.is_alphanumeric())
        })
    })
}

/// Longest paragraph (in words) that [`is_pitch`] may mark.
const PITCH_MAX_WORDS: usize = 40;

/// Beginnings of the words that ask the reader to do something for the site: subscribe, sign in,
/// download the app, follow, comment, share, donate (lower case; any language the set has).
const PITCH_STEMS: &[&str] = &[
    "subscri",
    "newsletter",
    "login",
    "signup",
    "download",
    "twitter",
    "facebook",
    "instagram",
    "telegram",
    "youtube",
    "whatsapp",
    "feedback",
    "comment",
    "share",
    "donat",
    "abonn",
    "einlogg",
    "anmeld",
    "registr",
    "komment",
    "eingeloggt",
    "teilen",
    "herunterlad",
    "spende",
    "unterstütz",
    "klick",
    "click",
    "button",
    "entdeck",
    "stöber",
    "suscri",
    "únete",
    "síg",
    "descarg",
    "boletín",
    "comentario",
    "compart",
    "inscri",
    "télécharg",
    "suivez",
    "commentaire",
    "partag",
    "soutien",
    "subskryp",
    "zapraszamy",
    "pobierz",
    "komentarz",
];

/// Whole words (lower case) of the same kind as [`PITCH_STEMS`], too short to be stems.
const PITCH_WORDS: &[&str] = &["app", "apps", "abo", "abos", "canal"];

/// Words that address the reader (lower case).
const READER_WORDS: &[&str] = &[
    "you", "your", "du", "dir", "dich", "dein", "deine", "euch", "tu", "tú", "usted", "vous",
    "votre", "vos",
];

/// The German formal address, which is also "she", "they" and "her" in lower case, and "her"
/// ("Ihr Buch") at the start of a sentence.
const FORMAL_WORDS: &[&str] = &["Sie", "Ihnen", "Ihr", "Ihre", "Ihren"];

/// First words of a request to the reader: "Follow us …", "Únete …", "Einfach hier klicken".
const REQUEST_OPENINGS: &[&str] = &[
    "follow",
    "download",
    "subscribe",
    "sign",
    "give",
    "join",
    "get",
    "click",
    "share",
    "mira",
    "únete",
    "síguenos",
    "suscríbete",
    "descarga",
    "folgen",
    "abonnieren",
    "entdecke",
    "jetzt",
    "einfach",
    "zapraszamy",
    "suivez",
    "abonnez",
    "téléchargez",
    "rejoignez",
    "inscrivez",
];

/// Whether a paragraph (its words in lower case) names what the site offers: a subscription, a
/// login, the app, its social accounts, comments, letters to the editor.
fn names_the_sites_services(paragraph: &str, lower: &[String]) -> bool {
    let phrase = paragraph.to_lowercase();
    lower.iter().any(|w| {
        PITCH_WORDS.contains(&w.as_str()) || PITCH_STEMS.iter().any(|stem| w.starts_with(stem))
    }) || phrase.contains("log in")
        || phrase.contains("sign up")
        || phrase.contains("to the editor")
}

/// Longest line (in words) that [`is_service_label`] may mark.
const SERVICE_LABEL_MAX_WORDS: usize = 6;

/// A short line that names the site's services without asking anything: a paywall's "Ja. Ich
/// bin Abonnent." button, "Newsletter", "Login". Furniture only next to pitches.
pub(crate) fn is_service_label(line: &str) -> bool {
    let lower: Vec<String> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    !lower.is_empty()
        && lower.len() <= SERVICE_LABEL_MAX_WORDS
        && names_the_sites_services(line, &lower)
}

/// A paragraph that asks the reader to subscribe, sign in, get the app, follow the site or
/// comment: addressed to the reader (or opening with a request) and about the site's services.
/// Meant for the last paragraphs of an article, where sites append these.
pub(crate) fn is_pitch(paragraph: &str) -> bool {
    // Each word, and whether a sentence starts with it.
    let mut words: Vec<(&str, bool)> = Vec::new();
    let mut sentence_start = true;
    for piece in paragraph
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let at = piece.as_ptr() as usize - paragraph.as_ptr() as usize;
        let before = paragraph[..at].trim_end();
        if !words.is_empty() {
            sentence_start = before.ends_with(['.', '!', '?', ':', '\u{bf}', '\u{a1}']);
        }
        words.push((piece, sentence_start));
    }
    if words.is_empty() || words.len() > PITCH_MAX_WORDS {
        return false;
    }
    let lower: Vec<String> = words.iter().map(|(w, _)| w.to_lowercase()).collect();
    let about_the_site = names_the_sites_services(paragraph, &lower);
    let to_the_reader = lower.iter().any(|w| READER_WORDS.contains(&w.as_str()))
        || words
            .iter()
            .any(|&(w, start)| FORMAL_WORDS.contains(&w) && (!start || w == "Sie"))
        || REQUEST_OPENINGS.contains(&lower[0].as_str())
        // The app's two platforms name what is offered to the reader: "… apps for iOS and Android".
        || (lower.iter().any(|w| w == "ios") && lower.iter().any(|w| w == "android"));
    about_the_site && to_the_reader
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks() {
        assert!(marked(" share-buttons"));
        assert!(marked(" post-meta"));
        assert!(marked(" ad"));
        assert!(marked(" comments-area"));
        assert!(!marked(" address"));
        assert!(!marked(" tagesschau"));
        assert!(!marked(" entry-content"));
    }

    #[test]
    fn pitches() {
        assert!(is_pitch(
            "Follow the Harbour Gazette on Mastodon and get our app for iOS and Android."
        ));
        assert!(is_pitch(
            "If you are already a subscriber, log in to read the whole story."
        ));
        assert!(is_pitch(
            "Sie müssen sich einloggen, um einen Kommentar zu schreiben."
        ));
        assert!(is_pitch(
            "¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular."
        ));
    }

    #[test]
    fn service_labels() {
        assert!(is_service_label("Ja. Ich bin Abonnent."));
        assert!(is_service_label("Newsletter"));
        assert!(!is_service_label("All the best, the harbour desk"));
        assert!(!is_service_label(
            "Subscribe to our newsletter and never miss a sailing of the ferry again"
        ));
    }

    #[test]
    fn pitches_for_the_app_on_both_platforms() {
        assert!(is_pitch(
            "For the latest stories download the Harbour Gazette apps for iOS and Android."
        ));
        assert!(!is_pitch(
            "The ferry company will release an update for iOS and Android next week."
        ));
    }

    #[test]
    fn pitches_to_comment_or_write_in() {
        assert!(is_pitch(
            "Um den Bericht kommentieren zu können, müssen Sie eingeloggt sein."
        ));
        assert!(is_pitch(
            "We want to hear what you think. Submit a letter to the editor."
        ));
        assert!(!is_pitch(
            "The editor told you nothing new about the ferry timetable."
        ));
        // About the site's services but not addressed to the reader, or the other way round.
        assert!(!is_pitch(
            "The mayor posted the timetable on Facebook on Monday evening."
        ));
        assert!(!is_pitch(
            "Ihr Instagram-Konto hat sie nach dem Streit auf privat gestellt."
        ));
        assert!(!is_pitch("You could see the ferry from the Apple store."));
    }

    #[test]
    fn pointers() {
        assert!(is_pointer("Lesen Sie auch: Die Fähre fährt wieder"));
        assert!(is_pointer("VEA TAMBIÉN: El puerto cierra"));
        assert!(is_pointer("» Schon gelesen?"));
        assert!(is_pointer("Related: Ferry strike ends"));
        assert!(is_pointer(">> Wegen Streik: Die Fähre bleibt im Hafen <<"));
        assert!(is_pointer("Dowiedz się więcej: Prom znów kursuje"));
        assert!(is_pointer("Siehe auch: Die Fähre fährt wieder"));
        assert!(!is_pointer(">> Die Fähre fährt wieder, sagte der Kapitän."));
        assert!(!is_pointer("Lesen Sie nur, was Sie wollen."));
        assert!(!is_pointer("Mehrere Fähren fielen am Montag aus."));
        assert!(!is_pointer("Readers also wrote in."));
    }
}
