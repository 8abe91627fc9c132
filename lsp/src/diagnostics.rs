//! Turns one project's analysis into `publishDiagnostics` payloads: language diagnostics (code =
//! KT code) and compliance findings (code = rule id, with a link to the rule's documentation and
//! the legal citation), grouped per file. Every file the user edits gets an entry, empty when
//! clean, so that files that became clean are cleared.

use crate::convert::ProtocolPositions as _;
use crate::ide::ProjectAnalysis;
use kientruc_checker::findings::Finding;
use kientruc_dsl::Severity;
use kientruc_dsl::workspace::Origin;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString,
    Uri,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr as _;

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "kientruc";

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// A language diagnostic (syntax, workspace, resolution, pack or configuration problem).
pub fn language_diagnostic(
    project: &ProjectAnalysis,
    diagnostic: &kientruc_dsl::Diagnostic,
) -> Option<Diagnostic> {
    let primary = diagnostic.primary.as_ref()?;
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .secondary
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: project.location(label.span)?,
                message: label.message.clone(),
            })
        })
        .collect();
    Some(Diagnostic {
        range: project.range(primary.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
        code_description: None,
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

/// The documentation page of a rule: the published one ([`Checked::rule_doc_url`]: the
/// workspace's `docs-url`, else the pack's `doc_base_url`), else the catalogue
/// `docs/rules/<framework>.md` found in a folder above the project (the repository's committed
/// docs).
pub fn rule_documentation(project: &ProjectAnalysis, rule_id: &str) -> Option<Uri> {
    project.checked.pack.get(rule_id)?;
    if let Some(url) = project.checked.rule_doc_url(rule_id) {
        return Uri::from_str(&url).ok();
    }
    let framework = project.checked.analysis.workspace.framework.as_ref()?;
    let pack_id = &framework.pack.id;
    let anchor = rule_id.to_ascii_lowercase();
    let page = Path::new("docs/rules").join(format!("{pack_id}.md"));
    let found = project
        .root
        .ancestors()
        .map(|ancestor| ancestor.join(&page))
        .find(|candidate| candidate.is_file())?;
    let uri = crate::convert::path_to_uri(&found)?;
    Uri::from_str(&format!("{}#{anchor}", uri.as_str())).ok()
}

/// A compliance finding: code = rule id, a link to the rule's page, the citation and the
/// finding's related places; waived findings become hints marked "(waived)".
pub fn finding_diagnostic(project: &ProjectAnalysis, finding: &Finding) -> Diagnostic {
    let own_location = project.location(finding.span);
    let mut related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: project.location(label.span)?,
                message: label.message.clone(),
            })
        })
        .collect();
    if let Some(location) = &own_location {
        if !finding.path.is_empty() {
            related.push(DiagnosticRelatedInformation {
                location: location.clone(),
                message: format!("path: {}", finding.path.join(" → ")),
            });
        }
        if let Some(rule) = project.checked.rule(&finding.rule) {
            let mut citation = format!(
                "citation: {}",
                project.checked.citation_text(rule, project.language)
            );
            if let Some(url) = rule.citation.url() {
                citation.push_str(" — ");
                citation.push_str(url);
            }
            related.push(DiagnosticRelatedInformation {
                location: location.clone(),
                message: citation,
            });
        }
    }
    let mut message = finding.message.get(project.language).to_owned();
    let severity = if finding.is_waived() {
        message.push_str(" (waived)");
        DiagnosticSeverity::HINT
    } else if finding.baselined {
        message.push_str(" (accepted in the baseline)");
        DiagnosticSeverity::HINT
    } else {
        severity(finding.severity)
    };
    Diagnostic {
        range: project.range(finding.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description: rule_documentation(project, &finding.rule)
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// Every diagnostic of the project, by file URI. Files the user edits (workspace and imported
/// files, the configuration) are present even when clean.
pub fn project_diagnostics(project: &ProjectAnalysis) -> BTreeMap<Uri, Vec<Diagnostic>> {
    let mut by_uri: BTreeMap<Uri, Vec<Diagnostic>> = BTreeMap::new();
    let files = &project.checked.analysis.workspace.files;
    for (file, source) in files.iter() {
        if source.origin != Origin::Framework
            && let Some(uri) = project.client_uri(file)
        {
            by_uri.entry(uri).or_default();
        }
    }
    let mut add = |file, diagnostic| {
        if let Some(uri) = project.client_uri(file) {
            by_uri.entry(uri).or_default().push(diagnostic);
        }
    };
    for diagnostic in &project.checked.analysis.diagnostics {
        if let (Some(primary), Some(converted)) = (
            diagnostic.primary.as_ref(),
            language_diagnostic(project, diagnostic),
        ) {
            add(primary.span.file, converted);
        } else if diagnostic.primary.is_none() {
            tracing::warn!("{}: {}", diagnostic.code, diagnostic.message);
        }
    }
    for finding in &project.checked.findings {
        add(finding.span.file, finding_diagnostic(project, finding));
    }
    by_uri
}
