//! Copies every table's rows between a SQLite and a PostgreSQL database at the same schema
//! version: a PostgreSQL backup into a SQLite file, a restore into PostgreSQL, `migrate-to`.
//!
//! The SQLite side describes the tables (columns, primary key, foreign keys); the rows travel as
//! SQL literals — SQLite's `quote()`, or the same form built by PostgreSQL — and are cast to the
//! column's type on PostgreSQL. Tables are written parents first; a foreign key to the same table
//! (a unit's parent) or into a cycle is written afterwards, once every row is there.

use super::AnyConnection;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Rows read and written per statement.
const CHUNK: i64 = 500;
/// Tables that belong to the engine or to the migration runner, not to the product.
const SKIPPED: [&str; 2] = ["__diesel_schema_migrations", "sqlite_sequence"];
/// The one table whose row the migrations create: its row is overwritten, not added.
const HEAD: &str = "audit_head";

/// One table's rows on each side after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    /// The table.
    pub table: String,
    /// Rows in the source.
    pub source: i64,
    /// Rows in the target.
    pub target: i64,
}

#[derive(Debug)]
struct Column {
    name: String,
    /// The PostgreSQL type (as `information_schema` names it) when one side is PostgreSQL.
    pg_type: String,
}

#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<Column>,
    /// The single-column primary key, when there is one.
    pk: Option<usize>,
    /// Foreign-key columns written after every table (self references and cycles).
    deferred: BTreeSet<usize>,
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct ColumnInfo {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    v: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Why a copy could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// A query failed.
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    /// The two databases are not one SQLite and one PostgreSQL.
    #[error("a copy goes between SQLite and PostgreSQL")]
    Engines,
    /// The target already holds rows.
    #[error("the target database is not empty (table `{0}` has rows); use a new, empty database")]
    NotEmpty(String),
    /// The two schemas differ.
    #[error("the two databases' tables differ: {0}")]
    Schema(String),
    /// A row could not be read back.
    #[error("a row of `{0}` could not be read")]
    Row(String),
}

/// Copies every row of `from` into `to`, which must be empty. The caller runs it inside a
/// snapshot of `from` and a transaction of `to`, so the copy is whole or nothing. Returns the
/// rows counted on each side afterwards, table by table.
pub fn copy_all(from: &mut AnyConnection, to: &mut AnyConnection) -> Result<Vec<TableCount>, CopyError> {
    let tables = match (&mut *from, &mut *to) {
        (AnyConnection::Sqlite(_), AnyConnection::Postgresql(_)) => describe(from, to)?,
        (AnyConnection::Postgresql(_), AnyConnection::Sqlite(_)) => describe(to, from)?,
        _ => return Err(CopyError::Engines),
    };
    if let Some(table) = first_nonempty(to, &tables)? {
        return Err(CopyError::NotEmpty(table));
    }
    let mut later: Vec<(usize, Vec<String>)> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let mut after: Option<String> = None;
        loop {
            let rows = read_chunk(from, table, after.as_deref())?;
            if rows.is_empty() {
                break;
            }
            if let Some(pk) = table.pk {
                after = rows.last().map(|r| r[pk].clone());
            }
            if !table.deferred.is_empty() {
                later.extend(rows.iter().map(|r| (index, r.clone())));
            }
            insert(to, table, &rows)?;
            if table.pk.is_none() || (rows.len() as i64) < CHUNK {
                break;
            }
        }
    }
    for (index, row) in &later {
        fill_deferred(to, &tables[*index], row)?;
    }
    if let AnyConnection::Postgresql(_) = to {
        for table in tables.iter().filter(|t| t.pk.is_some_and(|pk| t.columns[pk].pg_type.contains("int"))) {
            let pk = quoted(&table.columns[table.pk.unwrap_or_default()].name);
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{t}', '{c}'), m) FROM (SELECT MAX({pk}) AS m FROM {t}) s \
                 WHERE m IS NOT NULL AND pg_get_serial_sequence('{t}', '{c}') IS NOT NULL",
                t = quoted(&table.name),
                c = table.columns[table.pk.unwrap_or_default()].name,
            ))
            .execute(to)?;
        }
    }
    tables
        .iter()
        .map(|t| Ok(TableCount { table: t.name.clone(), source: count(from, &t.name)?, target: count(to, &t.name)? }))
        .collect()
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn count(conn: &mut AnyConnection, table: &str) -> QueryResult<i64> {
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {}", quoted(table))).get_result::<Count>(conn).map(|c| c.n)
}

/// The product's tables, parents before children, from the SQLite side, with each column's
/// PostgreSQL type from the other side.
fn describe(sqlite: &mut AnyConnection, pg: &mut AnyConnection) -> Result<Vec<Table>, CopyError> {
    let names: Vec<String> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .load::<Named>(sqlite)?
    .into_iter()
    .map(|n| n.name)
    .filter(|n| !SKIPPED.contains(&n.as_str()))
    .collect();
    let pg_tables: BTreeSet<String> = diesel::sql_query(
        "SELECT table_name AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .load::<Named>(pg)?
    .into_iter()
    .map(|n| n.name)
    .filter(|n| !SKIPPED.contains(&n.as_str()))
    .collect();
    let sqlite_tables: BTreeSet<String> = names.iter().cloned().collect();
    if sqlite_tables != pg_tables {
        let only: Vec<&String> = sqlite_tables.symmetric_difference(&pg_tables).collect();
        return Err(CopyError::Schema(format!("tables on one side only: {only:?}")));
    }

    let mut tables = Vec::new();
    let mut parents: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    for name in &names {
        let info: Vec<ColumnInfo> =
            diesel::sql_query(format!("SELECT name, pk FROM pragma_table_info({}) ORDER BY cid", literal(name)))
                .load(sqlite)?;
        let pg_types: HashMap<String, String> = diesel::sql_query(format!(
            "SELECT column_name, data_type FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = {}",
            literal(name)
        ))
        .load::<PgColumn>(pg)?
        .into_iter()
        .map(|c| (c.column_name, c.data_type))
        .collect();
        let mut columns = Vec::new();
        for c in &info {
            let pg_type = pg_types
                .get(&c.name)
                .cloned()
                .ok_or_else(|| CopyError::Schema(format!("{name}.{} is not on PostgreSQL", c.name)))?;
            columns.push(Column { name: c.name.clone(), pg_type });
        }
        if pg_types.len() != columns.len() {
            return Err(CopyError::Schema(format!("{name} has other columns on PostgreSQL")));
        }
        let keys: Vec<usize> = info.iter().enumerate().filter(|(_, c)| c.pk > 0).map(|(i, _)| i).collect();
        let fks: Vec<ForeignKey> =
            diesel::sql_query(format!("SELECT \"table\", \"from\" FROM pragma_foreign_key_list({})", literal(name)))
                .load(sqlite)?;
        parents.insert(name.clone(), fks.into_iter().map(|fk| (fk.from, fk.table)).collect());
        tables.push(Table {
            name: name.clone(),
            columns,
            pk: (keys.len() == 1).then(|| keys[0]),
            deferred: BTreeSet::new(),
        });
    }
    Ok(order(tables, &parents))
}

/// Parents first (Kahn's algorithm, by name among equals); a table caught in a cycle goes next
/// with its foreign keys into the tables not yet written deferred, as are self references (for
/// tables with a single-column key, which the later update needs).
fn order(mut tables: Vec<Table>, parents: &HashMap<String, BTreeMap<String, String>>) -> Vec<Table> {
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut ordered = Vec::new();
    while !tables.is_empty() {
        let ready = tables
            .iter()
            .position(|t| parents[&t.name].values().all(|p| *p == t.name || done.contains(p)))
            .unwrap_or(0);
        let mut table = tables.remove(ready);
        for (column, parent) in &parents[&table.name] {
            if table.pk.is_some() && (*parent == table.name || !done.contains(parent)) {
                if let Some(i) = table.columns.iter().position(|c| c.name == *column) {
                    table.deferred.insert(i);
                }
            }
        }
        done.insert(table.name.clone());
        ordered.push(table);
    }
    ordered
}

fn first_nonempty(to: &mut AnyConnection, tables: &[Table]) -> QueryResult<Option<String>> {
    for table in tables {
        let rows = if table.name == HEAD {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {HEAD} WHERE seq <> 0")).get_result::<Count>(to)?.n
        } else {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM (SELECT 1 FROM {} LIMIT 1) s", quoted(&table.name)))
                .get_result::<Count>(to)?
                .n
        };
        if rows > 0 {
            return Ok(Some(table.name.clone()));
        }
    }
    Ok(None)
}

/// The SQLite literal of a column's value, computed by the source engine.
fn read_expr(conn: &AnyConnection, column: &Column) -> String {
    let c = quoted(&column.name);
    match conn {
        AnyConnection::Sqlite(_) => format!("quote({c})"),
        AnyConnection::Postgresql(_) => match column.pg_type.as_str() {
            "boolean" => format!("CASE WHEN {c} THEN '1' WHEN NOT {c} THEN '0' ELSE 'NULL' END"),
            "smallint" | "integer" | "bigint" => format!("COALESCE({c}::text, 'NULL')"),
            // The text diesel writes for a timestamp on SQLite: fractions only when there are any.
            t if t.starts_with("timestamp") => format!(
                "COALESCE('''' || to_char({c}, 'YYYY-MM-DD HH24:MI:SS') || CASE WHEN to_char({c}, 'US') = '000000' THEN '' \
                 WHEN right(to_char({c}, 'US'), 3) = '000' THEN '.' || left(to_char({c}, 'US'), 3) \
                 ELSE '.' || to_char({c}, 'US') END || '''', 'NULL')"
            ),
            _ => format!("COALESCE('''' || replace({c}::text, '''', '''''') || '''', 'NULL')"),
        },
    }
}

/// A value as the target engine takes it.
fn write_expr(conn: &AnyConnection, column: &Column, value: &str) -> String {
    match conn {
        AnyConnection::Sqlite(_) => value.to_owned(),
        AnyConnection::Postgresql(_) => format!("CAST({value} AS {})", column.pg_type),
    }
}

fn read_chunk(from: &mut AnyConnection, table: &Table, after: Option<&str>) -> Result<Vec<Vec<String>>, CopyError> {
    let exprs: Vec<String> = table.columns.iter().map(|c| read_expr(from, c)).collect();
    let array = match from {
        AnyConnection::Sqlite(_) => format!("json_array({})", exprs.join(", ")),
        AnyConnection::Postgresql(_) => format!("json_build_array({})::text", exprs.join(", ")),
    };
    let mut sql = format!("SELECT {array} AS v FROM {}", quoted(&table.name));
    if let Some(pk) = table.pk {
        let key = quoted(&table.columns[pk].name);
        if let Some(after) = after {
            sql += &format!(" WHERE {key} > {}", write_expr(from, &table.columns[pk], after));
        }
        sql += &format!(" ORDER BY {key} LIMIT {CHUNK}");
    }
    diesel::sql_query(sql)
        .load::<Row>(from)?
        .into_iter()
        .map(|r| serde_json::from_str::<Vec<String>>(&r.v).map_err(|_| CopyError::Row(table.name.clone())))
        .collect()
}

fn insert(to: &mut AnyConnection, table: &Table, rows: &[Vec<String>]) -> QueryResult<()> {
    let names: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let values: Vec<String> = rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| write_expr(to, c, if table.deferred.contains(&i) { "NULL" } else { &row[i] }))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    let mut sql = format!("INSERT INTO {} ({}) VALUES {}", quoted(&table.name), names.join(", "), values.join(", "));
    if table.name == HEAD {
        let updates: Vec<String> = names.iter().map(|n| format!("{n} = excluded.{n}")).collect();
        sql += &format!(" ON CONFLICT (id) DO UPDATE SET {}", updates.join(", "));
    }
    diesel::sql_query(sql).execute(to).map(drop)
}

fn fill_deferred(to: &mut AnyConnection, table: &Table, row: &[String]) -> QueryResult<()> {
    let Some(pk) = table.pk else { return Ok(()) };
    let sets: Vec<String> = table
        .deferred
        .iter()
        .filter(|&&i| row[i] != "NULL")
        .map(|&i| format!("{} = {}", quoted(&table.columns[i].name), write_expr(to, &table.columns[i], &row[i])))
        .collect();
    if sets.is_empty() {
        return Ok(());
    }
    let key = &table.columns[pk];
    diesel::sql_query(format!(
        "UPDATE {} SET {} WHERE {} = {}",
        quoted(&table.name),
        sets.join(", "),
        quoted(&key.name),
        write_expr(to, key, &row[pk])
    ))
    .execute(to)
    .map(drop)
}
