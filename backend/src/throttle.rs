//! Throttling of failed sign-ins and of look-ups that reveal people. The counts live in the
//! database (`throttle_windows`), so several servers on one PostgreSQL count the same failures
//! and a restart forgives nothing; what the counts mean is decided here, over a `Store`.
//!
//! Sign-ins (OWASP's guidance on brute force without locking the owner out):
//! - per (login, client address) pair: `FREE_PER_PAIR` failures, then each attempt waits for a
//!   delay that doubles with every further failure (from `BACKOFF_BASE` up to `BACKOFF_MAX`);
//! - per login, from devices that have not signed in to it before: the same backoff after
//!   `FREE_PER_LOGIN` failures, so guessing one account from many addresses slows down. A device
//!   that signed in to the login before (its device cookie, `auth::TokenKeys::issue_device`) is
//!   not held back by the login's or the address's failures, only by its own
//!   (`FREE_PER_PAIR` and the backoff again), so the owner still signs in during an attack;
//! - per client address: `FAILURES_PER_ADDRESS` failures in `WINDOW`, a ceiling high enough for
//!   a carrier-grade NAT, after which devices new to their login wait for the window's end.
//!
//! A success forgets its pair's and its device's failures, not the login's (a successful owner
//! would otherwise reset an attacker's count).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::QueryResult;
use std::time::Duration;

/// Failures of one (login, address) pair, or one known device, before the backoff starts: the
/// next attempt waits `BACKOFF_BASE`, and the wait doubles with each further failure.
pub const FREE_PER_PAIR: u32 = 5;
/// Failures of one login from devices new to it before the backoff starts.
pub const FREE_PER_LOGIN: u32 = 10;
/// Failures from one client address in one window before it is refused (devices new to their login).
pub const FAILURES_PER_ADDRESS: u32 = 1_000;
/// The first delay once the free failures are used up; it doubles with each further failure.
pub const BACKOFF_BASE: Duration = Duration::from_secs(30);
/// The longest delay.
pub const BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);
/// How long failures are remembered (and the address window).
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Every this many failures, windows past their end are deleted.
const PURGE_EVERY: u32 = 512;

/// One key's failures: when its window started, the last one, how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub started: NaiveDateTime,
    pub last: NaiveDateTime,
    pub failures: u32,
}

/// Where windows are kept: the database (`AnyConnection`), or memory in unit tests.
pub trait Store {
    /// The windows of `keys` that started at or after `since`.
    fn live(&mut self, keys: &[&str], since: NaiveDateTime) -> QueryResult<Vec<(String, Window)>>;
    /// One more failure of `key` at `now`, in a new window if its own started before `since`.
    fn add(&mut self, key: &str, now: NaiveDateTime, since: NaiveDateTime) -> QueryResult<()>;
    /// Forgets `key`.
    fn remove(&mut self, key: &str) -> QueryResult<()>;
    /// Forgets windows that started before `before`.
    fn purge(&mut self, before: NaiveDateTime) -> QueryResult<()>;
}

impl Store for crate::db::AnyConnection {
    fn live(&mut self, keys: &[&str], since: NaiveDateTime) -> QueryResult<Vec<(String, Window)>> {
        let rows = crate::db::throttle::live(self, keys, since)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let failures = u32::try_from(r.failures).unwrap_or(0);
                (r.key, Window { started: r.started_at, last: r.last_at, failures })
            })
            .collect())
    }

    fn add(&mut self, key: &str, now: NaiveDateTime, since: NaiveDateTime) -> QueryResult<()> {
        crate::db::throttle::add(self, key, now, since)
    }

    fn remove(&mut self, key: &str) -> QueryResult<()> {
        crate::db::throttle::remove(self, key).map(drop)
    }

    fn purge(&mut self, before: NaiveDateTime) -> QueryResult<()> {
        crate::db::throttle::purge(self, before).map(drop)
    }
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// Seconds until `until`, at least 1.
fn seconds(now: NaiveDateTime, until: NaiveDateTime) -> u64 {
    u64::try_from((until - now).num_seconds()).unwrap_or(0).max(1)
}

/// Seconds still to wait under a backoff after `free` failures, if any.
fn backoff_wait(w: Option<Window>, free: u32, now: NaiveDateTime) -> Option<u64> {
    let w = w?;
    let extra = w.failures.checked_sub(free)?;
    let delay = delta(BACKOFF_BASE.saturating_mul(1 << extra.min(10)).min(BACKOFF_MAX));
    (now - w.last < delay).then(|| seconds(now, w.last + delay))
}

/// The windows of `keys` still running at `now`, by key.
fn windows<S: Store + ?Sized>(store: &mut S, keys: &[&str], now: NaiveDateTime) -> QueryResult<Vec<(String, Window)>> {
    store.live(keys, now - delta(WINDOW))
}

fn find(found: &[(String, Window)], key: &str) -> Option<Window> {
    found.iter().find(|(k, _)| k == key).map(|(_, w)| *w)
}

/// Who is signing in: the login, the client address, and the device if it signed in to this
/// login before (the id its device cookie carries).
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub login: &'a str,
    pub address: &'a str,
    pub device: Option<&'a str>,
}

impl Attempt<'_> {
    fn pair(&self) -> String {
        match self.device {
            Some(device) => format!("device:{device}:{}", self.login),
            None => format!("pair:{}:{}", self.login, self.address),
        }
    }

    fn login_key(&self) -> String {
        format!("login:{}", self.login)
    }

    fn address_key(&self) -> String {
        format!("addr:{}", self.address)
    }
}

/// Counts failed sign-ins and refuses attempts past the limits.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    /// Failures counted by this process, to purge expired windows now and then.
    failures: std::sync::atomic::AtomicU32,
}

impl LoginThrottle {
    /// `Ok(Err(seconds to wait))` if this attempt must wait.
    pub fn check<S: Store + ?Sized>(
        &self,
        store: &mut S,
        a: &Attempt<'_>,
        now: NaiveDateTime,
    ) -> QueryResult<Result<(), u64>> {
        let (pair, login, address) = (a.pair(), a.login_key(), a.address_key());
        let found = windows(store, &[&pair, &login, &address], now)?;
        let wait_pair = backoff_wait(find(&found, &pair), FREE_PER_PAIR, now);
        let others = match a.device {
            Some(_) => None,
            None => {
                let address = find(&found, &address)
                    .filter(|w| w.failures >= FAILURES_PER_ADDRESS)
                    .map(|w| seconds(now, w.started + delta(WINDOW)));
                backoff_wait(find(&found, &login), FREE_PER_LOGIN, now).max(address)
            }
        };
        Ok(wait_pair.max(others).map_or(Ok(()), Err))
    }

    /// Records a failed attempt.
    pub fn fail<S: Store + ?Sized>(&self, store: &mut S, a: &Attempt<'_>, now: NaiveDateTime) -> QueryResult<()> {
        let since = now - delta(WINDOW);
        store.add(&a.pair(), now, since)?;
        if a.device.is_none() {
            store.add(&a.login_key(), now, since)?;
            store.add(&a.address_key(), now, since)?;
        }
        if self.failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
            store.purge(since)?;
        }
        Ok(())
    }

    /// Forgets the pair's (or the device's) failures after a successful sign-in.
    pub fn succeed<S: Store + ?Sized>(&self, store: &mut S, a: &Attempt<'_>) -> QueryResult<()> {
        store.remove(&a.pair())
    }
}

/// Look-ups allowed per caller in one window (`WINDOW`).
pub const LOOKUPS_PER_CALLER: u32 = 20;

/// Counts every look-up of a person (found or not) per caller, and refuses past the limit.
#[derive(Debug, Default)]
pub struct LookupThrottle;

impl LookupThrottle {
    /// Counts one look-up by `caller`, or `Ok(Err(seconds to wait))` when they used up the window's.
    pub fn hit<S: Store + ?Sized>(
        &self,
        store: &mut S,
        caller: i64,
        now: NaiveDateTime,
    ) -> QueryResult<Result<(), u64>> {
        let key = format!("lookup:{caller}");
        match find(&windows(store, &[&key], now)?, &key) {
            Some(w) if w.failures >= LOOKUPS_PER_CALLER => Ok(Err(seconds(now, w.started + delta(WINDOW)))),
            _ => store.add(&key, now, now - delta(WINDOW)).map(Ok),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Windows in memory, and a clock that stands still.
    struct Memory {
        windows: HashMap<String, Window>,
        now: NaiveDateTime,
    }

    impl Store for Memory {
        fn live(&mut self, keys: &[&str], since: NaiveDateTime) -> QueryResult<Vec<(String, Window)>> {
            Ok(keys
                .iter()
                .filter_map(|k| self.windows.get(*k).filter(|w| w.started >= since).map(|w| (k.to_string(), *w)))
                .collect())
        }

        fn add(&mut self, key: &str, now: NaiveDateTime, since: NaiveDateTime) -> QueryResult<()> {
            let w = self.windows.entry(key.to_owned()).or_insert(Window { started: now, last: now, failures: 0 });
            if w.started < since {
                *w = Window { started: now, last: now, failures: 0 };
            }
            w.failures += 1;
            w.last = now;
            Ok(())
        }

        fn remove(&mut self, key: &str) -> QueryResult<()> {
            self.windows.remove(key);
            Ok(())
        }

        fn purge(&mut self, before: NaiveDateTime) -> QueryResult<()> {
            self.windows.retain(|_, w| w.started >= before);
            Ok(())
        }
    }

    /// A throttle over memory.
    struct T {
        login: LoginThrottle,
        store: Memory,
    }

    impl T {
        fn new() -> T {
            let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(8, 0, 0).unwrap();
            T { login: LoginThrottle::default(), store: Memory { windows: HashMap::new(), now } }
        }
        fn check(&mut self, a: &Attempt<'_>) -> Result<(), u64> {
            let now = self.store.now;
            self.login.check(&mut self.store, a, now).unwrap()
        }
        fn fail(&mut self, a: &Attempt<'_>) {
            let now = self.store.now;
            self.login.fail(&mut self.store, a, now).unwrap()
        }
        fn succeed(&mut self, a: &Attempt<'_>) {
            self.login.succeed(&mut self.store, a).unwrap()
        }
    }

    fn at<'a>(login: &'a str, address: &'a str) -> Attempt<'a> {
        Attempt { login, address, device: None }
    }

    #[test]
    fn a_pair_backs_off_after_its_free_failures_and_others_still_pass() {
        let mut t = T::new();
        let a = at("a@b.vn", "1.2.3.4");
        for _ in 0..FREE_PER_PAIR {
            assert!(t.check(&a).is_ok());
            t.fail(&a);
        }
        let wait = t.check(&a).unwrap_err();
        assert!(wait > 0 && wait <= BACKOFF_BASE.as_secs(), "{wait}");
        assert!(t.check(&at("other@b.vn", "1.2.3.4")).is_ok(), "other logins from the address still pass");
        assert!(t.check(&at("a@b.vn", "5.6.7.8")).is_ok(), "the login from another address still passes");
        t.succeed(&a);
        assert!(t.check(&a).is_ok());
    }

    #[test]
    fn the_delay_doubles_and_is_capped_and_the_window_ends() {
        let now = T::new().store.now;
        let w = |failures| Some(Window { started: now, last: now, failures });
        assert_eq!(backoff_wait(w(4), 5, now), None);
        assert_eq!(backoff_wait(w(5), 5, now), Some(30));
        assert_eq!(backoff_wait(w(6), 5, now), Some(60));
        assert_eq!(backoff_wait(w(40), 5, now), Some(BACKOFF_MAX.as_secs()));
        assert_eq!(backoff_wait(w(5), 5, now + TimeDelta::seconds(31)), None, "the delay has passed");

        let mut t = T::new();
        let a = at("a@b.vn", "1.2.3.4");
        for _ in 0..FREE_PER_PAIR + 3 {
            t.fail(&a);
        }
        assert!(t.check(&a).is_err());
        t.store.now += delta(WINDOW) + TimeDelta::seconds(1);
        assert!(t.check(&a).is_ok(), "failures are forgotten when their window ends");
        t.fail(&a);
        assert_eq!(t.store.windows["pair:a@b.vn:1.2.3.4"].failures, 1, "a failure after the window starts a new one");
    }

    #[test]
    fn a_known_device_is_not_held_back_by_the_logins_or_the_addresss_failures() {
        let mut t = T::new();
        for i in 0..FREE_PER_LOGIN {
            t.fail(&at("a@b.vn", &format!("10.0.0.{i}")));
        }
        assert!(t.check(&at("a@b.vn", "10.9.9.9")).is_err(), "a new device waits once the login is under attack");
        let known = Attempt { login: "a@b.vn", address: "10.9.9.9", device: Some("d1") };
        assert!(t.check(&known).is_ok());
        for _ in 0..FREE_PER_PAIR {
            t.fail(&known);
        }
        assert!(t.check(&known).is_err(), "a stolen device cookie does not guess freely");
    }

    #[test]
    fn an_address_is_refused_only_past_a_ceiling_fit_for_a_shared_nat() {
        let mut t = T::new();
        for i in 0..FAILURES_PER_ADDRESS {
            let login = format!("user{i}@b.vn");
            assert!(t.check(&at(&login, "100.64.0.1")).is_ok(), "failure {i}");
            t.fail(&at(&login, "100.64.0.1"));
        }
        assert!(t.check(&at("fresh@b.vn", "100.64.0.1")).is_err());
        let known = Attempt { login: "fresh@b.vn", address: "100.64.0.1", device: Some("d2") };
        assert!(t.check(&known).is_ok(), "a device that signed in before still gets through");
    }

    #[test]
    fn lookups_are_counted_per_caller() {
        let mut store = T::new().store;
        let now = store.now;
        for _ in 0..LOOKUPS_PER_CALLER {
            assert!(LookupThrottle.hit(&mut store, 1, now).unwrap().is_ok());
        }
        assert!(LookupThrottle.hit(&mut store, 1, now).unwrap().is_err());
        assert!(LookupThrottle.hit(&mut store, 2, now).unwrap().is_ok());
    }
}
