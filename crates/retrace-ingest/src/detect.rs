//! Sniffing: is an input binary, and is its text HTML?

use std::path::Path;

use crate::{ErrorKind, Format};

/// How much of the start of an input is examined for binary content.
const BINARY_WINDOW: usize = 8 * 1024;

/// How much of the start of a text is examined for tags.
const HTML_WINDOW: usize = 1024;

/// Returns why `bytes` look binary, or `None` for text.
///
/// Binary means a NUL byte in the first 8 KiB (no text format uses NUL; UTF-16 text with a
/// byte-order mark is let through to be decoded), or more than one control byte in ten there (tabs, newlines, carriage returns and
/// form feeds are text).
pub(crate) fn binary(bytes: &[u8]) -> Option<ErrorKind> {
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        // UTF-16 with a byte-order mark: text, decoded by its mark.
        return None;
    }
    let window = &bytes[..bytes.len().min(BINARY_WINDOW)];
    let is_control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) || b == 0x7f;
    if let Some(offset) = window.iter().position(|&b| b == 0) {
        return Some(ErrorKind::Binary {
            offset: offset as u64,
            byte: 0,
        });
    }
    let controls = window.iter().filter(|&&b| is_control(b)).count();
    if controls * 10 > window.len() {
        let offset = window.iter().position(|&b| is_control(b)).unwrap_or(0);
        return Some(ErrorKind::Binary {
            offset: offset as u64,
            byte: window[offset],
        });
    }
    None
}

/// Detects the format of a text by its file name and by its first kilobyte.
pub(crate) fn format(text: &str, name: Option<&Path>) -> Format {
    let by_name = name
        .and_then(|name| name.extension())
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            ["html", "htm", "xhtml", "shtml"]
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        });
    if by_name || looks_like_html(text) {
        Format::Html
    } else {
        Format::Text
    }
}

fn looks_like_html(text: &str) -> bool {
    let mut end = text.len().min(HTML_WINDOW);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text[..end]
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    let head = head.strip_prefix("<?xml").map_or(head.as_str(), |rest| {
        rest.find("?>")
            .map_or(rest, |at| rest[at + 2..].trim_start())
    });
    if ["<!doctype html", "<html", "<head", "<body", "<meta", "<!--"]
        .iter()
        .any(|opening| head.starts_with(opening))
    {
        return true;
    }
    // A fragment without a document shell: count things that can only be tags.
    let tags = head
        .as_bytes()
        .windows(2)
        .filter(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'/'))
        .count();
    tags >= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_openings() {
        for text in [
            "<!DOCTYPE html>\n<title>x</title>",
            "\u{feff}<html lang=en>",
            "  <HEAD><meta charset=utf-8>",
            "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
        ] {
            assert_eq!(format(text, None), Format::Html, "{text}");
        }
    }

    #[test]
    fn fragments_with_many_tags() {
        let fragment = "<div><p>One</p><p>Two</p><p>Three</p><p>Four</p></div>";
        assert_eq!(format(fragment, None), Format::Html);
        assert_eq!(
            format("Prices rose 3% in <b>May</b>, a < b.", None),
            Format::Text
        );
    }

    #[test]
    fn extension_wins_for_text_like_html() {
        assert_eq!(format("plain", Some(Path::new("a/B.HTML"))), Format::Html);
        assert_eq!(format("plain", Some(Path::new("a/b.txt"))), Format::Text);
    }

    #[test]
    fn text_is_not_binary() {
        assert!(binary("Tabs\tand\r\nnewlines\x0c are text".as_bytes()).is_none());
        assert!(binary(b"one stray \x07 bell in a long line of ordinary text").is_none());
    }
}
