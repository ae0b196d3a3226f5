//! Declarative invoice templates: what the page looks like, not what it says.
//!
//! A template is a TOML file (documented key by key in `templates/README.md`)
//! that chooses margins, font sizes, colours, the line table's columns, whether
//! unit prices are shown including or excluding VAT, and which payment codes
//! are drawn. The legal content is not optional: every template prints the
//! same facts, and a template whose table lacks a legally required column is
//! rejected.
//!
//! Two templates are built in (`classic` and `compact`, embedded with
//! `include_str!`); [`Template::load`] reads a user's file. The label texts of
//! the four languages are in [`Labels`], and a credit note's own in
//! [`CreditLabels`].
//!
//! ```
//! use kravia_invoice::template::Template;
//! let classic = Template::builtin("classic").unwrap();
//! assert_eq!(classic.name, "classic");
//! let err = Template::parse("mine.toml", "[template]\nnmae = \"x\"").unwrap_err();
//! assert!(err.to_string().starts_with("template mine.toml: line 2: "));
//! ```

mod checks;
mod color;
mod credit_labels;
mod error;
mod labels;
mod source;
mod spec;

use std::path::Path;

use error::parse_toml;

pub use color::{Color, Fill};
pub use credit_labels::CreditLabels;
pub use error::TemplateError;
pub use labels::Labels;
pub use source::TemplateSource;
pub use spec::*;

const CLASSIC: &str = include_str!("../../templates/classic.toml");
const COMPACT: &str = include_str!("../../templates/compact.toml");

/// The built-in templates: `(name, TOML text)`.
pub const BUILTIN: [(&str, &str); 2] = [("classic", CLASSIC), ("compact", COMPACT)];

impl Template {
    /// A built-in template by name (`classic`, `compact`; `.toml` optional).
    ///
    /// # Errors
    ///
    /// [`TemplateError::Unknown`] for another name.
    pub fn builtin(name: &str) -> Result<Template, TemplateError> {
        let bare = name.strip_suffix(".toml").unwrap_or(name);
        // Built-in templates are parsed once per process; renders clone them.
        static PARSED: std::sync::OnceLock<Vec<Result<Template, TemplateError>>> =
            std::sync::OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(n, text)| Template::parse(&format!("{n}.toml"), text))
                .collect()
        });
        let i = BUILTIN
            .iter()
            .position(|(n, _)| *n == bare)
            .ok_or_else(|| TemplateError::Unknown {
                name: name.to_string(),
            })?;
        parsed.get(i).cloned().unwrap_or_else(|| {
            Err(TemplateError::Unknown {
                name: name.to_string(),
            })
        })
    }

    /// Reads and parses a template file.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Read`] or [`TemplateError::Invalid`].
    pub fn load(path: &Path) -> Result<Template, TemplateError> {
        let text = std::fs::read_to_string(path).map_err(|e| TemplateError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Template::parse(&path.display().to_string(), &text)
    }

    /// Parses and checks template text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Invalid`] with the line and the field: malformed TOML,
    /// an unknown or missing key, a value out of range, a table without a
    /// legally required column, a column twice, or widths that do not add up
    /// to 100.
    pub fn parse(file: &str, text: &str) -> Result<Template, TemplateError> {
        let mut t: Template = parse_toml(file, text)?;
        t.name = t.info.name.clone();
        t.check(file, text)?;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Rgb;
    use color::parse_color;
    use std::path::PathBuf;

    #[test]
    fn builtin_templates_parse_and_check() {
        for (name, _) in BUILTIN {
            let t = Template::builtin(name).unwrap();
            assert_eq!(t.name, name);
            assert!(t.table.columns.len() >= 5);
        }
        assert_eq!(Template::builtin("compact.toml").unwrap().name, "compact");
    }

    #[test]
    fn unknown_builtin_is_an_error() {
        let e = Template::builtin("fancy").unwrap_err();
        assert!(matches!(e, TemplateError::Unknown { .. }));
        assert!(e.to_string().contains("\"fancy\""));
    }

    fn with(replace: &str, by: &str) -> String {
        assert!(COMPACT.contains(replace), "{replace}");
        COMPACT.replacen(replace, by, 1)
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn unknown_field_names_line_and_field() {
        let text = with("rules = ", "colum = 3\nrules = ");
        let line = line_of(&text, "colum = 3");
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "template compact.toml: line {line}: unknown field `colum`"
            )),
            "{e}"
        );
    }

    #[test]
    fn bad_colour_names_line_and_field() {
        let text = with("zebra = \"none\"", "zebra = \"pink\"");
        let line = line_of(&text, "zebra = \"pink\"");
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "template compact.toml: line {line}: [table] zebra: "
            )),
            "{e}"
        );
        assert!(e.contains("\"pink\" is not a colour"), "{e}");
    }

    #[test]
    fn out_of_range_number_is_rejected() {
        let text = with("barcode_module = 0.33", "barcode_module = 0.2");
        let line = line_of(&text, "barcode_module = 0.2");
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "template compact.toml: line {line}: [payment] barcode_module: "
            )),
            "{e}"
        );
        assert!(e.contains("out of range"), "{e}");
    }

    #[test]
    fn missing_required_column_is_rejected() {
        let t = Template::builtin("compact").unwrap();
        let text: String = COMPACT
            .lines()
            .filter(|l| !l.contains("\"vat_rate\""))
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(text.lines().count(), COMPACT.lines().count());
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("[table] columns: the column \"vat_rate\" is missing"),
            "{e}"
        );
        assert!(
            e.contains(&format!("line {}", line_of(&text, "columns = ["))),
            "{e}"
        );
        drop(t);
    }

    #[test]
    fn widths_must_add_up_to_100() {
        let t = Template::builtin("compact").unwrap();
        let desc = t.table.columns[0].width;
        let text = with(
            &format!("width = {desc}"),
            &format!("width = {}", desc + 5.0),
        );
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the widths add up to 105, expected 100"), "{e}");
    }

    #[test]
    fn colours_parse() {
        assert_eq!(
            parse_color("#1f4E79"),
            Ok(Color::Rgb(Rgb(0x1F, 0x4E, 0x79)))
        );
        assert_eq!(parse_color("accent"), Ok(Color::Accent));
        assert_eq!(parse_color("accent 12%"), Ok(Color::Tint(12)));
        assert_eq!(parse_color("auto"), Ok(Color::Auto));
        assert!(parse_color("accent 0%").is_err());
        assert!(parse_color("#12345").is_err());
        assert_eq!(Rgb(0, 0, 0).tint(10), Rgb(230, 230, 230));
        assert_eq!(Rgb(0x1F, 0x4E, 0x79).contrasting_text(), Rgb::WHITE);
        assert_ne!(Rgb(0xFF, 0xE0, 0x60).contrasting_text(), Rgb::WHITE);
    }

    #[test]
    fn template_source_from_arg() {
        assert_eq!(
            TemplateSource::from_arg("classic.toml"),
            TemplateSource::Builtin("classic".into())
        );
        assert_eq!(
            TemplateSource::from_arg("/no/such/dir/x.toml"),
            TemplateSource::File(PathBuf::from("/no/such/dir/x.toml"))
        );
        let e = TemplateSource::from_arg("/no/such/dir/x.toml")
            .load()
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("reading template /no/such/dir/x.toml: "),
            "{e}"
        );
    }
}
