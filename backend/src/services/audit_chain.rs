//! Verifying the audit trail's hash chain (`sodoan audit verify`): reads the entries in seq
//! order, a batch at a time (constant memory), in one snapshot, and names the first entry that
//! does not hold.

use crate::db::{self, audit::Payload, AnyConnection};
use crate::error::ApiError;
use std::fmt;

/// Entries read per query.
const BATCH: i64 = 1000;

/// What the verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The chain holds from seq 1 to the head.
    Ok { entries: i64, head_seq: i64, head_hash: String },
    /// The entry's stored hash is not that of its contents: the row was changed.
    Changed { seq: i64, stored: String, computed: String },
    /// The entry does not point at the entry before it (it, or the one before, was replaced).
    Unlinked { seq: i64, prev_hash: String, previous: String },
    /// An entry is missing after `after`.
    Gap { after: i64 },
    /// The head names another end than the log's last entry (entries removed from the end, or added around the server).
    Head { head_seq: i64, log_seq: i64 },
    /// The head's hash is not the last entry's.
    HeadHash { seq: i64, head: String, last: String },
    /// Entries without a seq (written around the server).
    Unchained { count: i64 },
}

impl Verdict {
    /// Whether the chain holds.
    pub fn is_ok(&self) -> bool {
        matches!(self, Verdict::Ok { .. })
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Ok { entries, head_seq, head_hash } => {
                write!(f, "OK {entries} entries, head seq {head_seq} sha256:{head_hash}")
            }
            Verdict::Changed { seq, stored, computed } => {
                write!(f, "FAIL seq {seq}: stored {stored}, computed {computed} (row changed)")
            }
            Verdict::Unlinked { seq, prev_hash, previous } => {
                write!(f, "FAIL seq {seq}: prev_hash {prev_hash}, hash of seq {} {previous} (chain broken)", seq - 1)
            }
            Verdict::Gap { after } => write!(f, "FAIL gap after seq {after}"),
            Verdict::Head { head_seq, log_seq } => write!(f, "FAIL head says seq {head_seq}, log ends at {log_seq}"),
            Verdict::HeadHash { seq, head, last } => {
                write!(f, "FAIL head says seq {seq} sha256:{head}, the entry's hash is {last}")
            }
            Verdict::Unchained { count } => write!(f, "FAIL {count} entries have no seq (outside the chain)"),
        }
    }
}

/// Checks the whole chain: no gap in seq, each entry's `prev_hash` is the previous entry's hash
/// (zeros before the first), each stored hash is the recomputed one, the head is the last entry.
pub fn verify(conn: &mut AnyConnection) -> Result<Verdict, ApiError> {
    db::snapshot(conn, |conn| {
        let (head_seq, head_hash) = db::audit::head(conn)?;
        let mut prev = db::audit::GENESIS;
        let mut last = 0;
        loop {
            let rows = db::audit::chain_after(conn, last, BATCH)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq = row.seq.unwrap_or_default();
                if seq != last + 1 {
                    return Ok(Verdict::Gap { after: last });
                }
                let stored_prev = row.prev_hash.clone().unwrap_or_default();
                if db::audit::from_hex(&stored_prev) != Some(prev) {
                    return Ok(Verdict::Unlinked { seq, prev_hash: stored_prev, previous: db::audit::to_hex(&prev) });
                }
                let computed = db::audit::entry_hash(seq, &prev, &Payload::of(row));
                let stored = row.hash.clone().unwrap_or_default();
                if db::audit::from_hex(&stored) != Some(computed) {
                    return Ok(Verdict::Changed { seq, stored, computed: db::audit::to_hex(&computed) });
                }
                (prev, last) = (computed, seq);
            }
        }
        let unchained = db::audit::unchained(conn)?;
        if unchained > 0 {
            return Ok(Verdict::Unchained { count: unchained });
        }
        let last_hash = db::audit::to_hex(&prev);
        if head_seq != last {
            return Ok(Verdict::Head { head_seq, log_seq: last });
        }
        if head_hash != last_hash {
            return Ok(Verdict::HeadHash { seq: last, head: head_hash, last: last_hash });
        }
        Ok(Verdict::Ok { entries: last, head_seq, head_hash })
    })
}
