//! The JSON report: the report view as one document, versioned by `schema_version` and described
//! by `reports/schema/report.schema.json`.

use crate::{Report, ReportError, Views};

pub fn render(report: &Report<'_>, views: &mut Views) -> Result<String, ReportError> {
    let view = views.get(report);
    let mut text =
        serde_json::to_string_pretty(&*view).map_err(|source| ReportError::Serialize {
            format: "JSON",
            source,
        })?;
    text.push('\n');
    Ok(text)
}

/// [`render`], serialised as it is written to `out`: a large model's report is never one string.
pub fn write(
    report: &Report<'_>,
    views: &mut Views,
    out: &mut dyn std::io::Write,
) -> Result<(), ReportError> {
    use std::io::Write as _;
    let view = views.get(report);
    // Serialised through a buffer of its own: the formatter writes many small pieces.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut buffered, &*view)
        .and_then(|()| buffered.flush().map_err(serde_json::Error::io))
        .map_err(|source| ReportError::Serialize {
            format: "JSON",
            source,
        })?;
    drop(buffered);
    out.write_all(b"\n")?;
    Ok(())
}
