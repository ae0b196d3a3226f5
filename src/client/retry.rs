//! When and how long to wait before trying a read again.

use std::time::{Duration, SystemTime};

/// How reads are retried: on 429 (after `Retry-After`), 5xx, timeouts and
/// connection errors, with exponential backoff capped at `max_delay`.
///
/// ```
/// use std::time::Duration;
/// use kravia_invoice::client::RetryPolicy;
/// let p = RetryPolicy::default();
/// assert_eq!(p.delay(1), Duration::from_millis(500));
/// assert_eq!(p.delay(2), Duration::from_secs(1));
/// assert_eq!(p.delay(10), Duration::from_secs(8));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1; default 4).
    pub attempts: u32,
    /// The pause before the first retry; each further retry doubles it
    /// (default 500 ms).
    pub base_delay: Duration,
    /// The longest backoff pause (default 8 s).
    pub max_delay: Duration,
    /// The longest pause for a `Retry-After` header; a longer one is cut to
    /// this (default 60 s).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The backoff before retry number `retry` (1 for the first retry).
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(20));
        self.base_delay
            .saturating_mul(factor)
            .min(self.max_delay.max(self.base_delay))
    }

    /// The pause before retry number `retry`: `Retry-After` when the server
    /// gave one (at most `max_retry_after`), else the backoff.
    pub(crate) fn pause(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(d) => d.min(self.max_retry_after),
            None => self.delay(retry),
        }
    }

    /// [`pause`](Self::pause), when it fits in `left`; `None` when the server
    /// asks for (or the backoff would take) longer than the time left.
    pub(crate) fn pause_within(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        left: Duration,
    ) -> Option<Duration> {
        let wanted = match retry_after {
            Some(d) => d,
            None => self.delay(retry),
        };
        (wanted <= left && wanted <= self.max_retry_after).then_some(wanted)
    }

    /// Attempts in all, at least one.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts.max(1)
    }
}

/// Reads a `Retry-After` value: delay seconds, or an HTTP date (a date in the
/// past means now).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = u64::try_from(date.timestamp()).ok()?;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retry_after_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.pause(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
        assert_eq!(p.pause(1, None), p.base_delay);
    }

    #[test]
    fn retry_after_longer_than_the_wait_is_not_waited_for() {
        let p = RetryPolicy::default();
        let hour = Some(Duration::from_secs(3600));
        assert_eq!(p.pause_within(1, hour, Duration::from_secs(5)), None);
        assert_eq!(p.pause_within(1, hour, Duration::from_secs(7200)), None);
        assert_eq!(
            p.pause_within(1, Some(Duration::from_secs(2)), Duration::from_secs(5)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            p.pause_within(1, None, Duration::from_secs(5)),
            Some(p.base_delay)
        );
        assert_eq!(p.pause_within(1, None, Duration::ZERO), None);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy {
            attempts: 9,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(700),
            max_retry_after: Duration::from_secs(1),
        };
        let d: Vec<u128> = (1..=5).map(|r| p.delay(r).as_millis()).collect();
        assert_eq!(d, [100, 200, 400, 700, 700]);
        assert_eq!(p.delay(u32::MAX).as_millis(), 700);
    }
}
