//! What a model folder holds, and where it is by default: what loading and installing the
//! model both need.

use std::ffi::OsString;
use std::path::PathBuf;

/// The weights, in safetensors format.
pub(crate) const WEIGHTS: &str = "model.safetensors";
/// The Hugging Face tokenizer definition.
pub(crate) const TOKENIZER: &str = "tokenizer.json";
/// The BERT hyperparameters.
pub(crate) const CONFIG: &str = "config.json";
/// The files a model directory must hold, in the order they are checked.
pub(crate) const MODEL_FILES: [&str; 3] = [WEIGHTS, TOKENIZER, CONFIG];

/// The model's folder below a data directory.
const MODEL_SUBDIR: &str = "retrace/models/all-MiniLM-L6-v2";

/// Where the model is installed by default: `$XDG_DATA_HOME/retrace/models/all-MiniLM-L6-v2`,
/// else `$HOME/.local/share/retrace/models/all-MiniLM-L6-v2`.
///
/// `XDG_DATA_HOME` counts only when it is an absolute path, as the XDG base directory
/// specification asks. Returns `None` when neither variable gives a directory.
pub fn default_model_dir() -> Option<PathBuf> {
    model_dir_from(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

pub(crate) fn model_dir_from(
    xdg_data_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    if let Some(data) = xdg_data_home
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
    {
        return Some(data.join(MODEL_SUBDIR));
    }
    let home = home.filter(|home| !home.is_empty())?;
    Some(PathBuf::from(home).join(".local/share").join(MODEL_SUBDIR))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> Option<OsString> {
        Some(OsString::from(s))
    }

    #[test]
    fn default_dir_prefers_xdg_data_home() {
        assert_eq!(
            model_dir_from(os("/data"), os("/home/ada")),
            Some(PathBuf::from("/data/retrace/models/all-MiniLM-L6-v2"))
        );
    }

    #[test]
    fn default_dir_falls_back_to_home() {
        let expected = Some(PathBuf::from(
            "/home/ada/.local/share/retrace/models/all-MiniLM-L6-v2",
        ));
        assert_eq!(model_dir_from(None, os("/home/ada")), expected);
        // Empty or relative XDG_DATA_HOME is ignored, as the XDG specification says.
        assert_eq!(model_dir_from(os(""), os("/home/ada")), expected);
        assert_eq!(model_dir_from(os("data"), os("/home/ada")), expected);
    }

    #[test]
    fn default_dir_without_home_is_none() {
        assert_eq!(model_dir_from(None, None), None);
        assert_eq!(model_dir_from(None, os("")), None);
    }
}
