//! Throttling of failed sign-ins and of look-ups that reveal people, in memory (one process is
//! the whole product; a restart forgives).
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

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    last: Instant,
    failures: u32,
}

/// Counters of failures by key, each forgotten `WINDOW` after it started.
#[derive(Debug, Default)]
struct Counters {
    windows: Mutex<HashMap<String, Window>>,
}

impl Counters {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, Window>, Instant) -> T) -> T {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut windows, now)
    }

    fn live(windows: &HashMap<String, Window>, key: &str, now: Instant) -> Option<Window> {
        windows.get(key).copied().filter(|w| now.duration_since(w.started) < WINDOW)
    }

    fn add(windows: &mut HashMap<String, Window>, key: String, now: Instant) {
        if windows.len() > MAX_KEYS {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        let w = windows.entry(key).or_insert(Window { started: now, last: now, failures: 0 });
        if now.duration_since(w.started) >= WINDOW {
            *w = Window { started: now, last: now, failures: 0 };
        }
        w.failures += 1;
        w.last = now;
    }
}

/// Seconds still to wait under a backoff after `free` failures, if any.
fn backoff_wait(w: Option<Window>, free: u32, now: Instant) -> Option<u64> {
    let extra = w?.failures.checked_sub(free)?;
    let w = w?;
    let delay = BACKOFF_BASE.saturating_mul(1 << extra.min(10)).min(BACKOFF_MAX);
    let waited = now.duration_since(w.last);
    (waited < delay).then(|| (delay - waited).as_secs().max(1))
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
}

/// Counts failed sign-ins and refuses attempts past the limits.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    counters: Counters,
}

impl LoginThrottle {
    /// `Err(seconds to wait)` if this attempt must wait.
    pub fn check(&self, a: &Attempt<'_>) -> Result<(), u64> {
        self.counters.with(|windows, now| {
            let pair = backoff_wait(Counters::live(windows, &a.pair(), now), FREE_PER_PAIR, now);
            let others = match a.device {
                Some(_) => None,
                None => {
                    let login = Counters::live(windows, &format!("login:{}", a.login), now);
                    let address = Counters::live(windows, &format!("addr:{}", a.address), now)
                        .filter(|w| w.failures >= FAILURES_PER_ADDRESS)
                        .map(|w| (WINDOW - now.duration_since(w.started)).as_secs().max(1));
                    backoff_wait(login, FREE_PER_LOGIN, now).max(address)
                }
            };
            pair.max(others).map_or(Ok(()), Err)
        })
    }

    /// Records a failed attempt.
    pub fn fail(&self, a: &Attempt<'_>) {
        self.counters.with(|windows, now| {
            Counters::add(windows, a.pair(), now);
            if a.device.is_none() {
                Counters::add(windows, format!("login:{}", a.login), now);
                Counters::add(windows, format!("addr:{}", a.address), now);
            }
        })
    }

    /// Forgets the pair's (or the device's) failures after a successful sign-in.
    pub fn succeed(&self, a: &Attempt<'_>) {
        self.counters.with(|windows, _| windows.remove(&a.pair()));
    }
}

/// Look-ups allowed per caller in one window (`WINDOW`).
pub const LOOKUPS_PER_CALLER: u32 = 20;

/// Counts every look-up of a person (found or not) per caller, and refuses past the limit.
#[derive(Debug, Default)]
pub struct LookupThrottle {
    counters: Counters,
}

impl LookupThrottle {
    /// Counts one look-up by `caller`, or `Err(seconds to wait)` when they used up the window's.
    pub fn hit(&self, caller: i64) -> Result<(), u64> {
        let key = format!("lookup:{caller}");
        self.counters.with(|windows, now| match Counters::live(windows, &key, now) {
            Some(w) if w.failures >= LOOKUPS_PER_CALLER => {
                Err((WINDOW - now.duration_since(w.started)).as_secs().max(1))
            }
            _ => {
                Counters::add(windows, key, now);
                Ok(())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(login: &'a str, address: &'a str) -> Attempt<'a> {
        Attempt { login, address, device: None }
    }

    #[test]
    fn a_pair_backs_off_after_its_free_failures_and_others_still_pass() {
        let t = LoginThrottle::default();
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
    fn the_delay_doubles_and_is_capped() {
        let now = Instant::now();
        let w = |failures| Some(Window { started: now, last: now, failures });
        assert_eq!(backoff_wait(w(4), 5, now), None);
        assert_eq!(backoff_wait(w(5), 5, now), Some(30));
        assert_eq!(backoff_wait(w(6), 5, now), Some(60));
        assert_eq!(backoff_wait(w(40), 5, now), Some(BACKOFF_MAX.as_secs()));
    }

    #[test]
    fn a_known_device_is_not_held_back_by_the_logins_or_the_addresss_failures() {
        let t = LoginThrottle::default();
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
        let t = LoginThrottle::default();
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
        let t = LookupThrottle::default();
        for _ in 0..LOOKUPS_PER_CALLER {
            assert!(t.hit(1).is_ok());
        }
        assert!(t.hit(1).is_err());
        assert!(t.hit(2).is_ok());
    }
}
