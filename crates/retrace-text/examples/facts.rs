//! Prints the facts retrace reads from a text: one line per sentence, then its facts.
//!
//! ```sh
//! echo 'Police said on Friday that about 40 people may have died.' \
//!     | cargo run -q -p retrace-text --example facts
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example prints what it read"
)]

use std::io::Read;

use retrace_span::{OffsetMap, Origin};

fn main() {
    let mut text = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("facts: cannot read standard input: {err}");
        std::process::exit(2);
    }
    let Ok(len) = u32::try_from(text.len()) else {
        eprintln!("facts: the text is over 4 GiB; give a shorter one");
        std::process::exit(2);
    };
    let analyzer = retrace_text::Analyzer::new();
    let doc = analyzer.analyze(Origin::Stdin, None, &text, &OffsetMap::identity(len));
    for (i, sentence) in doc.sentences.iter().enumerate() {
        println!("[{i}] {}", doc.sentence_text(i));
        for fact in &sentence.facts {
            println!("    {:?} {:?}", doc.slice(&fact.range), fact.kind);
        }
    }
}
