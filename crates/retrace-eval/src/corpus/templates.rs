//! Invented news sites: the page furniture a document is published under.
//!
//! Input: a [`Page`] (id, URL, title, date, body paragraphs) and a site. Output: the page as
//! HTML (header with navigation, share bar, byline, body, related-article teasers, footer,
//! with the date in JSON-LD and meta tags), or as text with furniture lines before and after
//! the body, for JSON Lines. Every site writes the same parts with its own words and class
//! names, so that a copy on another site differs in everything but the article. Teaser
//! headlines are invented from word lists, never taken from another document, so furniture
//! links no two articles. All names here are invented.

use std::fmt::Write as _;

use super::rng::Rng;

/// One invented site.
#[derive(Debug)]
pub(crate) struct Site {
    /// Display name.
    pub(crate) name: &'static str,
    /// Host name, without `www.`.
    pub(crate) domain: &'static str,
    /// Navigation sections; the first is where articles are filed when the plan says nothing.
    sections: [&'static str; 5],
    /// The share bar's text.
    share: &'static str,
    /// The heading above related-article teasers.
    related: &'static str,
    /// The footer line.
    footer: &'static str,
    /// Prefix of the site's CSS class names.
    class: &'static str,
}

/// The invented sites.
pub(crate) const SITES: [Site; 12] = [
    site(
        "The Harbour Ledger",
        "harbourledger.example",
        ["News", "Region", "Business", "Sport", "Opinion"],
        "Share this story: Facebook · X · WhatsApp · Email",
        "Related stories",
        "© 2024 The Harbour Ledger. All rights reserved.",
        "hl",
    ),
    site(
        "Daily Meridian",
        "dailymeridian.example",
        ["World", "Politics", "Economy", "Culture", "Science"],
        "Share | Tweet | Mail | Print",
        "More from Daily Meridian",
        "Daily Meridian is published by Meridian Media Group. Terms · Privacy · Cookies",
        "dm",
    ),
    site(
        "Northgate Times",
        "northgatetimes.example",
        ["Home", "Local", "National", "Health", "Tech"],
        "Share on social media",
        "You may also like",
        "Northgate Times · Contact us · Advertise · Subscribe",
        "ngt",
    ),
    site(
        "Coastline Courier",
        "coastlinecourier.example",
        ["Latest", "Coast", "Environment", "Travel", "Letters"],
        "Send this article to a friend",
        "Read next",
        "Copyright Coastline Courier 2024. Reproduction prohibited.",
        "cc",
    ),
    site(
        "The Civic Observer",
        "civicobserver.example",
        ["Front page", "City hall", "Courts", "Schools", "Columns"],
        "Share · Save · Comment",
        "Also in The Civic Observer",
        "The Civic Observer — independent local journalism since 1921.",
        "co",
    ),
    site(
        "Pinewood Post",
        "pinewoodpost.example",
        ["News", "Weather", "Business", "Arts", "Obituaries"],
        "Like · Share · Follow us",
        "Trending now",
        "Pinewood Post · Privacy policy · Accessibility",
        "pp",
    ),
    site(
        "Global Wire Review",
        "globalwirereview.example",
        ["Top stories", "Markets", "Energy", "Asia", "Europe"],
        "Share: LinkedIn | X | Copy link",
        "Further reading",
        "Global Wire Review Ltd. Registered in an invented country.",
        "gwr",
    ),
    site(
        "Riverbend Gazette",
        "riverbendgazette.example",
        ["Local", "Farming", "Community", "Sport", "Events"],
        "Email · Print · Share",
        "Most read",
        "Riverbend Gazette, 14 Mill Lane. Newsroom open weekdays.",
        "rbg",
    ),
    site(
        "Summit Dispatch",
        "summitdispatch.example",
        ["Politics", "Security", "Diplomacy", "Analysis", "Video"],
        "Share this dispatch",
        "Related coverage",
        "Summit Dispatch © 2024 · Editorial standards · Corrections",
        "sd",
    ),
    site(
        "The Lantern Weekly",
        "lanternweekly.example",
        ["This week", "Features", "Interviews", "Reviews", "Puzzles"],
        "Share the Lantern",
        "From the archive",
        "The Lantern Weekly. Printed on recycled paper.",
        "lw",
    ),
    site(
        "Metro Signal",
        "metrosignal.example",
        ["Metro", "Transit", "Housing", "Food", "Nightlife"],
        "Post · Share · Send",
        "More Metro Signal stories",
        "Metro Signal is a member of the Invented Press Council.",
        "ms",
    ),
    site(
        "Valley Chronicle",
        "valleychronicle.example",
        ["News", "Valley", "Schools", "Business", "Faith"],
        "Share on Facebook | Share on X",
        "Recommended for you",
        "Valley Chronicle · Subscribe to our newsletter · Contact",
        "vc",
    ),
];

const fn site(
    name: &'static str,
    domain: &'static str,
    sections: [&'static str; 5],
    share: &'static str,
    related: &'static str,
    footer: &'static str,
    class: &'static str,
) -> Site {
    Site {
        name,
        domain,
        sections,
        share,
        related,
        footer,
        class,
    }
}

/// A document to publish.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    /// The document id.
    pub(crate) id: &'a str,
    /// Its URL on its site.
    pub(crate) url: &'a str,
    /// The headline.
    pub(crate) title: &'a str,
    /// Publication time, ISO 8601 (`2024-03-05T14:20:00Z`).
    pub(crate) date: &'a str,
    /// The author's name.
    pub(crate) author: &'a str,
    /// The body's paragraphs.
    pub(crate) paragraphs: &'a [String],
    /// ISO 639-3 code of the body's language, when known.
    pub(crate) language: Option<&'a str>,
}

const TEASER_SUBJECTS: [&str; 10] = [
    "Storm warning",
    "Council vote",
    "Rail strike",
    "Hospital expansion",
    "Fishing quota",
    "School meals plan",
    "Bridge repairs",
    "Startup funding",
    "Heatwave alert",
    "Museum reopening",
];
const TEASER_PREDICATES: [&str; 8] = [
    "delayed again",
    "draws record crowd",
    "sparks debate",
    "faces new questions",
    "wins backing",
    "put on hold",
    "set for approval",
    "divides residents",
];
const TEASER_PLACES: [&str; 8] = [
    "in the north",
    "on the coast",
    "downtown",
    "across the region",
    "in the valley",
    "at city hall",
    "near the harbour",
    "this weekend",
];
const FIRST_NAMES: [&str; 10] = [
    "Alex", "Maria", "Sam", "Priya", "Jonas", "Leila", "Tomás", "Hana", "Owen", "Zofia",
];
const LAST_NAMES: [&str; 10] = [
    "Brennan",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Castillo",
    "Tanaka",
    "Novak",
    "Haddad",
    "Whitfield",
    "Rossi",
];

/// An invented author name.
pub(crate) fn author(rng: &mut Rng) -> String {
    let first = rng.pick(&FIRST_NAMES).copied().unwrap_or("Alex");
    let last = rng.pick(&LAST_NAMES).copied().unwrap_or("Brennan");
    format!("{first} {last}")
}

/// Three or four invented teaser headlines.
pub(crate) fn teasers(rng: &mut Rng) -> Vec<String> {
    let n = rng.range(3, 4);
    (0..n)
        .map(|_| {
            let subject = rng
                .pick(&TEASER_SUBJECTS)
                .copied()
                .unwrap_or("Storm warning");
            let predicate = rng
                .pick(&TEASER_PREDICATES)
                .copied()
                .unwrap_or("delayed again");
            let place = rng.pick(&TEASER_PLACES).copied().unwrap_or("downtown");
            format!("{subject} {predicate} {place}")
        })
        .collect()
}

/// The URL of a document on `site`: section, date and a slug of the title, with the id.
/// The page's URL on `site`, or on its namesake number `mirror` (another host, `m7-…`) when
/// not 0.
pub(crate) fn url(
    site: &Site,
    mirror: usize,
    section: usize,
    date: &str,
    title: &str,
    id: &str,
) -> String {
    let slug: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    let slug = if slug.is_empty() {
        "article".to_owned()
    } else {
        slug.join("-")
    };
    let section = site.sections[section % site.sections.len()]
        .to_ascii_lowercase()
        .replace(' ', "-");
    let day = date.get(..10).unwrap_or("2024-01-01").replace('-', "/");
    let host = if mirror == 0 {
        site.domain.to_owned()
    } else {
        format!("m{mirror}-{}", site.domain)
    };
    format!(
        "https://www.{host}/{section}/{day}/{slug}-{}",
        &id[..id.len().min(8)]
    )
}

/// The page as text: furniture lines, a blank line, the body, a blank line, furniture lines
/// (the text of a JSON Lines record, as a crawler's text dump would hold it).
pub(crate) fn text(site: &Site, page: &Page<'_>, teasers: &[String]) -> String {
    let mut out =
        String::with_capacity(page.paragraphs.iter().map(String::len).sum::<usize>() + 512);
    out.push_str(site.name);
    out.push('\n');
    out.push_str(&site.sections.join(" | "));
    out.push_str("\n\n");
    out.push_str(page.title);
    out.push('\n');
    let _ = writeln!(
        out,
        "By {} · {}",
        page.author,
        page.date.get(..10).unwrap_or(page.date)
    );
    out.push_str(site.share);
    out.push_str("\n\n");
    for (i, paragraph) in page.paragraphs.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(paragraph);
    }
    out.push_str("\n\n");
    out.push_str(site.related);
    out.push('\n');
    for teaser in teasers {
        out.push_str(teaser);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(site.footer);
    out
}

/// The page as a complete HTML document.
pub(crate) fn html(site: &Site, page: &Page<'_>, teasers: &[String]) -> String {
    let c = site.class;
    let title = escape(page.title);
    let mut out = String::with_capacity(
        page.paragraphs.iter().map(String::len).sum::<usize>() * 11 / 10 + 2048,
    );
    let lang = match page.language {
        Some("eng") | None => "en",
        Some("deu") => "de",
        Some("fra") => "fr",
        Some("spa") => "es",
        Some("ita") => "it",
        Some("por") => "pt",
        Some("rus") => "ru",
        Some("jpn") => "ja",
        Some("cmn") => "zh",
        Some(_) => "und",
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.date,
        "author": {"@type": "Person", "name": page.author},
        "publisher": {"@type": "Organization", "name": site.name},
        "mainEntityOfPage": page.url,
    })
    .to_string()
    .replace("</", "<\\/");
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} | {name}</title>\n\
         <meta property=\"og:title\" content=\"{title}\">\n\
         <meta property=\"og:site_name\" content=\"{name}\">\n\
         <meta property=\"article:published_time\" content=\"{date}\">\n\
         <meta name=\"author\" content=\"{author}\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n\
         <script type=\"application/ld+json\">{ld}</script>\n</head>\n<body class=\"{c}-page\">\n\
         <header class=\"{c}-masthead\"><a class=\"{c}-logo\" href=\"/\">{name}</a>\n<nav class=\"{c}-nav\"><ul>",
        name = escape(site.name),
        date = page.date,
        author = escape(page.author),
        url = escape(page.url),
    );
    for section in site.sections {
        let _ = write!(
            out,
            "<li><a href=\"/{}/\">{}</a></li>",
            section.to_ascii_lowercase().replace(' ', "-"),
            escape(section)
        );
    }
    let _ = write!(
        out,
        "</ul></nav></header>\n<main class=\"{c}-main\">\n<article class=\"{c}-article\">\n<h1 class=\"{c}-headline\">{title}</h1>\n\
         <p class=\"{c}-byline\">By <span class=\"author\">{author}</span> · <time datetime=\"{date}\">{day}</time></p>\n\
         <div class=\"{c}-share\">{share}</div>\n<div class=\"{c}-body\">\n",
        author = escape(page.author),
        date = page.date,
        day = page.date.get(..10).unwrap_or(page.date),
        share = escape(site.share),
    );
    for paragraph in page.paragraphs {
        out.push_str("<p>");
        out.push_str(&escape(paragraph));
        out.push_str("</p>\n");
    }
    let _ = write!(
        out,
        "</div>\n</article>\n<aside class=\"{c}-related\"><h2>{}</h2><ul>\n",
        escape(site.related)
    );
    for (i, teaser) in teasers.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"/teaser/{}-{i}\">{}</a></li>",
            &page.id[..page.id.len().min(8)],
            escape(teaser)
        );
    }
    let _ = write!(
        out,
        "</ul></aside>\n</main>\n<footer class=\"{c}-footer\"><p>{}</p></footer>\n</body>\n</html>\n",
        escape(site.footer)
    );
    out
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_holds_the_escaped_body_and_the_date() {
        let paragraphs = vec!["Prices rose by 3% & rents <fell>.".to_owned()];
        let page = Page {
            id: "00112233aabbccdd",
            url: "https://www.example.test/a",
            title: "Rents \"fall\"",
            date: "2024-02-03T04:05:06Z",
            author: "Sam Novak",
            paragraphs: &paragraphs,
            language: Some("eng"),
        };
        let html = html(
            &SITES[0],
            &page,
            &["Council vote delayed again downtown".to_owned()],
        );
        assert!(html.contains("<p>Prices rose by 3% &amp; rents &lt;fell&gt;.</p>"));
        assert!(html.contains("\"datePublished\":\"2024-02-03T04:05:06Z\""));
        let text = text(&SITES[1], &page, &[]);
        assert!(text.contains("\n\nPrices rose by 3% & rents <fell>.\n\n"));
        assert_eq!(
            url(&SITES[0], 0, 2, page.date, "Rents fall, again!", page.id),
            "https://www.harbourledger.example/business/2024/02/03/rents-fall-again-00112233"
        );
    }
}
