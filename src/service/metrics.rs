//! Prometheus metrics, written as text by hand (a few counters and one
//! histogram do not need a crate).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the render latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 5.0,
];

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    render_buckets: [AtomicU64; BUCKETS.len()],
    render_count: AtomicU64,
    render_sum_micros: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &str, status: u16) {
        let mut m = self
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *m.entry((route.to_string(), status)).or_default() += 1;
    }

    /// Records one render (verify + layout + PDF) duration.
    pub fn render(&self, took: Duration) {
        let secs = took.as_secs_f64();
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                self.render_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.render_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.render_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The text exposition, with the archive size and the jobs by state.
    pub fn render_text(&self, archive: Option<(i64, i64)>, jobs: &[(String, i64)]) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP kravia_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE kravia_http_requests_total counter\n");
        {
            let m = self
                .requests
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "kravia_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP kravia_render_seconds Time to verify and render one invoice.\n");
        out.push_str("# TYPE kravia_render_seconds histogram\n");
        for (i, le) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "kravia_render_seconds_bucket{{le=\"{le}\"}} {}",
                self.render_buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.render_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "kravia_render_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.render_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "kravia_render_seconds_sum {sum}");
        let _ = writeln!(out, "kravia_render_seconds_count {count}");
        if let Some((n, bytes)) = archive {
            out.push_str("# HELP kravia_archive_invoices Invoices in the archive.\n");
            out.push_str("# TYPE kravia_archive_invoices gauge\n");
            let _ = writeln!(out, "kravia_archive_invoices {n}");
            out.push_str("# HELP kravia_archive_bytes Bytes of PDF in the archive.\n");
            out.push_str("# TYPE kravia_archive_bytes gauge\n");
            let _ = writeln!(out, "kravia_archive_bytes {bytes}");
        }
        if !jobs.is_empty() {
            out.push_str("# HELP kravia_jobs Jobs by state.\n");
            out.push_str("# TYPE kravia_jobs gauge\n");
            for (state, n) in jobs {
                let _ = writeln!(out, "kravia_jobs{{state=\"{}\"}} {n}", escape(state));
            }
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.render(Duration::from_micros(700));
        m.render(Duration::from_millis(30));
        m.request("/v1/render", 200);
        m.request("/v1/render", 200);
        let t = m.render_text(Some((2, 100)), &[("done".into(), 3)]);
        assert!(
            t.contains("kravia_render_seconds_bucket{le=\"0.0005\"} 0"),
            "{t}"
        );
        assert!(
            t.contains("kravia_render_seconds_bucket{le=\"0.001\"} 1"),
            "{t}"
        );
        assert!(
            t.contains("kravia_render_seconds_bucket{le=\"0.05\"} 2"),
            "{t}"
        );
        assert!(t.contains("kravia_render_seconds_count 2"), "{t}");
        assert!(t.contains("kravia_http_requests_total{route=\"/v1/render\",status=\"200\"} 2"));
        assert!(t.contains("kravia_archive_invoices 2"));
        assert!(t.contains("kravia_jobs{state=\"done\"} 3"));
    }
}
