//! CLI tests: the real `retrace` binary, run in a temporary directory.
//!
//! All CLI tests live in this one test binary, a module per command (STYLE.md habit 19).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "test diagnostics"
)]

mod bad_input;
mod browser;
mod compare;
mod explain;
mod extract;
mod index;
mod scan;
mod serve;
mod snapshots;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled demo corpus.
pub(crate) fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../demo")
        .join(name)
}

/// Runs `retrace` with `args` in `dir`, where no semantic model is installed, so that results
/// do not depend on what the machine has.
pub(crate) fn retrace(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_retrace"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    command
        .env_remove("RETRACE_MODEL")
        .env("XDG_DATA_HOME", dir.join("data"));
    match stdin {
        Some(bytes) => {
            use std::io::Write;
            command
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let mut child = command.spawn().expect("retrace runs");
            // retrace may exit before reading (a bad flag): a closed pipe is not a test failure.
            let _ = child.stdin.take().expect("stdin").write_all(bytes);
            child.wait_with_output().expect("retrace finishes")
        }
        None => command.output().expect("retrace runs"),
    }
}

/// The compare JSON of two files, lexical scorer.
pub(crate) fn compare_json(a: &Path, b: &Path) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = retrace(
        dir.path(),
        &[
            "compare",
            "--json",
            "--no-model",
            a.to_str().expect("utf-8 path"),
            b.to_str().expect("utf-8 path"),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// The change kinds of a compare object, in order.
pub(crate) fn change_kinds(json: &serde_json::Value) -> Vec<String> {
    json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind").to_owned())
        .collect()
}

/// A `retrace serve` running on a free port; killed when dropped.
pub(crate) struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Indexes `names` of the demo corpus into `dir/idx` and serves the index with `extra` flags.
pub(crate) fn serve_demo(dir: &Path, names: &[&str], extra: &[&str]) -> Server {
    use std::io::BufRead;
    std::fs::create_dir_all(dir.join("crawl")).unwrap();
    for name in names {
        std::fs::copy(demo(name), dir.join("crawl").join(name)).unwrap();
    }
    let out = retrace(dir, &["index", "add", "crawl", "--index", "idx"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .args(["serve", "--index", "idx", "--addr", "127.0.0.1:0"])
        .args(extra)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, base }
}
