//! The answer of a decision over a list of cases (a branch meeting's admissions, a branch's
//! evaluations), in one line: how many went through, and each refused case with why.

use shared::api::batch::BatchOutcome;

/// "N <done>", then "name: why" for each case refused (`name_of` names a case by its id).
pub fn summary(results: &[BatchOutcome], name_of: impl Fn(i64) -> String, done: &str) -> String {
    let failed: Vec<String> =
        results.iter().filter_map(|r| r.problem.as_ref().map(|p| format!("{}: {}", name_of(r.id), p.title))).collect();
    let text = format!("{} {done}", results.len() - failed.len());
    match failed.is_empty() {
        true => text,
        false => format!("{text} · {}", failed.join("; ")),
    }
}
