//! What an import builds, and its writer to formatted `.ea` files that parse and resolve. Shared by
//! the `ArchiMate` import ([`crate::archimate`]) and the spreadsheet import ([`crate::inventory`]).
//!
//! An importer fills an [`ImportedModel`]: the header, the elements (each with the file it goes
//! to and its nested children), the relations and waivers, and `warnings` (what it generalised or
//! dropped). Identifiers come from [`Identifiers`] (valid, unique, stable). Property values may be
//! given as read (strings): [`ImportedModel::write`] fits each one to the metamodel's type of the
//! property (`"3"` → `3`, `"Đang vận hành"` → `operational`, `"a, b"` → `[a, b]`). A property
//! the element's kind does not allow, or a value that does not fit, is never lost: it becomes an
//! item `Name: value` of the element's `attributes` list (a general property of the metamodel;
//! docs/interop.md), with a warning. Then [`verify`] analyses the written files in memory against
//! the framework pack, so the caller writes nothing that does not parse and resolve.

mod identifiers;
mod values;
mod write;

pub use identifiers::{Identifiers, MAX_IDENTIFIER_LENGTH, sanitize};
pub use values::{MAX_STRING_BYTES, quote, split_list};
pub use write::{Written, safe_file_name};

use kientruc_dsl::analysis::{Analysis, analyze};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use std::path::{Path, PathBuf};

/// The general property that keeps what the metamodel has no property for (`Name: value` items).
pub const ATTRIBUTES: &str = "attributes";

/// A property value, typed as the importer read it. Strings are fitted to the property's type by
/// the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportedValue {
    String(String),
    Integer(i64),
    Boolean(bool),
    Date(Date),
    /// An enum word (`operational`).
    Enum(String),
    /// An element id, or `alias.id` for an element of an imported model (`national.ndxp`).
    Reference(String),
    List(Vec<ImportedValue>),
}

/// The `architecture` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedHeader {
    pub id: String,
    pub name: String,
    pub framework: String,
    pub version: String,
    /// The level (`province`, `ministry`), written as the `scope` property.
    pub scope: Option<String>,
    pub as_of: Option<Date>,
    pub doc: Option<String>,
    /// Other header properties (`adopted_by`, `owns`, …).
    pub properties: Vec<(String, ImportedValue)>,
    /// The file the header goes to (`architecture.ea`).
    pub file: String,
}

/// `import "PATH" as ALIAS` in the header's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedImport {
    pub path: String,
    pub alias: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedElement {
    /// A valid identifier (see [`Identifiers`]).
    pub id: String,
    pub kind: String,
    /// The display name (Vietnamese).
    pub name: String,
    /// The doc comment (`///` lines).
    pub doc: Option<String>,
    /// In the order they are written. `description`, `name_en`, `archimate_id`, … are ordinary
    /// properties here.
    pub properties: Vec<(String, ImportedValue)>,
    pub tags: Vec<String>,
    /// The file it goes to, relative to the output folder (`ung-dung.ea`, `business/actors.ea`);
    /// made safe by the writer ([`safe_file_name`]). Ignored for nested children.
    pub file: String,
    /// Nested elements, written inside this one's body.
    pub children: Vec<ImportedElement>,
}

/// A relation: written inside its source's body when the source is written by this import, else
/// at the top level (in the target's file, or the header's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedRelation {
    pub source: String,
    pub relation_type: String,
    pub target: String,
    pub label: Option<String>,
    pub via: Vec<String>,
    pub doc: Option<String>,
    pub properties: Vec<(String, ImportedValue)>,
}

/// `waive RULE on TARGET until DATE "reason"`, in the file of the waived element (or the header's
/// for a waiver on the architecture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedWaiver {
    pub rule: String,
    pub target: String,
    pub until: Option<Date>,
    pub reason: String,
}

/// Everything an import read, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedModel {
    pub header: ImportedHeader,
    pub imports: Vec<ImportedImport>,
    /// Top-level elements, in the order they are written within each file.
    pub elements: Vec<ImportedElement>,
    pub relations: Vec<ImportedRelation>,
    pub waivers: Vec<ImportedWaiver>,
    /// View declarations (`view id "Title" { … }`), as `.ea` text, written to `views.ea`.
    pub views: Vec<String>,
    /// What the import generalised or dropped, one sentence each.
    pub warnings: Vec<String>,
}

impl ImportedModel {
    /// Every element, nested ones included, depth first in document order.
    pub fn all_elements(&self) -> Vec<&ImportedElement> {
        fn walk<'a>(element: &'a ImportedElement, out: &mut Vec<&'a ImportedElement>) {
            out.push(element);
            for child in &element.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for element in &self.elements {
            walk(element, &mut out);
        }
        out
    }
}

/// The workspace root [`verify`] analyses the files under.
const VERIFY_ROOT: &str = "/import";

/// Analyses `files` (relative path, text) as one workspace checked against `pack`, in memory:
/// what `kientruc check` would say of them as to parsing and resolution (no rules run). Names in
/// its diagnostics are the relative paths.
pub fn verify(files: &[(String, String)], pack: &FrameworkPack) -> Analysis {
    let root = Path::new(VERIFY_ROOT);
    let mut provider = MemoryProvider::default();
    let mut entries: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        let path = root.join(name);
        provider.insert(&path, text.as_bytes().to_vec());
        entries.push(path);
    }
    let registry = MemoryRegistry {
        packs: vec![pack.clone()],
    };
    let mut analysis = analyze(root, &entries, &provider, &registry);
    analysis.timings.clear();
    analysis
}
