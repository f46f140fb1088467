//! Queries on `audit_log`, and its hash chain.
//!
//! Every entry carries a gap-free `seq` (1, 2, 3…), the previous entry's hash (`prev_hash`; 32
//! zero bytes before the first) and its own:
//!
//! `hash = SHA-256("sodoan-audit-v1" || u64be(seq) || prev_hash || canon(entry))`
//!
//! where `canon` is the entry's fields in this order, each as `u64be(length) || bytes`, or
//! `u64be(2^64 - 1)` alone when null: actor_user_id, action, entity_type, entity_id,
//! org_unit_id, unit_path, before_json, after_json, at. Ids and `at` (UTC microseconds since
//! 1970) are 8 bytes big-endian; texts are their UTF-8 bytes. Hashes are stored as 64 lowercase
//! hex digits. `audit_head` (one row) holds the last seq and hash; an append locks it, so
//! appends are serialised and the chain has no fork or gap.

use super::schema::{audit_head, audit_log, users};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A row of `audit_log`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub org_unit_id: Option<i64>,
    pub unit_path: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// A new audit entry.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    pub actor_user_id: Option<i64>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub org_unit_id: Option<i64>,
    pub unit_path: Option<&'a str>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
}

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

const DOMAIN: &[u8] = b"sodoan-audit-v1";

/// What an entry's hash covers.
#[derive(Debug, Clone, Copy)]
pub struct Payload<'a> {
    pub actor_user_id: Option<i64>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub org_unit_id: Option<i64>,
    pub unit_path: Option<&'a str>,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
    pub at: NaiveDateTime,
}

impl<'a> Payload<'a> {
    /// The payload of a stored entry.
    pub fn of(row: &'a AuditRow) -> Payload<'a> {
        Payload {
            actor_user_id: row.actor_user_id,
            action: &row.action,
            entity_type: &row.entity_type,
            entity_id: row.entity_id,
            org_unit_id: row.org_unit_id,
            unit_path: row.unit_path.as_deref(),
            before_json: row.before_json.as_deref(),
            after_json: row.after_json.as_deref(),
            at: row.at,
        }
    }

    fn of_new(row: &'a NewAuditRow<'a>) -> Payload<'a> {
        Payload {
            actor_user_id: row.actor_user_id,
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            org_unit_id: row.org_unit_id,
            unit_path: row.unit_path,
            before_json: row.before_json.as_deref(),
            after_json: row.after_json.as_deref(),
            at: row.at,
        }
    }
}

/// The hash of the entry `seq` with `payload`, chained to `prev`.
pub fn entry_hash(seq: i64, prev: &[u8; 32], payload: &Payload<'_>) -> [u8; 32] {
    fn field(h: &mut Sha256, bytes: Option<&[u8]>) {
        match bytes {
            Some(b) => {
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    let int = |v: Option<i64>| v.map(i64::to_be_bytes);
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(seq.to_be_bytes());
    h.update(prev);
    field(&mut h, int(payload.actor_user_id).as_ref().map(|b| &b[..]));
    field(&mut h, Some(payload.action.as_bytes()));
    field(&mut h, Some(payload.entity_type.as_bytes()));
    field(&mut h, Some(&payload.entity_id.to_be_bytes()));
    field(&mut h, int(payload.org_unit_id).as_ref().map(|b| &b[..]));
    field(&mut h, payload.unit_path.map(str::as_bytes));
    field(&mut h, payload.before_json.map(str::as_bytes));
    field(&mut h, payload.after_json.map(str::as_bytes));
    field(&mut h, Some(&payload.at.and_utc().timestamp_micros().to_be_bytes()));
    h.finalize().into()
}

/// Lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash stored as 64 lowercase hex digits, or `None` if it is not one.
pub fn from_hex(text: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

fn corrupt(what: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(what.to_owned().into())
}

/// The head (last seq and hash), locked until the transaction ends on PostgreSQL; on SQLite the
/// write transaction (`db::write`) already excludes other writers.
fn lock_head(conn: &mut AnyConnection) -> QueryResult<(i64, [u8; 32])> {
    let q = audit_head::table.find(1).select((audit_head::seq, audit_head::hash));
    let (seq, hash): (i64, String) = match conn {
        AnyConnection::Postgresql(pg) => q.for_update().first(pg)?,
        AnyConnection::Sqlite(lite) => q.first(lite)?,
    };
    Ok((seq, from_hex(&hash).ok_or_else(|| corrupt("audit_head.hash is not a SHA-256 in hex"))?))
}

fn set_head(conn: &mut AnyConnection, seq: i64, hash: &str) -> QueryResult<usize> {
    diesel::update(audit_head::table.find(1)).set((audit_head::seq.eq(seq), audit_head::hash.eq(hash))).execute(conn)
}

/// Appends an entry to the chain: locks the head, hashes the entry onto it, inserts it and moves
/// the head. Runs in the caller's transaction (the change's own), so the head stays locked on
/// PostgreSQL until that commits; `row.at` is to the microsecond (`db::now()`). Answers its seq.
pub fn insert(conn: &mut AnyConnection, row: &NewAuditRow<'_>) -> QueryResult<i64> {
    debug_assert_eq!(row.at.and_utc().timestamp_subsec_nanos() % 1000, 0, "`at` is to the microsecond");
    let (last, prev) = lock_head(conn)?;
    let seq = last + 1;
    let hash = to_hex(&entry_hash(seq, &prev, &Payload::of_new(row)));
    diesel::insert_into(audit_log::table)
        .values((row, audit_log::seq.eq(seq), audit_log::prev_hash.eq(to_hex(&prev)), audit_log::hash.eq(&hash)))
        .execute(conn)?;
    set_head(conn, seq, &hash)?;
    Ok(seq)
}

/// Puts the entries that have no seq yet (written before the chain existed) on the chain, in id
/// order after the head, in one transaction. `db::migrate` runs it; answers how many it chained.
pub fn backfill_chain(conn: &mut AnyConnection) -> QueryResult<usize> {
    let pending: bool =
        diesel::select(diesel::dsl::exists(audit_log::table.filter(audit_log::seq.is_null()))).get_result(conn)?;
    if !pending {
        return Ok(0);
    }
    super::write(conn, |conn| {
        let (mut seq, mut prev) = lock_head(conn)?;
        let (mut after_id, mut done) = (i64::MIN, 0);
        loop {
            let rows: Vec<AuditRow> = audit_log::table
                .filter(audit_log::seq.is_null().and(audit_log::id.gt(after_id)))
                .order(audit_log::id.asc())
                .limit(1000)
                .select(AuditRow::as_select())
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after_id = last.id;
            for row in &rows {
                seq += 1;
                let hash = entry_hash(seq, &prev, &Payload::of(row));
                diesel::update(audit_log::table.find(row.id))
                    .set((
                        audit_log::seq.eq(seq),
                        audit_log::prev_hash.eq(to_hex(&prev)),
                        audit_log::hash.eq(to_hex(&hash)),
                    ))
                    .execute(conn)?;
                prev = hash;
                done += 1;
            }
        }
        set_head(conn, seq, &to_hex(&prev))?;
        Ok(done)
    })
}

/// The head as stored: the last seq and its hash (`0` and zeros for an empty trail).
pub fn head(conn: &mut AnyConnection) -> QueryResult<(i64, String)> {
    audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)
}

/// Up to `limit` chained entries after `after_seq`, in seq order.
pub fn chain_after(conn: &mut AnyConnection, after_seq: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq.asc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// How many entries have no seq (none once `backfill_chain` has run, unless written around the server).
pub fn unchained(conn: &mut AnyConnection) -> QueryResult<i64> {
    audit_log::table.filter(audit_log::seq.is_null()).count().get_result(conn)
}

/// An audit row with its actor's name.
pub type AuditListing = (AuditRow, Option<String>);

/// Entries for units whose path starts with `path`, newest first, with the actor's name.
pub fn list_in_subtree(
    conn: &mut AnyConnection,
    path: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditListing>, i64)> {
    let upper = super::org_units::subtree_upper_bound(path);
    let in_subtree = audit_log::unit_path.ge(path.to_owned()).and(audit_log::unit_path.lt(upper));
    let total = audit_log::table.filter(in_subtree.clone()).count().get_result(conn)?;
    let rows = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_user_id)))
        .filter(in_subtree)
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select((AuditRow::as_select(), users::full_name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

pub fn list_for_entity(conn: &mut AnyConnection, entity_type: &str, entity_id: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::entity_type.eq(entity_type).and(audit_log::entity_id.eq(entity_id)))
        .order(audit_log::id.asc())
        .select(AuditRow::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash as the module's documentation defines it, built byte by byte: an outside verifier
    /// can follow the same recipe.
    #[test]
    fn an_entry_hash_follows_the_documented_recipe_and_covers_every_field() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_micro_opt(8, 30, 0, 123_456).unwrap();
        let payload = Payload {
            actor_user_id: Some(7),
            action: "member.update",
            entity_type: "member",
            entity_id: 42,
            org_unit_id: None,
            unit_path: Some("/1/5/"),
            before_json: Some("{\"phone\":\"0912345678\"}"),
            after_json: None,
            at,
        };
        let prev = [0xab; 32];
        let mut bytes = b"sodoan-audit-v1".to_vec();
        bytes.extend(3u64.to_be_bytes());
        bytes.extend(prev);
        let mut field = |b: Option<&[u8]>| match b {
            Some(b) => {
                bytes.extend((b.len() as u64).to_be_bytes());
                bytes.extend(b);
            }
            None => bytes.extend([0xff; 8]),
        };
        field(Some(&7i64.to_be_bytes()));
        field(Some(b"member.update"));
        field(Some(b"member"));
        field(Some(&42i64.to_be_bytes()));
        field(None);
        field(Some(b"/1/5/"));
        field(Some(b"{\"phone\":\"0912345678\"}"));
        field(None);
        field(Some(&1_796_113_800_123_456i64.to_be_bytes()));
        let expected: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(entry_hash(3, &prev, &payload), expected);

        assert_ne!(entry_hash(4, &prev, &payload), expected, "the seq counts");
        assert_ne!(entry_hash(3, &GENESIS, &payload), expected, "the previous hash counts");
        let empty_path = Payload { unit_path: Some(""), ..payload };
        let no_path = Payload { unit_path: None, ..payload };
        assert_ne!(entry_hash(3, &prev, &empty_path), entry_hash(3, &prev, &no_path), "empty is not null");
        let later = Payload { at: at + chrono::Duration::microseconds(1), ..payload };
        assert_ne!(entry_hash(3, &prev, &later), expected, "the time to the microsecond");
    }

    #[test]
    fn hashes_are_stored_as_64_lowercase_hex_digits() {
        let h = [0x0f; 32];
        assert_eq!(to_hex(&h), "0f".repeat(32));
        assert_eq!(from_hex(&to_hex(&h)), Some(h));
        assert_eq!(from_hex(&"0F".repeat(32)), None, "uppercase is not the stored form");
        assert_eq!(from_hex(&"0f".repeat(31)), None);
        assert_eq!(from_hex(&"0g".repeat(32)), None);
    }
}
