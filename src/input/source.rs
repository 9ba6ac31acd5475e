//! Input files as bytes with a name: from disk, or from the default dataset embedded in the
//! binary (`build.rs` lists `data/`).

use crate::error::{DataError, Place};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

/// An input file's bytes and the name used for it in messages and in `meta.inputs`.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The SHA-256 once computed: every report's `meta.inputs` quotes it, and `report` writes a
    /// dozen of them for the same files.
    digest: OnceLock<String>,
}

impl Source {
    /// A file's bytes under the name used for it in messages.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Source {
        Source {
            name: name.into(),
            bytes,
            digest: OnceLock::new(),
        }
    }

    /// Reads a file from disk; the error names the file.
    pub fn read(path: &Path) -> Result<Source, DataError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            DataError::new(Place::file(&name), format!("cannot read the file: {e}"))
        })?;
        Ok(Source::new(name, bytes))
    }

    /// An embedded file of the default dataset, named `embedded:data/...`.
    pub fn embedded(path: &str, bytes: &[u8]) -> Source {
        Source::new(format!("embedded:{path}"), bytes.to_vec())
    }

    /// SHA-256 of the bytes, lower-case hex (computed once).
    pub fn sha256(&self) -> String {
        self.digest
            .get_or_init(|| {
                let digest = Sha256::digest(&self.bytes);
                digest.iter().map(|b| format!("{b:02x}")).collect()
            })
            .clone()
    }
}

/// The default dataset embedded in the binary.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

    use super::Source;

    fn sources(files: &[(&str, &[u8])]) -> Vec<Source> {
        files.iter().map(|(p, b)| Source::embedded(p, b)).collect()
    }

    pub fn network() -> Vec<Source> {
        sources(NETWORK)
    }
    pub fn zones() -> Vec<Source> {
        sources(ZONES)
    }
    pub fn basemap() -> Vec<Source> {
        sources(BASEMAP)
    }
    pub fn supply() -> Vec<Source> {
        sources(SUPPLY)
    }
    /// Capacity histories of the network (`data/network/*.csv`).
    pub fn history() -> Vec<Source> {
        sources(HISTORY)
    }
}
