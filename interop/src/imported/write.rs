//! [`ImportedModel::write`]: the model as `.ea` files, one per `file` the elements name, each
//! printed by the language's formatter (`kientruc fmt`'s canonical form). With the metamodel,
//! every property is checked against the element's kind and fitted to its type; what does not
//! fit goes to `attributes` (see the module above).

use super::values::{
    KindOf, Target, fit, fit_string, is_invisible, is_writable, plain_text, quote, source_text,
};
use super::{
    ATTRIBUTES, ImportedElement, ImportedModel, ImportedRelation, ImportedValue, ImportedWaiver,
};
use kientruc_dsl::diacritics::{is_identifier, remove_diacritics};
use kientruc_dsl::format::format_text;
use kientruc_dsl::metamodel::Metamodel;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// The written files and what writing them changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Written {
    /// (path relative to the output folder, formatted text), sorted by path.
    pub files: Vec<(String, String)>,
    /// Properties moved to `attributes`, strings cut, required properties missing.
    pub warnings: Vec<String>,
}

/// A file name safe to write under the output folder: each folder and the name without
/// diacritics, in lower case, of `[a-z0-9_-]` (other runs become `-`), no `.`, `..` or empty
/// part, ending in `.ea`; `model.ea` when nothing is left.
pub fn safe_file_name(file: &str) -> String {
    let without_extension = file.strip_suffix(".ea").unwrap_or(file);
    let parts: Vec<String> = without_extension
        .split(['/', '\\'])
        .map(|part| {
            let folded = remove_diacritics(part).to_lowercase();
            let mut out = String::new();
            for character in folded.chars() {
                if character.is_ascii_alphanumeric() || character == '_' {
                    out.push(character);
                } else if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
            out.trim_matches('-').to_owned()
        })
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() {
        "model.ea".to_owned()
    } else {
        format!("{}.ea", parts.join("/"))
    }
}

/// The kinds of the elements written, for reference checks.
struct WrittenKinds<'a> {
    kinds: HashMap<&'a str, &'a str>,
}

impl KindOf for WrittenKinds<'_> {
    fn kind_of(&self, id: &str) -> Target<'_> {
        if id.contains('.') {
            return Target::Outside;
        }
        self.kinds
            .get(id)
            .map_or(Target::Unknown, |kind| Target::Written(kind))
    }
}

/// The file the views are written to.
const VIEWS_FILE: &str = "views.ea";

/// What one file holds, in order.
#[derive(Default)]
struct FileParts<'a> {
    header: bool,
    elements: Vec<&'a ImportedElement>,
    relations: Vec<&'a ImportedRelation>,
    waivers: Vec<&'a ImportedWaiver>,
    views: Vec<&'a str>,
}

struct Writer<'a> {
    model: &'a ImportedModel,
    metamodel: Option<&'a Metamodel>,
    kinds: WrittenKinds<'a>,
    /// Relations written inside their source's body, by source.
    inline: HashMap<&'a str, Vec<&'a ImportedRelation>>,
    warnings: Vec<String>,
}

impl ImportedModel {
    /// The model as formatted `.ea` files. With `metamodel`, properties are fitted to it (see
    /// the module documentation); without, they are written as given, except values that cannot
    /// be written (a word that is not an identifier), which go to `attributes`.
    pub fn write(&self, metamodel: Option<&Metamodel>) -> Written {
        let all = self.all_elements();
        let kinds = WrittenKinds {
            kinds: all
                .iter()
                .map(|element| (element.id.as_str(), element.kind.as_str()))
                .collect(),
        };
        let header_file = safe_file_name(&self.header.file);
        let file_of: HashMap<&str, String> = self
            .elements
            .iter()
            .flat_map(|top| {
                let file = safe_file_name(&top.file);
                let mut ids = Vec::new();
                collect_ids(top, &mut ids);
                ids.into_iter().map(move |id| (id, file.clone()))
            })
            .collect();
        let mut files: BTreeMap<String, FileParts> = BTreeMap::new();
        files.entry(header_file.clone()).or_default().header = true;
        for element in &self.elements {
            files
                .entry(safe_file_name(&element.file))
                .or_default()
                .elements
                .push(element);
        }
        let mut inline: HashMap<&str, Vec<&ImportedRelation>> = HashMap::new();
        for relation in &self.relations {
            if kinds.kinds.contains_key(relation.source.as_str()) {
                inline
                    .entry(relation.source.as_str())
                    .or_default()
                    .push(relation);
            } else {
                let file = file_of
                    .get(relation.target.as_str())
                    .cloned()
                    .unwrap_or_else(|| header_file.clone());
                files.entry(file).or_default().relations.push(relation);
            }
        }
        for waiver in &self.waivers {
            let file = file_of
                .get(waiver.target.as_str())
                .cloned()
                .unwrap_or_else(|| header_file.clone());
            files.entry(file).or_default().waivers.push(waiver);
        }
        for view in &self.views {
            files
                .entry(VIEWS_FILE.to_owned())
                .or_default()
                .views
                .push(view);
        }
        let mut writer = Writer {
            model: self,
            metamodel,
            kinds,
            inline,
            warnings: Vec::new(),
        };
        let files = files
            .into_iter()
            .map(|(name, parts)| {
                let text = writer.file(&parts);
                let formatted = format_text(&text).unwrap_or_else(|| {
                    writer.warnings.push(format!(
                        "{name}: the formatter refused the written text; it is written unformatted"
                    ));
                    text
                });
                (name, formatted)
            })
            .collect();
        Written {
            files,
            warnings: writer.warnings,
        }
    }
}

fn collect_ids<'a>(element: &'a ImportedElement, out: &mut Vec<&'a str>) {
    out.push(&element.id);
    for child in &element.children {
        collect_ids(child, out);
    }
}

/// `///` lines of a doc comment (carriage returns dropped; an empty text writes nothing).
fn doc_comment(out: &mut String, doc: Option<&str>, indent: usize) {
    let Some(doc) = doc.filter(|doc| !doc.trim().is_empty()) else {
        return;
    };
    for line in doc.replace('\r', "").lines() {
        let line: String = line
            .chars()
            .map(|c| {
                if is_invisible(c) && c != '\t' {
                    format!("⟨U+{:04X}⟩", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect();
        let _ = writeln!(out, "{}/// {}", "  ".repeat(indent), line.trim_end());
    }
}

impl<'a> Writer<'a> {
    fn file(&mut self, parts: &FileParts<'a>) -> String {
        let mut out = String::new();
        if parts.header {
            self.header(&mut out);
        }
        for element in &parts.elements {
            out.push('\n');
            self.element(&mut out, element, 0);
        }
        for relation in &parts.relations {
            out.push('\n');
            self.relation(&mut out, relation, 0, true);
        }
        for waiver in &parts.waivers {
            out.push('\n');
            let _ = write!(out, "waive {} on {}", waiver.rule, waiver.target);
            if let Some(until) = waiver.until {
                let _ = write!(out, " until {until}");
            }
            let _ = writeln!(out, " {}", quote(&fit_string(&waiver.reason).0));
        }
        for view in &parts.views {
            out.push('\n');
            out.push_str(view.trim_end());
            out.push('\n');
        }
        out
    }

    fn header(&mut self, out: &mut String) {
        let header = &self.model.header;
        doc_comment(out, header.doc.as_deref(), 0);
        let _ = writeln!(
            out,
            "architecture {} {} {{",
            header.id,
            self.string(&header.name, &format!("the name of `{}`", header.id))
        );
        let _ = writeln!(out, "  framework {}", quote(&header.framework));
        let _ = writeln!(out, "  version {}", quote(&header.version));
        if let Some(as_of) = header.as_of {
            let _ = writeln!(out, "  as_of {as_of}");
        }
        let mut properties = Vec::new();
        if let Some(scope) = &header.scope {
            properties.push(("scope".to_owned(), ImportedValue::Enum(scope.clone())));
        }
        properties.extend(header.properties.iter().cloned());
        let allowed: Option<Vec<String>> = self
            .metamodel
            .map(|metamodel| metamodel.header.properties.clone());
        let (mut written, leftover) =
            self.fit_properties(&properties, allowed.as_deref(), &format!("`{}`", header.id));
        if !leftover.is_empty() {
            if allowed
                .as_ref()
                .is_none_or(|allowed| allowed.iter().any(|name| name == ATTRIBUTES))
            {
                merge_attributes(&mut written, &leftover);
            } else {
                self.warnings.push(format!(
                    "the architecture `{}`: {} header properties the metamodel does not allow were dropped: {}",
                    header.id,
                    leftover.len(),
                    leftover.join("; ")
                ));
            }
        }
        for (name, value) in &written {
            let _ = writeln!(out, "  {name} {}", source_text(value));
        }
        out.push_str("}\n");
        if !self.model.imports.is_empty() {
            out.push('\n');
        }
        for import in &self.model.imports {
            let _ = writeln!(out, "import {} as {}", quote(&import.path), import.alias);
        }
    }

    fn element(&mut self, out: &mut String, element: &'a ImportedElement, depth: usize) {
        let indent = "  ".repeat(depth);
        let mut properties = element.properties.clone();
        let allowed: Option<Vec<String>> = self.metamodel.map(|metamodel| {
            metamodel
                .kind(&element.kind)
                .map(|kind| kind.properties.clone())
                .unwrap_or_default()
        });
        let mut tags = element.tags.clone();
        properties.retain(|(name, value)| {
            if name != "tags" {
                return true;
            }
            match value {
                ImportedValue::List(items) => tags.extend(items.iter().map(plain_text)),
                other => tags.extend(
                    super::split_list(&plain_text(other))
                        .unwrap_or_else(|| vec![plain_text(other)]),
                ),
            }
            false
        });
        let (written, leftover) = self.fit_properties(
            &properties,
            allowed.as_deref(),
            &format!("`{}`", element.id),
        );
        let mut written = written;
        let mut doc = element.doc.clone();
        if !leftover.is_empty() {
            let attributes_allowed = allowed
                .as_ref()
                .is_none_or(|allowed| allowed.iter().any(|name| name == ATTRIBUTES));
            if attributes_allowed {
                merge_attributes(&mut written, &leftover);
            } else {
                let lines = leftover.join("\n");
                doc = Some(match doc {
                    Some(doc) => format!("{doc}\n{lines}"),
                    None => lines,
                });
                self.warnings.push(format!(
                    "`{}`: the kind `{}` has no `attributes`; {} properties were written in its doc comment",
                    element.id,
                    element.kind,
                    leftover.len()
                ));
            }
        }
        if let Some(kind) = self
            .metamodel
            .and_then(|metamodel| metamodel.kind(&element.kind))
        {
            for required in &kind.required {
                if !written.iter().any(|(name, _)| name == required) {
                    self.warnings.push(format!(
                        "`{}`: the {} has no `{required}`, which the metamodel requires",
                        element.id, element.kind
                    ));
                }
            }
        }
        doc_comment(out, doc.as_deref(), depth);
        let name = self.string(&element.name, &format!("the name of `{}`", element.id));
        let _ = write!(out, "{indent}{} {} {name}", element.kind, element.id);
        let relations = self
            .inline
            .get(element.id.as_str())
            .cloned()
            .unwrap_or_default();
        tags.sort();
        tags.dedup();
        if written.is_empty()
            && tags.is_empty()
            && element.children.is_empty()
            && relations.is_empty()
        {
            out.push('\n');
            return;
        }
        out.push_str(" {\n");
        for (name, value) in &written {
            let _ = writeln!(out, "{indent}  {name} {}", source_text(value));
        }
        if !tags.is_empty() {
            let items: Vec<String> = tags
                .iter()
                .map(|tag| {
                    if is_identifier(tag) {
                        tag.clone()
                    } else {
                        quote(tag)
                    }
                })
                .collect();
            let _ = writeln!(out, "{indent}  tags [{}]", items.join(", "));
        }
        for child in &element.children {
            self.element(out, child, depth + 1);
        }
        for relation in relations {
            self.relation(out, relation, depth + 1, false);
        }
        let _ = writeln!(out, "{indent}}}");
    }

    fn relation(
        &mut self,
        out: &mut String,
        relation: &ImportedRelation,
        depth: usize,
        top_level: bool,
    ) {
        let indent = "  ".repeat(depth);
        let what = format!(
            "the relation `{} {} -> {}`",
            relation.relation_type, relation.source, relation.target
        );
        let allowed: Option<Vec<String>> = self.metamodel.map(|metamodel| {
            metamodel
                .relation(&relation.relation_type)
                .map(|definition| definition.properties.clone())
                .unwrap_or_default()
        });
        let (mut written, leftover) =
            self.fit_properties(&relation.properties, allowed.as_deref(), &what);
        let mut doc = relation.doc.clone();
        if !leftover.is_empty() {
            if allowed
                .as_ref()
                .is_none_or(|allowed| allowed.iter().any(|name| name == ATTRIBUTES))
            {
                merge_attributes(&mut written, &leftover);
            } else {
                let lines = leftover.join("\n");
                doc = Some(match doc {
                    Some(doc) => format!("{doc}\n{lines}"),
                    None => lines,
                });
            }
        }
        doc_comment(out, doc.as_deref(), depth);
        out.push_str(&indent);
        out.push_str(&relation.relation_type);
        if top_level {
            let _ = write!(out, " {}", relation.source);
        }
        let _ = write!(out, " -> {}", relation.target);
        if let Some(label) = &relation.label {
            let _ = write!(out, " {}", self.string(label, &what));
        }
        if !relation.via.is_empty() {
            let _ = write!(out, " via {}", relation.via.join(", "));
        }
        if written.is_empty() {
            out.push('\n');
            return;
        }
        out.push_str(" {\n");
        for (name, value) in &written {
            let _ = writeln!(out, "{indent}  {name} {}", source_text(value));
        }
        let _ = writeln!(out, "{indent}}}");
    }

    /// A string literal of `text`, cut (with a warning) when too long for one.
    fn string(&mut self, text: &str, what: &str) -> String {
        let (kept, cut) = fit_string(text);
        if cut {
            self.warnings.push(format!(
                "{what} was cut to {} bytes, the longest string the language accepts",
                super::MAX_STRING_BYTES
            ));
        }
        quote(&kept)
    }

    /// The properties that can be written, fitted to their types, in the order given (a
    /// property given twice is written once); and the others as `Name: value` texts, with a
    /// warning each. `allowed`: the names the metamodel allows here (`None`: no metamodel).
    fn fit_properties(
        &mut self,
        properties: &[(String, ImportedValue)],
        allowed: Option<&[String]>,
        owner: &str,
    ) -> (Vec<(String, ImportedValue)>, Vec<String>) {
        let mut written: Vec<(String, ImportedValue)> = Vec::new();
        let mut leftover = Vec::new();
        for (name, value) in properties {
            let value = match value {
                ImportedValue::String(text) => {
                    let (kept, cut) = fit_string(text);
                    if cut {
                        self.warnings.push(format!(
                            "{owner}: `{name}` was cut to {} bytes, the longest string the language accepts",
                            super::MAX_STRING_BYTES
                        ));
                    }
                    ImportedValue::String(kept)
                }
                other => other.clone(),
            };
            if name == ATTRIBUTES
                && let ImportedValue::List(items) = &value
            {
                leftover.extend(items.iter().map(plain_text));
                continue;
            }
            let already = written.iter().any(|(written_name, _)| written_name == name);
            let fitted = match (self.metamodel, allowed) {
                (Some(metamodel), Some(allowed)) => {
                    if allowed.iter().any(|allowed| allowed == name) {
                        metamodel
                            .property(name)
                            .and_then(|definition| fit(&value, definition, &self.kinds))
                    } else {
                        None
                    }
                }
                _ => is_identifier(name).then(|| value.clone()),
            };
            match fitted.filter(is_writable) {
                Some(fitted) if !already => written.push((name.clone(), fitted)),
                _ => {
                    let reason = if already {
                        "given twice"
                    } else if allowed.is_some_and(|allowed| !allowed.iter().any(|a| a == name)) {
                        "not a property of the metamodel here"
                    } else {
                        "a value of another type"
                    };
                    self.warnings.push(format!(
                        "{owner}: `{name}` ({reason}) is kept in `{ATTRIBUTES}`"
                    ));
                    leftover.push(format!("{name}: {}", plain_text(&value)));
                }
            }
        }
        (written, leftover)
    }
}

/// Adds `items` to the written `attributes` list (creating it after the other properties).
fn merge_attributes(written: &mut Vec<(String, ImportedValue)>, items: &[String]) {
    let items = items
        .iter()
        .map(|item| ImportedValue::String(fit_string(item).0));
    if let Some((_, ImportedValue::List(existing))) =
        written.iter_mut().find(|(name, _)| name == ATTRIBUTES)
    {
        existing.extend(items);
    } else {
        written.push((ATTRIBUTES.to_owned(), ImportedValue::List(items.collect())));
    }
}
