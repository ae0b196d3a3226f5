//! `man`: the man pages (roff) from the clap definitions, so they never
//! disagree with `--help`.

use clap::CommandFactory;

use kravia_invoice::error::{Error, ErrorKind, ResultExt};

use crate::cli::args::{Cli, ManArgs, VERSION};
use crate::cli::exit::Outcome;
use crate::cli::output::{Printer, write_atomic};

/// Runs `man`: one page on stdout, or every page into `--out-dir`.
pub fn run(args: &ManArgs, out: &mut Printer) -> Outcome {
    match pages(args) {
        Ok(None) => Outcome::Done,
        Ok(Some(page)) => match out.stdout_bytes(&page) {
            Ok(()) => Outcome::Done,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Done,
            Err(e) => out.fatal(false, &format!("writing the man page: {e}")),
        },
        Err(e) => out.fatal(false, &e),
    }
}

/// The page to print, or `None` when every page was written to `--out-dir`.
fn pages(args: &ManArgs) -> Result<Option<Vec<u8>>, Error> {
    let mut cli = Cli::command();
    // Gives the subcommands their display names (`kravia-invoice-render`),
    // which their pages are titled and the main page refers to.
    cli.build();
    let subcommands: Vec<clap::Command> = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .cloned()
        .collect();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(ErrorKind::Output, || {
            format!("--out-dir {}: cannot create the directory", dir.display())
        })?;
        write_atomic(&dir.join("kravia-invoice.1"), &main_page(cli)?)?;
        for cmd in subcommands {
            let man = sub_page(cmd);
            write_atomic(&dir.join(man.get_filename()), &render(&man)?)?;
        }
        return Ok(None);
    }
    let cmd = match &args.command {
        None => return main_page(cli).map(Some),
        Some(name) => subcommands
            .into_iter()
            .find(|c| c.get_name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = cli
                    .get_subcommands()
                    .filter(|c| !c.is_hide_set())
                    .map(clap::Command::get_name)
                    .collect();
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "man {name}: no such command; the pages are: {}",
                        names.join(", ")
                    ),
                )
            })?,
    };
    render(&sub_page(cmd)).map(Some)
}

/// A subcommand's page, its footer naming the program and version.
fn sub_page(cmd: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd).source(format!("kravia-invoice {VERSION}"))
}

/// The main page: clap's sections, then the exit status and the environment.
fn main_page(cli: clap::Command) -> Result<Vec<u8>, Error> {
    use clap_mangen::roff::{Roff, bold, roman};
    let man = clap_mangen::Man::new(cli);
    let mut page = Vec::new();
    let io = |r: std::io::Result<()>| r.context(ErrorKind::Output, "rendering the man page");
    io(man.render_title(&mut page))?;
    io(man.render_name_section(&mut page))?;
    io(man.render_synopsis_section(&mut page))?;
    io(man.render_description_section(&mut page))?;
    io(man.render_options_section(&mut page))?;
    io(man.render_subcommands_section(&mut page))?;
    let mut roff = Roff::default();
    let items = |roff: &mut Roff, heading: &str, entries: &[(&str, &str)]| {
        roff.control("SH", [heading]);
        for (term, text) in entries {
            roff.control("TP", []);
            roff.text([bold(*term)]);
            roff.text([roman(*text)]);
        }
    };
    items(
        &mut roff,
        "EXIT STATUS",
        &[
            ("0", "Done."),
            (
                "1",
                "Anything else: usage errors, unreadable or malformed input or brand file, I/O, network.",
            ),
            (
                "2",
                "The documents disagree or a payment detail is invalid; no PDF is written (batch: any invoice failed).",
            ),
            (
                "130",
                "batch was interrupted (Ctrl-C, SIGTERM or SIGHUP): the invoices in progress were finished, no temporary file is left, and the summary so far was printed.",
            ),
        ],
    );
    items(
        &mut roff,
        "ENVIRONMENT",
        &[
            (
                "DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID, DINTERO_CLIENT_SECRET",
                "fetch: the Dintero API credentials (the secret is never printed).",
            ),
            (
                "DINTERO_BASE_URL",
                "fetch: the Checkout API base URL when --base-url is not given (default https://checkout.dintero.com/v1).",
            ),
            (
                "KRAVIA_INVOICE_API_KEY",
                "serve: the API key every /v1 route and /metrics need (Authorization: Bearer); never logged.",
            ),
            (
                "DINTERO_CALLBACK_SECRET",
                "serve: with the three Dintero credentials, serve runs the after-capture pipeline at /v1/dintero/callback; this secret checks Dintero-Signature (401 when wrong).",
            ),
            (
                "KRAVIA_INVOICE_SMTP_URL, KRAVIA_INVOICE_MAIL_FROM",
                "serve: deliver invoices and credit notes by e-mail (smtp://, smtp://…?tls=required, smtps://).",
            ),
            (
                "KRAVIA_INVOICE_WEBHOOK_URL, KRAVIA_INVOICE_WEBHOOK_SECRET",
                "serve: deliver by a webhook signed with HMAC-SHA256 (Kravia-Signature).",
            ),
            (
                "KRAVIA_INVOICE_CREDIT_PREFIX, KRAVIA_INVOICE_CREDIT_START, KRAVIA_INVOICE_CREDIT_DIGITS",
                "serve: the credit-note numbers of the pipeline: prefix (KN-), first number (1), digits (6) of a counter kept in the database.",
            ),
            (
                "KRAVIA_INVOICE_PUBLIC_URL",
                "serve: the service's public URL, for archive links in webhooks.",
            ),
        ],
    );
    io(roff.to_writer(&mut page))?;
    io(man.render_version_section(&mut page))?;
    Ok(page)
}

fn render(man: &clap_mangen::Man) -> Result<Vec<u8>, Error> {
    let mut page = Vec::new();
    man.render(&mut page)
        .context(ErrorKind::Output, "rendering the man page")?;
    Ok(page)
}
