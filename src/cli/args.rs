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
#[command(name = "kravia-invoice", version = VERSION, about, long_about = None)]
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
    /// Read a transaction from Dintero (capturing it with --capture), wait for
    /// Kravia's payment details, verify and render the invoice PDF.
    Fetch(FetchArgs),
    /// Render many invoices in parallel from a directory or an NDJSON stream.
    ///
    /// Writes `<invoice_number>.pdf` (characters other than A-Z a-z 0-9 . _ -
    /// become `_`; a name already used in the run gets -2, -3, … in input
    /// order) and never stops at a bad invoice. Exit status: 0 all rendered
    /// (or skipped); 2 any invoice failed; 1 the run could not start (brand,
    /// template, locale, input, output directory) or the input broke off;
    /// 130 stopped by Ctrl-C: what was read is finished, the summary so far is
    /// printed, no temporary file is left (--skip-existing resumes).
    Batch(BatchArgs),
    /// Run the HTTP API with an archive of every issued invoice.
    ///
    /// Every /v1 route needs `Authorization: Bearer $KRAVIA_INVOICE_API_KEY`;
    /// without the key serve starts only on a loopback address. SIGTERM or
    /// SIGINT finish the requests in flight and stop. With the Dintero
    /// credentials in the environment it also runs the after-capture
    /// pipeline at /v1/dintero/callback (capture once, render, archive,
    /// deliver; a credit note on a VOID): see ENVIRONMENT and the README.
    Serve(ServeArgs),
    /// Show and retry the after-capture jobs of `serve` (JSON on stdout).
    Jobs(JobsArgs),
    /// Verify a voided transaction's invoice and render its credit note PDF
    /// (kreditnota / kreditfaktura / hyvityslasku).
    ///
    /// Credits the whole invoice when the status is AUTHORIZATION_VOIDED, else
    /// what the newest successful VOID event voided (its items, or its amount
    /// split over the VAT rates). Exit status as `render`.
    CreditNote(CreditNoteArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// bash: `kravia-invoice completions bash > ~/.local/share/bash-completion/completions/kravia-invoice`;
    /// zsh: `kravia-invoice completions zsh > "${fpath[1]}/_kravia-invoice"`;
    /// fish: `kravia-invoice completions fish > ~/.config/fish/completions/kravia-invoice.fish`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write every page to a directory.
    ///
    /// `kravia-invoice man | man -l -` reads it; `kravia-invoice man render` is
    /// the page of one subcommand; `--out-dir DIR` writes kravia-invoice.1 and
    /// kravia-invoice-<command>.1 for installing under man1/.
    Man(ManArgs),
}

/// The documents of one invoice.
#[derive(Debug, Args)]
pub struct DocArgs {
    /// The transaction JSON (GET /v1/transactions/{id}; may embed the
    /// session), or a {"transaction": …, "session": …} document; `-` reads
    /// standard input.
    #[arg(long, value_name = "T.json|-")]
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
    /// Write a PDF/A-3 archive file (XMP metadata, sRGB output intent); a
    /// B2B invoice carries its e-invoice (UBL) as an attached file.
    #[arg(long)]
    pub pdfa: bool,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// When the goods or services were delivered (YYYY-MM-DD), printed as the
    /// delivery date; without it the invoice date is printed, with a warning.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub delivery_date: Option<chrono::NaiveDate>,
    /// Fail (exit 1, no PDF) instead of printing a replacement mark for a
    /// character that no font can draw.
    #[arg(long)]
    pub strict_glyphs: bool,
    /// Print the layout as text instead of writing a PDF (debugging).
    #[arg(long, hide = true)]
    pub dump_layout: bool,
    /// Also write the e-invoice (PEPPOL BIS Billing 3.0 / EHF UBL, with the PDF
    /// embedded) to FILE; both files are written or neither. B2B invoices only.
    #[arg(long, value_name = "FILE")]
    pub ubl: Option<PathBuf>,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The documents.
    #[command(flatten)]
    pub docs: DocArgs,
    /// The brand file; without it the seller checks are skipped (and the
    /// glyph check, which depends on the brand's fonts).
    #[arg(long, value_name = "B.toml")]
    pub brand: Option<PathBuf>,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Report a character that no font can draw (`glyph_replaced`) as an
    /// error (exit 2), as `render --strict-glyphs` refuses such an invoice.
    #[arg(long)]
    pub strict_glyphs: bool,
}

/// `fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The Dintero transaction id.
    #[arg(long, value_name = "ID")]
    pub transaction_id: String,
    /// Capture the transaction when collection has not started (never twice).
    #[arg(long)]
    pub capture: bool,
    /// The brand file (seller facts and look).
    #[arg(long, value_name = "B.toml")]
    pub brand: PathBuf,
    /// Where to write the PDF; `-` for stdout (JSON then goes to stderr).
    #[arg(long, value_name = "FILE|-")]
    pub output: PathBuf,
    /// The Checkout API base URL [default: $DINTERO_BASE_URL, else
    /// https://checkout.dintero.com/v1].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// How long to wait in all, in seconds: for a capture to settle and for
    /// Kravia's payment details.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub wait: u64,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// A directory (`*.json` files of the {"transaction", "session"} form, or
    /// folders with transaction.json and session.json, in name order) or an
    /// NDJSON file with one {"transaction", "session"} object a line (`-`: stdin).
    #[arg(long, value_name = "DIR|FILE.ndjson")]
    pub input: PathBuf,
    /// The brand file (seller facts and look), used for every invoice.
    #[arg(long, value_name = "B.toml")]
    pub brand: PathBuf,
    /// Where to write `<invoice_number>.pdf` (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// How many invoices to render at once [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Skip an invoice whose PDF already exists in --out-dir (to resume a run).
    #[arg(long)]
    pub skip_existing: bool,
    /// A template name (classic, compact) or a template file, for every invoice.
    #[arg(long, value_name = "NAME|FILE")]
    pub template: Option<String>,
    /// Label language and number/date format for every invoice: nb, sv, fi or en.
    #[arg(long, value_name = "nb|sv|fi|en")]
    pub locale: Option<String>,
    /// When the goods or services were delivered (YYYY-MM-DD), printed as the
    /// delivery date; without it the invoice date is printed, with a warning.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub delivery_date: Option<chrono::NaiveDate>,
    /// Fail (exit 1, no PDF) instead of printing a replacement mark for a
    /// character that no font can draw.
    #[arg(long)]
    pub strict_glyphs: bool,
    /// Print the summary as one JSON object on stdout (no progress bar).
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no summary on stderr (the exit status still tells).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write the e-invoice `<name>.xml` (PEPPOL BIS Billing 3.0 / EHF UBL,
    /// with the PDF embedded; a credit note's `CreditNote`) beside each PDF;
    /// both or neither per input.
    #[arg(long)]
    pub ubl: bool,
    /// Write PDF/A-3 archive files; a B2B invoice carries its e-invoice (UBL)
    /// as an attached file.
    #[arg(long)]
    pub pdfa: bool,
    /// Give a voided transaction (AUTHORIZATION_VOIDED, or with a successful
    /// VOID event) a credit note instead of an invoice, written as
    /// `<credit_number>.pdf`; the others get invoices as usual.
    #[arg(long, requires = "credit_number_prefix")]
    pub credit_notes: bool,
    /// The credit notes' numbers: this prefix and a counter over the voided
    /// inputs in input order (`KN-2026-` gives KN-2026-1, KN-2026-2, …).
    #[arg(long, value_name = "PREFIX", requires = "credit_notes")]
    pub credit_number_prefix: Option<String>,
    /// The counter's first value, to continue a series across runs.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "credit_notes")]
    pub credit_number_start: u64,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// The brand file (seller facts and look); without it /v1/render answers 503.
    #[arg(long, value_name = "B.toml")]
    pub brand: Option<PathBuf>,
    /// The database: a file path or sqlite: URL (created when missing), or a
    /// postgres:// URL.
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://kravia-invoice.sqlite"
    )]
    pub db: String,
    /// Log format on stderr.
    #[arg(long, value_name = "text|json", default_value = "text")]
    pub log_format: String,
    /// The largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 2 * 1024 * 1024)]
    pub body_limit: usize,
}

/// `jobs`.
#[derive(Debug, Args)]
pub struct JobsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: JobsAction,
    /// The database `serve` uses: a file path, a sqlite: URL or a postgres:// URL.
    #[arg(
        long,
        value_name = "URL",
        default_value = "sqlite://kravia-invoice.sqlite",
        global = true
    )]
    pub db: String,
}

/// `jobs list|show|retry`.
#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// The jobs, oldest first (at most 1,000), optionally in one state.
    List {
        /// capture, render, deliver, done, rejected, failed or voided.
        #[arg(long)]
        state: Option<String>,
    },
    /// One job with its history.
    Show {
        /// The Dintero transaction id.
        transaction_id: String,
    },
    /// Puts a failed or rejected job back to work.
    Retry {
        /// The Dintero transaction id.
        transaction_id: String,
    },
}

/// `credit-note`.
#[derive(Debug, Args)]
pub struct CreditNoteArgs {
    /// The documents of the voided transaction.
    #[command(flatten)]
    pub docs: DocArgs,
    /// The brand file (seller facts and look).
    #[arg(long, value_name = "B.toml")]
    pub brand: PathBuf,
    /// The credit note's own number (the seller's series); it must differ
    /// from the invoice number.
    #[arg(long, value_name = "N")]
    pub number: String,
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
    /// Also write the e-invoice credit note (PEPPOL BIS Billing 3.0 / EHF UBL
    /// `CreditNote` 381 referencing the invoice, with the PDF embedded) to
    /// FILE; both files are written or neither. B2B only.
    #[arg(long, value_name = "FILE")]
    pub ubl: Option<PathBuf>,
}

/// `--version`: the crate version, and the git commit when built from a
/// checkout (set by build.rs).
pub const VERSION: &str = env!("KRAVIA_INVOICE_VERSION");

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page of this subcommand (render, check, fetch, batch, …) instead of
    /// the main page.
    #[arg(value_name = "COMMAND", conflicts_with = "out_dir")]
    pub command: Option<String>,
    /// Write every page (kravia-invoice.1 and kravia-invoice-<command>.1) into
    /// this directory instead of printing one.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}
