//! `backend/src/db/schema.rs` is kept by hand: this compares it with the database the
//! migrations build, on each engine — every table and column on both sides, each column's type
//! and whether it may be null. A migration without its schema line (or the other way round)
//! fails here, naming the table and column.

use diesel::sql_types::{Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use std::collections::BTreeMap;

const SCHEMA: &str = include_str!("../../src/db/schema.rs");
/// Tables of the engine or of the migration runner, not of the product.
const NOT_OURS: [&str; 2] = ["__diesel_schema_migrations", "sqlite_sequence"];

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

/// (type as diesel names it, nullable) per table and column, from `schema.rs`.
fn declared() -> BTreeMap<(String, String), (String, bool)> {
    let mut out = BTreeMap::new();
    let mut table = None;
    for line in SCHEMA.lines().map(str::trim) {
        if let Some(name) = line.strip_suffix('{').and_then(|l| l.split_once(" (")).map(|(n, _)| n.trim()) {
            table = Some(name.to_owned());
        } else if line == "}" {
            table = None;
        } else if let (Some(t), Some((column, ty))) = (&table, line.trim_end_matches(',').split_once(" -> ")) {
            let (ty, nullable) = match ty.strip_prefix("Nullable<").and_then(|x| x.strip_suffix('>')) {
                Some(inner) => (inner, true),
                None => (ty, false),
            };
            out.insert((t.clone(), column.trim().to_owned()), (ty.to_owned(), nullable));
        }
    }
    out
}

/// Whether the engine's type is what diesel's type reads.
fn fits(diesel: &str, engine: &str) -> bool {
    let engine = engine.to_ascii_lowercase();
    match diesel {
        // SQLite's rowid primary keys are `INTEGER`, 64-bit like every SQLite integer.
        "BigInt" => ["bigint", "integer"].contains(&engine.as_str()),
        "Integer" => engine == "integer",
        "Text" => engine == "text" || engine.starts_with("character varying"),
        "Bool" => engine == "boolean",
        "Date" => engine == "date",
        "Timestamp" => engine == "timestamp" || engine == "timestamp without time zone",
        other => panic!("schema.rs uses {other}: teach this check its engine names"),
    }
}

api_tests! {
    async fn the_hand_kept_schema_matches_the_migrated_database(app) {
        let query = match app.engine {
            crate::helpers::Engine::Sqlite => "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                 CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 1 ELSE 0 END AS not_null \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
            crate::helpers::Engine::Postgres => "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                 data_type::text AS data_type, CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END AS not_null \
                 FROM information_schema.columns WHERE table_schema = current_schema()",
        };
        let columns = app.db.run(move |conn| Ok(diesel::sql_query(query).load::<Column>(conn)?)).await.unwrap();
        let actual: BTreeMap<(String, String), (String, bool)> = columns
            .into_iter()
            .filter(|c| !NOT_OURS.contains(&c.table_name.as_str()))
            .map(|c| ((c.table_name, c.column_name), (c.data_type, c.not_null == 0)))
            .collect();
        let declared = declared();
        assert!(declared.len() > 300, "schema.rs read: {} columns", declared.len());
        let mut drift = Vec::new();
        for (key, (ty, nullable)) in &declared {
            match actual.get(key) {
                None => drift.push(format!("{}.{} is in schema.rs but not in the database", key.0, key.1)),
                Some((engine, null)) if !fits(ty, engine) || null != nullable => drift.push(format!(
                    "{}.{}: schema.rs says {ty}{}, the database {engine}{}",
                    key.0, key.1, if *nullable { " (nullable)" } else { "" }, if *null { " (nullable)" } else { "" })),
                Some(_) => {}
            }
        }
        for key in actual.keys().filter(|k| !declared.contains_key(*k)) {
            drift.push(format!("{}.{} is in the database but not in schema.rs", key.0, key.1));
        }
        assert!(drift.is_empty(), "schema.rs has drifted from the migrations:\n{}", drift.join("\n"));
    }
}
