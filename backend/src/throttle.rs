//! Throttling of failed sign-ins, per login and per client address, and of look-ups that
//! reveal people, per caller, in fixed windows.
//! In memory: one process is the whole product; a restart forgives.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per login in one window; the next attempt is refused.
pub const FAILURES_PER_LOGIN: u32 = 5;
/// Failures allowed per client address in one window.
pub const FAILURES_PER_ADDRESS: u32 = 50;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

/// Counts failures and refuses attempts past the limits.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    windows: Mutex<HashMap<String, Window>>,
}

impl LoginThrottle {
    fn keys(login: &str, address: &str) -> [(String, u32); 2] {
        [(format!("login:{login}"), FAILURES_PER_LOGIN), (format!("addr:{address}"), FAILURES_PER_ADDRESS)]
    }

    /// `Err(seconds to wait)` if this login or address has used up its failures.
    pub fn check(&self, login: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let wait = Self::keys(login, address)
            .iter()
            .filter_map(|(key, limit)| {
                let w = windows.get(key)?;
                let elapsed = now.duration_since(w.started);
                (elapsed < WINDOW && w.failures >= *limit).then(|| (WINDOW - elapsed).as_secs().max(1))
            })
            .max();
        wait.map_or(Ok(()), Err)
    }

    /// Records a failed attempt.
    pub fn fail(&self, login: &str, address: &str) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > MAX_KEYS {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        for (key, _) in Self::keys(login, address) {
            let w = windows.entry(key).or_insert(Window { started: now, failures: 0 });
            if now.duration_since(w.started) >= WINDOW {
                *w = Window { started: now, failures: 0 };
            }
            w.failures += 1;
        }
    }

    /// Forgets a login's failures after a successful sign-in.
    pub fn succeed(&self, login: &str) {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).remove(&format!("login:{login}"));
    }
}

/// Look-ups allowed per caller in one window (`WINDOW`).
pub const LOOKUPS_PER_CALLER: u32 = 20;

/// Counts every look-up of a person (found or not) per caller, and refuses past the limit.
#[derive(Debug, Default)]
pub struct LookupThrottle {
    windows: Mutex<HashMap<i64, Window>>,
}

impl LookupThrottle {
    /// Counts one look-up by `caller`, or `Err(seconds to wait)` when they used up the window's.
    pub fn hit(&self, caller: i64) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > MAX_KEYS {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        let w = windows.entry(caller).or_insert(Window { started: now, failures: 0 });
        if now.duration_since(w.started) >= WINDOW {
            *w = Window { started: now, failures: 0 };
        }
        if w.failures >= LOOKUPS_PER_CALLER {
            return Err((WINDOW - now.duration_since(w.started)).as_secs().max(1));
        }
        w.failures += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_after_five_failures_is_refused() {
        let t = LoginThrottle::default();
        for _ in 0..FAILURES_PER_LOGIN {
            assert!(t.check("a@b.vn", "1.2.3.4").is_ok());
            t.fail("a@b.vn", "1.2.3.4");
        }
        let wait = t.check("a@b.vn", "1.2.3.4").unwrap_err();
        assert!(wait > 0 && wait <= WINDOW.as_secs());
        assert!(t.check("other@b.vn", "1.2.3.4").is_ok(), "other logins from the address still pass");
        t.succeed("a@b.vn");
        assert!(t.check("a@b.vn", "1.2.3.4").is_ok());
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
