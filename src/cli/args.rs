//! Command-line arguments (clap types only; commands take resolved options).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Verify Dintero Checkout Kravia transactions against their session and render
/// the invoice PDF (Norway, Sweden, Finland).
///
/// Exit status: 0 done; 2 the documents disagree or a payment detail is invalid
/// (no PDF is written); 1 anything else (usage, unreadable or malformed input,
/// I/O, network).
#[derive(Debug, Parser)]
#[command(name = "kravia-invoice", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify the documents and render the invoice PDF.
    Render(RenderArgs),
    /// Verify the documents without rendering; report every problem.
    Check(CheckArgs),
}

/// The documents of one invoice.
#[derive(Debug, Args)]
pub struct DocArgs {
    /// The transaction JSON (GET /v1/transactions/{id}); may embed the session.
    #[arg(long, value_name = "T.json")]
    pub transaction: PathBuf,
    /// The session JSON (GET /v1/sessions/{id}); wins over an embedded session.
    #[arg(long, value_name = "S.json")]
    pub session: Option<PathBuf>,
}

/// `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The documents.
    #[command(flatten)]
    pub docs: DocArgs,
    /// The brand file (seller facts and look).
    #[arg(long, value_name = "B.toml")]
    pub brand: PathBuf,
    /// A template name (classic, compact) or a template file.
    #[arg(long, value_name = "NAME|FILE")]
    pub template: Option<String>,
    /// Label language and number/date format: nb, sv, fi or en.
    #[arg(long, value_name = "nb|sv|fi|en")]
    pub locale: Option<String>,
    /// Where to write the PDF; `-` for stdout (JSON then goes to stderr).
    #[arg(long, value_name = "FILE|-")]
    pub output: PathBuf,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print the layout as text instead of writing a PDF (debugging).
    #[arg(long, hide = true)]
    pub dump_layout: bool,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The documents.
    #[command(flatten)]
    pub docs: DocArgs,
    /// The brand file; without it the seller checks are skipped.
    #[arg(long, value_name = "B.toml")]
    pub brand: Option<PathBuf>,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
}
