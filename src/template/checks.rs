//! The checks a template must pass: legally required columns, widths that add
//! up, sizes in range.

use super::error::line_of_key;
use super::{ColumnField, Template, TemplateError};

impl Template {
    pub(super) fn check(&self, file: &str, text: &str) -> Result<(), TemplateError> {
        let invalid = |message: String| TemplateError::Invalid {
            file: file.to_string(),
            line: line_of_key(text, "table", "columns"),
            message,
        };
        let cols = &self.table.columns;
        for required in ColumnField::REQUIRED {
            if !cols.iter().any(|c| c.field == required) {
                return Err(invalid(format!(
                    "[table] columns: the column {:?} is missing (invoices must show description, quantity, unit price, VAT rate and amount)",
                    required.name()
                )));
            }
        }
        for (i, c) in cols.iter().enumerate() {
            if cols[..i].iter().any(|d| d.field == c.field) {
                return Err(invalid(format!(
                    "[table] columns: the column {:?} appears twice",
                    c.field.name()
                )));
            }
        }
        let sum: f32 = cols.iter().map(|c| c.width).sum();
        if (sum - 100.0).abs() > 0.5 {
            return Err(invalid(format!(
                "[table] columns: the widths add up to {sum}, expected 100"
            )));
        }
        if self.page.margin_top < self.header.band + 5.0 {
            return Err(TemplateError::Invalid {
                file: file.to_string(),
                line: line_of_key(text, "page", "margin_top"),
                message: format!(
                    "[page] margin_top: {} mm leaves no room below the {} mm header band (need at least {} mm)",
                    self.page.margin_top,
                    self.header.band,
                    self.header.band + 5.0
                ),
            });
        }
        Ok(())
    }
}
