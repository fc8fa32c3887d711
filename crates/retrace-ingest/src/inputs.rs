//! Command-line arguments to inputs: files as named, folders walked, globs expanded, `-`.

use std::path::{Path, PathBuf};

use retrace_span::Origin;

use crate::{Error, ErrorKind};

/// One input to read: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// A file.
    Path(PathBuf),
    /// Standard input.
    Stdin,
}

impl Input {
    /// The input's origin.
    pub fn origin(&self) -> Origin {
        match self {
            Input::Path(path) => Origin::Path(path.clone()),
            Input::Stdin => Origin::Stdin,
        }
    }
}

/// What a list of arguments expands to.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The inputs, in argument order; the files of a folder or a glob in path order.
    pub inputs: Vec<Input>,
    /// Arguments (or entries of a folder) that cannot be read, each with its reason.
    pub errors: Vec<Error>,
    /// Hidden files and folders (names starting with `.`) passed over while walking folders.
    pub hidden: u64,
}

/// Expands arguments: `-` is standard input, a folder is every file below it (recursively, in
/// path order, hidden entries passed over and counted; FIFOs, sockets and devices reported in
/// [`Expanded::errors`] as [`ErrorKind::NotAFile`], since reading one could block for ever), a path that does not exist but holds
/// `*`, `?` or `[` is a glob, anything else is a file.
///
/// Deterministic: the same arguments over the same files give the same inputs in the same order.
pub fn expand<S: AsRef<str>>(args: &[S]) -> Expanded {
    let mut out = Expanded::default();
    for arg in args {
        let arg = arg.as_ref();
        if arg == "-" {
            out.inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            walk(path, &mut out);
        } else if !path.exists() && arg.contains(['*', '?', '[']) {
            glob(arg, &mut out);
        } else {
            // A missing file is reported when it is read, like any other unreadable file.
            out.inputs.push(Input::Path(path.to_path_buf()));
        }
    }
    out
}

fn walk(root: &Path, out: &mut Expanded) {
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(entry) => {
                let hidden =
                    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
                if hidden {
                    out.hidden += 1;
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                } else if entry.file_type().is_file() {
                    out.inputs.push(Input::Path(entry.into_path()));
                } else if !entry.file_type().is_dir() {
                    // A FIFO would block the run for ever, a device read without end.
                    let what = special_kind(&entry.file_type());
                    let origin = Origin::Path(entry.into_path());
                    out.errors
                        .push(Error::new(origin, ErrorKind::NotAFile { what }));
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let target = err.loop_ancestor().map(|a| a.display().to_string());
                let origin = Origin::Path(path);
                let error = match (target, err.into_io_error()) {
                    (Some(target), _) => Error::new(origin, ErrorKind::SymlinkLoop { target }),
                    (None, Some(io)) => Error::io(origin, io),
                    (None, None) => Error::new(
                        origin,
                        ErrorKind::Io(std::io::Error::other("the folder walk failed")),
                    ),
                };
                out.errors.push(error);
            }
        }
    }
}

/// What a file that is neither a regular file nor a folder is, in words.
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "neither a file nor a folder"
}

fn glob(pattern: &str, out: &mut Expanded) {
    let origin = || Origin::Path(PathBuf::from(pattern));
    let paths = match glob::glob(pattern) {
        Ok(paths) => paths,
        Err(err) => {
            out.errors.push(Error::new(
                origin(),
                ErrorKind::BadPattern(err.msg.to_owned()),
            ));
            return;
        }
    };
    let mut matched = false;
    for path in paths {
        matched = true;
        match path {
            Ok(path) if path.is_dir() => walk(&path, out),
            Ok(path) => match std::fs::metadata(&path) {
                Ok(metadata) if !metadata.is_file() => {
                    let what = special_kind(&metadata.file_type());
                    let origin = Origin::Path(path);
                    out.errors
                        .push(Error::new(origin, ErrorKind::NotAFile { what }));
                }
                _ => out.inputs.push(Input::Path(path)),
            },
            Err(err) => {
                let origin = Origin::Path(err.path().to_path_buf());
                let io: std::io::Error = err.into();
                out.errors.push(Error::io(origin, io));
            }
        }
    }
    if !matched {
        out.errors.push(Error::new(origin(), ErrorKind::NoMatch));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_globs_and_stdin() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/deep")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for name in [
            "a.txt",
            "b/deep/c.html",
            "b/d.txt",
            ".git/config",
            ".hidden",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let arg = root.to_str().unwrap().to_owned();
        let expanded = expand(&[arg.clone(), "-".into()]);
        assert_eq!(
            expanded.inputs,
            vec![
                Input::Path(root.join("a.txt")),
                Input::Path(root.join("b/d.txt")),
                Input::Path(root.join("b/deep/c.html")),
                Input::Stdin,
            ]
        );
        assert_eq!(expanded.hidden, 2);
        assert!(expanded.errors.is_empty());

        let expanded = expand(&[format!("{arg}/**/*.txt")]);
        assert_eq!(
            expanded.inputs,
            vec![
                Input::Path(root.join("a.txt")),
                Input::Path(root.join("b/d.txt"))
            ]
        );
        let expanded = expand(&[format!("{arg}/*.pdf"), format!("{arg}/[z")]);
        assert_eq!(expanded.errors[0].kind, ErrorKind::NoMatch);
        assert!(matches!(expanded.errors[1].kind, ErrorKind::BadPattern(_)));
    }

    #[test]
    fn missing_files_are_kept_for_the_reader_to_report() {
        let expanded = expand(&["nope.txt"]);
        assert_eq!(expanded.inputs, vec![Input::Path("nope.txt".into())]);
    }
}
