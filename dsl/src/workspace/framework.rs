//! The framework pack the workspace's `architecture` header names: found in the registry, and
//! its `framework.toml` and `metamodel.toml` read (the metamodel through the parse cache).

use super::loader::Loader;
use super::parse_cache::read_metamodel;
use super::provider::FrameworkRegistry;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::sources::{FRAMEWORK_PREFIX, FrameworkInfo, LoadedFramework, Origin};
use crate::syntax::{Declaration, ValueKind};
use crate::text::{FileId, Span, TextRange};
use std::path::PathBuf;
use std::sync::Arc;

/// The identity of a framework pack's file: `framework:ID/NAME`.
pub(super) fn framework_path(id: &str, name: &str) -> PathBuf {
    PathBuf::from(format!("{FRAMEWORK_PREFIX}{id}/{name}"))
}

impl Loader<'_> {
    /// Loads the framework pack the `architecture` header names (the first header; a second is
    /// KT0110): its `framework.toml` and its metamodel, each added as a file of the workspace.
    pub(super) fn load_framework(&mut self, registry: &dyn FrameworkRegistry) {
        let mut headers = Vec::new();
        for file_index in 0..self.trees.len() {
            for declaration in &self.trees[file_index].declarations {
                if let Declaration::Architecture(header) = declaration {
                    headers.push((FileId(file_index as u32), header.clone()));
                }
            }
        }
        let Some((header_file, header)) = headers.first().cloned() else {
            // A header may be in a file that failed to load or parse; say so only when all is well.
            let earlier_errors = self
                .diagnostics
                .iter()
                .any(|diagnostic| diagnostic.severity == Severity::Error);
            if !self.trees.is_empty() && !earlier_errors {
                self.diagnostics.push(
                    Diagnostic::new(Code::MissingHeader, "the workspace declares no `architecture` header, so no framework is chosen")
                        .at(FileId(0), TextRange::empty(0), "no header in any checked file"),
                );
            }
            return;
        };
        for (file, duplicate) in headers.iter().skip(1) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateHeader,
                    format!("second architecture header `{}`", duplicate.id.text),
                )
                .at(*file, duplicate.id.range, "second header")
                .with_secondary(Span::new(header_file, header.id.range), "first header here"),
            );
        }
        let framework_value = header.body.as_ref().and_then(|body| {
            body.entries.iter().find_map(|entry| match entry {
                crate::syntax::Entry::Property(property) if property.name.text == "framework" => {
                    Some(property.value.clone())
                }
                _ => None,
            })
        });
        let Some(value) = framework_value else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MissingHeader,
                    format!(
                        "architecture `{}` does not name its framework",
                        header.id.text
                    ),
                )
                .at(
                    header_file,
                    header.id.range,
                    "add `framework \"vn-egov-3.0\"` to this header",
                ),
            );
            return;
        };
        let (id, range) = match &value.kind {
            ValueKind::String(literal) => (literal.value.clone(), value.range),
            ValueKind::Path(name) => (name.text.to_string(), value.range),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongValueType,
                        "`framework` takes the framework id as a string",
                    )
                    .at(
                        header_file,
                        value.range,
                        "expected a string such as \"vn-egov-3.0\"",
                    ),
                );
                return;
            }
        };
        let Some(pack) = registry.get(&id) else {
            let known = registry.ids();
            let mut diagnostic = Diagnostic::new(
                Code::UnknownFramework,
                format!("no framework pack `{id}`"),
            )
            .at(header_file, range, "unknown framework");
            diagnostic = match crate::suggest::suggest(&id, known.iter().map(String::as_str)) {
                Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                None => diagnostic.with_help(format!("known frameworks: {}", known.join(", "))),
            };
            self.diagnostics.push(diagnostic);
            return;
        };
        let info = pack.files.get("framework.toml").cloned().and_then(|text| {
            let file = self.files.add(
                pack.display_name("framework.toml"),
                framework_path(&pack.id, "framework.toml"),
                text.clone(),
                Origin::Framework,
            );
            self.trees.push(Arc::default());
            self.module_of_file.push(None);
            match toml::from_str::<FrameworkInfo>(&text) {
                Ok(info) => Some(info),
                Err(error) => {
                    let range = error.span().map_or(TextRange::empty(0), |span| {
                        TextRange::new(span.start, span.end)
                    });
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::MetamodelError,
                            format!("framework.toml: {}", error.message()),
                        )
                        .at(file, range, "here"),
                    );
                    None
                }
            }
        });
        let metamodel = if let Some(text) = pack.files.get("metamodel.toml").cloned() {
            let file = self.files.add(
                pack.display_name("metamodel.toml"),
                framework_path(&pack.id, "metamodel.toml"),
                text.clone(),
                Origin::Framework,
            );
            self.trees.push(Arc::default());
            self.module_of_file.push(None);
            let (metamodel, diagnostics) = match self.provider.parse_cache() {
                Some(cache) => cache.metamodel(file, &text),
                None => read_metamodel(file, &text),
            };
            self.diagnostics.extend(diagnostics);
            metamodel
        } else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MetamodelError,
                    format!(
                        "framework pack `{}` ({}) has no metamodel.toml",
                        pack.id, pack.origin
                    ),
                )
                .at(header_file, range, "this framework"),
            );
            None
        };
        self.framework = Some(LoadedFramework {
            pack,
            info,
            metamodel,
        });
    }
}
