//! Bytes to text: the charset an input declares or, failing that, the one its bytes look like.
//!
//! The order is a browser's: a byte-order mark, then valid UTF-8 (which no legacy charset
//! produces by accident in real text, so it wins over a wrong declaration, the most common
//! mislabelling on the web; text that is valid UTF-8 but for a few bytes, a corrupted copy,
//! counts as UTF-8 too, its bad bytes replaced), then the charset the HTTP headers declare, then a `<meta>` charset
//! in the first kilobyte of an HTML page, then `chardetng`'s guess (the detector Firefox uses,
//! helped by the top-level domain of the page's URL). Bytes that are invalid in the chosen
//! charset become U+FFFD and are counted.

use encoding_rs::{DecoderResult, Encoding, UTF_8};

/// How far into an HTML page a `<meta charset>` is looked for (the HTML standard's prescan).
const META_WINDOW: usize = 1024;

/// How an input's bytes were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decoding {
    /// The charset used, by its WHATWG name (`"UTF-8"`, `"windows-1252"`, `"Shift_JIS"` …).
    pub charset: &'static str,
    /// Why that charset.
    pub by: CharsetFrom,
    /// How many invalid byte sequences were replaced by U+FFFD. Zero for a clean input.
    pub replaced: u64,
}

impl Decoding {
    /// True when the text is not the input's bytes as given: another charset was decoded, or
    /// bytes were replaced. Spans then index the decoded text, not the bytes on disk.
    pub fn is_transcoded(&self) -> bool {
        self.charset != "UTF-8" || self.replaced > 0
    }
}

/// What decided an input's charset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CharsetFrom {
    /// A byte-order mark.
    Bom,
    /// The bytes are valid UTF-8, or valid but for a few sequences (then replaced and counted
    /// in [`Decoding::replaced`]).
    Utf8,
    /// The `charset` parameter of an HTTP `Content-Type` header (WARC response records).
    Http,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` in the page.
    Meta,
    /// Guessed from the bytes by `chardetng`.
    Detected,
}

impl CharsetFrom {
    /// A lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetFrom::Bom => "bom",
            CharsetFrom::Utf8 => "utf-8",
            CharsetFrom::Http => "http",
            CharsetFrom::Meta => "meta",
            CharsetFrom::Detected => "detected",
        }
    }
}

/// What is known about an input's charset before looking at its bytes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Hints<'a> {
    /// The charset label of an HTTP `Content-Type` header.
    pub(crate) http_charset: Option<&'a str>,
    /// The page's URL, whose top-level domain helps the detector.
    pub(crate) url: Option<&'a str>,
}

/// Decodes `bytes` into text. Never fails: what cannot be decoded is replaced and counted.
///
/// A UTF-8 byte-order mark is kept in the text (so that spans of UTF-8 inputs index the bytes on
/// disk); a UTF-16 one is decoded away.
pub(crate) fn decode(bytes: Vec<u8>, hints: Hints<'_>) -> (String, Decoding) {
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes)
        && encoding != UTF_8
    {
        return transcode(&bytes[bom..], encoding, CharsetFrom::Bom);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            let decoding = Decoding {
                charset: UTF_8.name(),
                by: if text.starts_with('\u{feff}') {
                    CharsetFrom::Bom
                } else {
                    CharsetFrom::Utf8
                },
                replaced: 0,
            };
            return (text, decoding);
        }
        Err(err) => err.into_bytes(),
    };
    if mostly_utf8(&bytes) {
        return transcode(&bytes, UTF_8, CharsetFrom::Utf8);
    }
    let declared = hints
        .http_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(|encoding| (encoding, CharsetFrom::Http))
        .or_else(|| meta_charset(&bytes).map(|encoding| (encoding, CharsetFrom::Meta)));
    let (encoding, by) =
        declared.unwrap_or_else(|| (detect(&bytes, hints.url), CharsetFrom::Detected));
    // A page that declares UTF-16 in a meta tag is ASCII-compatible bytes by then (the standard
    // reads such a declaration as UTF-8).
    let encoding = if encoding.output_encoding() == UTF_8 {
        UTF_8
    } else {
        encoding
    };
    transcode(&bytes, encoding, by)
}

/// True for bytes that are UTF-8 but for a few invalid sequences: at least two valid non-ASCII
/// characters for each invalid sequence. Text in a legacy charset has hardly any valid
/// multi-byte sequences (they need an accented capital followed by punctuation from the C1
/// range), so a corrupted byte in a UTF-8 article is not taken for a windows-1252 page, whose
/// every curly quote and dash would then read as two or three wrong characters.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    invalid > 0 && valid >= 2 * invalid
}

/// Decodes with `encoding`, replacing and counting malformed sequences.
fn transcode(bytes: &[u8], encoding: &'static Encoding, by: CharsetFrom) -> (String, Decoding) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    // Room for the replacement characters too (3 bytes each, at most one per input byte).
    let mut text = String::with_capacity(capacity.saturating_add(16));
    let mut replaced = 0;
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::Malformed(_, _) => {
                replaced += 1;
                text.push('\u{fffd}');
            }
            DecoderResult::OutputFull => text.reserve(rest.len() * 3 + 16),
        }
    }
    let decoding = Decoding {
        charset: encoding.name(),
        by,
        replaced,
    };
    (text, decoding)
}

/// chardetng's guess, told the top-level domain when the URL has one.
fn detect(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = url.and_then(top_level_domain);
    detector.guess(tld.map(str::as_bytes), chardetng::Utf8Detection::Allow)
}

/// `"https://www.example.co.jp/a"` → `"jp"`.
fn top_level_domain(url: &str) -> Option<&str> {
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = host.split(':').next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(tld)
}

/// The charset a `<meta>` tag in the first kilobyte declares: `<meta charset="x">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=x">`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = bytes[..bytes.len().min(META_WINDOW)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&window[from..], b"<meta") {
        let start = from + at;
        let end = window[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(window.len(), |n| start + n);
        let tag = &window[start..end];
        if let Some(at) = find(tag, b"charset") {
            let value = tag[at + b"charset".len()..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            if let Some(value) = value.strip_prefix(b"=") {
                let label: Vec<u8> = value
                    .iter()
                    .skip_while(|&&b| b.is_ascii_whitespace() || b == b'"' || b == b'\'')
                    .take_while(|&&b| !(b.is_ascii_whitespace() || b"\"';/>".contains(&b)))
                    .copied()
                    .collect();
                if let Some(encoding) = Encoding::for_label(&label) {
                    return Some(encoding);
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_plain(bytes: &[u8]) -> (String, Decoding) {
        decode(bytes.to_vec(), Hints::default())
    }

    #[test]
    fn utf8_is_taken_as_given() {
        let (text, decoding) = decode_plain("\u{feff}Caf\u{e9} au lait".as_bytes());
        assert_eq!(text, "\u{feff}Caf\u{e9} au lait");
        assert_eq!(decoding.charset, "UTF-8");
        assert_eq!(decoding.by, CharsetFrom::Bom);
        assert!(!decoding.is_transcoded());
    }

    #[test]
    fn valid_utf8_wins_over_a_wrong_declaration() {
        let page = "<meta charset=iso-8859-1><p>Z\u{fc}rich</p>";
        let hints = Hints {
            http_charset: Some("windows-1252"),
            url: None,
        };
        let (text, decoding) = decode(page.as_bytes().to_vec(), hints);
        assert_eq!(text, page);
        assert_eq!(decoding.by, CharsetFrom::Utf8);
    }

    #[test]
    fn http_header_then_meta() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\"></head><p>\xb3\xf3d\xbc</p>";
        let (text, decoding) = decode_plain(page);
        assert!(text.ends_with("<p>\u{142}\u{f3}d\u{17a}</p>"), "{text}");
        assert_eq!(
            (decoding.charset, decoding.by),
            ("ISO-8859-2", CharsetFrom::Meta)
        );
        let hints = Hints {
            http_charset: Some(" windows-1250"),
            url: None,
        };
        let (_, decoding) = decode(page.to_vec(), hints);
        assert_eq!(
            (decoding.charset, decoding.by),
            ("windows-1250", CharsetFrom::Http)
        );
        let (text, _) = decode_plain(b"<meta charset='windows-1252'>\x93quoted\x94");
        assert!(text.ends_with("\u{201c}quoted\u{201d}"));
    }

    #[test]
    fn undeclared_legacy_text_is_detected() {
        let text = "Die Stra\u{df}enbahn f\u{e4}hrt \u{fc}ber die Br\u{fc}cke nach S\u{fc}den, \
                    w\u{e4}hrend die G\u{e4}ste gr\u{fc}\u{df}en.";
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let (decoded, decoding) = decode(
            latin1.into_owned(),
            Hints {
                http_charset: None,
                url: Some("https://www.example.de/artikel"),
            },
        );
        assert_eq!(decoded, text);
        assert_eq!(decoding.by, CharsetFrom::Detected);
        assert_eq!(decoding.replaced, 0);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_counted() {
        let (text, decoding) = decode(
            b"<meta charset=utf-8>caf\xe9 and cr\xe8me".to_vec(),
            Hints::default(),
        );
        assert_eq!(text, "<meta charset=utf-8>caf\u{fffd} and cr\u{fffd}me");
        assert_eq!(decoding.charset, "UTF-8");
        assert_eq!(decoding.replaced, 2);
        assert!(decoding.is_transcoded());
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let (text, decoding) = decode_plain(b"\xff\xfeH\0i\0");
        assert_eq!(text, "Hi");
        assert_eq!(
            (decoding.charset, decoding.by),
            ("UTF-16LE", CharsetFrom::Bom)
        );
    }

    #[test]
    fn tlds() {
        assert_eq!(
            top_level_domain("https://www.example.co.jp/a?b"),
            Some("jp")
        );
        assert_eq!(top_level_domain("http://user@host.pl:8080/"), Some("pl"));
        assert_eq!(top_level_domain("http://127.0.0.1/"), None);
    }
}
