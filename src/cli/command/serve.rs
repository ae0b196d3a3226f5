//! `serve`: the HTTP API and the invoice archive (see `kravia_invoice::service`).

use kravia_invoice::service::{self, API_KEY_VAR, Config, LogFormat};

use crate::cli::args::ServeArgs;
use crate::cli::exit::Outcome;
use crate::cli::output::Printer;

/// Runs `serve` until SIGTERM or SIGINT.
pub fn run(args: &ServeArgs, out: &mut Printer) -> Outcome {
    let log_format = match args.log_format.trim() {
        "text" => LogFormat::Text,
        "json" => LogFormat::Json,
        other => {
            return out.fatal(
                false,
                &format!("--log-format: {other:?} is not text or json"),
            );
        }
    };
    let config = Config {
        listen: args.listen,
        brand: args.brand.clone(),
        db: args.db.clone(),
        api_key: std::env::var(API_KEY_VAR).ok(),
        log_format,
        body_limit: args.body_limit,
    };
    match service::run(config) {
        Ok(()) => Outcome::Done,
        Err(e) => out.fatal(false, &e.to_string()),
    }
}
