//! The JSON report: the report view as one document, versioned by `schema_version` and described
//! by `reports/schema/report.schema.json`.

use crate::{Report, ReportError, view};

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let view = view::build(report);
    let mut text =
        serde_json::to_string_pretty(&view).map_err(|source| ReportError::Serialize {
            format: "JSON",
            source,
        })?;
    text.push('\n');
    Ok(text)
}
