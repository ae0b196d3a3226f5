//! kravia-invoice: prove that a Dintero Checkout Kravia transaction agrees with its
//! checkout session, then render the invoice PDF that the merchant delivers.
//!
//! The pipeline flows one way:
//!
//! ```text
//! transaction.json + session.json + brand.toml
//!     │  dintero   (tolerant wire models)
//!     ▼
//!  verify  ──► Report (every failed check, with code and field path)
//!     │
//!     ▼
//!  VerifiedInvoice ──► layout (pages of positioned runs) ──► pdf (bytes)
//! ```
//!
//! `verify` is the only way to obtain a [`VerifiedInvoice`], and the renderer
//! takes nothing else, so unverified data can never be drawn.
//!
//! ```
//! use kravia_invoice::dintero::{Session, Transaction};
//! use kravia_invoice::render::{RenderOptions, render};
//! use kravia_invoice::{Brand, verify};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
//! let tx = Transaction::from_json(&std::fs::read_to_string(format!("{dir}transaction.json"))?)?;
//! let session = Session::from_json(&std::fs::read_to_string(format!("{dir}session.json"))?)?;
//! let brand = Brand::load(format!("{dir}brand.toml").as_ref())?;
//!
//! let invoice = verify(&tx, Some(&session), &brand)?; // or a Report of every problem
//! assert_eq!(invoice.invoice_number, "KJ65C-190025");
//! assert_eq!(invoice.totals.gross.minor(), 782_400); // NOK 7 824,00, in øre
//!
//! let pdf = render(&invoice, &brand, &RenderOptions::default())?;
//! assert!(pdf.starts_with(b"%PDF-"));
//!
//! // A session that disagrees is rejected with the field and both values:
//! let mut wrong = session.clone();
//! wrong.order.as_mut().unwrap().vat_amount = Some(129_000);
//! let report = verify(&tx, Some(&wrong), &brand).unwrap_err();
//! assert_eq!(report.errors[0].code.as_str(), "vat_mismatch");
//! assert_eq!(report.errors[0].path, "session.order.vat_amount");
//! # Ok(()) }
//! ```
//!
//! The modules, in the order data flows: [`dintero`] (wire models), [`verify`]
//! (cross-checks, [`Report`], [`VerifiedInvoice`]), [`payment`] (identifier
//! maths and payment codes), [`template`] and [`locale`], [`layout`], [`pdf`]
//! and [`einvoice`] (the PEPPOL BIS 3 / EHF UBL),
//! [`render`]; with the `client` feature, `client` talks to Dintero.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod brand;
#[cfg(feature = "client")]
pub mod client;
pub mod color;
pub mod country;
pub mod dintero;
pub mod error;
pub mod file;
pub mod locale;
pub mod logo;
pub mod money;
pub mod payment;
pub mod verify;

pub mod einvoice;
pub mod font;
pub mod layout;
pub mod pdf;
pub mod render;
#[cfg(feature = "serve")]
pub mod service;
pub mod template;

#[cfg(any(test, feature = "testkit"))]
#[doc(hidden)]
#[path = "../tests/support/testkit.rs"]
pub mod testkit;

pub use brand::Brand;
pub use country::Country;
pub use error::{Error, ErrorKind};
pub use money::{Currency, Money, Quantity, VatRate};
pub use verify::{Report, VerifiedInvoice, verify};
