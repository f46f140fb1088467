//! Files kept outside the database rows (the programme's evidence): under one directory, each
//! named by the SHA-256 of its bytes (`ab/abcdef…`), so the same photo uploaded twice is kept
//! once and no name ever comes from a client. A file is written under a temporary name, flushed
//! and renamed, so a crash never leaves a half-written file under its real name. Files are
//! written before the row naming them commits: a write that fails after leaves an orphan file,
//! which nothing serves. Knows nothing of HTTP or the database.

use anyhow::{bail, Context};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The directory the files live in.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl FileStore {
    /// A store in `dir` (created on the first write).
    pub fn new(dir: impl Into<PathBuf>) -> FileStore {
        FileStore { dir: dir.into() }
    }

    /// Where the files are.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of a file by its hash; `None` for anything but 64 lowercase hex digits.
    fn path(&self, sha256: &str) -> Option<PathBuf> {
        let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex.then(|| self.dir.join(&sha256[..2]).join(sha256))
    }

    /// Keeps `bytes` and answers their SHA-256 (the file's name).
    pub fn put(&self, bytes: &[u8]) -> anyhow::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self.path(&sha).context("a hash is always hex")?;
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
            return Ok(sha);
        }
        let folder = path.parent().context("a stored file has a folder")?;
        std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
        let tmp = folder.join(format!(".tmp-{:016x}", rand::rng().next_u64()));
        let written = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e).with_context(|| format!("cannot write {}", path.display()));
        }
        Ok(sha)
    }

    /// A file's bytes, checked against its hash; `None` when there is no such file.
    pub fn get(&self, sha256: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let Some(path) = self.path(sha256) else { return Ok(None) };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        if sha256_hex(&bytes) != sha256 {
            bail!("{} does not match its hash: changed on disk", path.display());
        }
        Ok(Some(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_kept_once_by_its_hash_and_read_back_checked() {
        let dir = std::env::temp_dir().join(format!("sodoan-files-{}", rand::rng().next_u64()));
        let store = FileStore::new(&dir);
        let sha = store.put(b"%PDF-1.7 hello").unwrap();
        assert_eq!(store.put(b"%PDF-1.7 hello").unwrap(), sha);
        assert_eq!(store.get(&sha).unwrap().as_deref(), Some(&b"%PDF-1.7 hello"[..]));
        assert_eq!(store.get(&"0".repeat(64)).unwrap(), None);
        assert_eq!(store.get("../../etc/passwd").unwrap(), None, "only hashes name files");
        std::fs::write(dir.join(&sha[..2]).join(&sha), b"changed").unwrap();
        assert!(store.get(&sha).is_err(), "a file changed on disk is not served");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
