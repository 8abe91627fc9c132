//! Imports: each `import` followed from the file that writes it (a path relative to that file and
//! confined to the workspace root, or `framework:NAME` into the framework pack), the imported
//! file loaded as a module of its own and bound to an alias, and import cycles reported.

use super::framework::framework_path;
use super::loader::Loader;
use super::read::{decode, parse_or_reuse};
use crate::diagnostic::{Code, Diagnostic};
use crate::sources::{FRAMEWORK_PREFIX, Module, Origin};
use crate::syntax::Declaration;
use crate::text::{FileId, Span};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Imports may chain at most this deep (KT0113).
pub const MAX_IMPORT_DEPTH: usize = 32;

/// Joins `relative` onto `base` and removes `.` and `..` lexically.
pub fn normalize(base: &Path, relative: &str) -> PathBuf {
    let mut result = PathBuf::new();
    for component in base.join(relative).components() {
        match component {
            Component::ParentDir => {
                result.pop();
            }
            Component::CurDir => {}
            other => result.push(other.as_os_str()),
        }
    }
    result
}

impl Loader<'_> {
    /// Follows the imports of `file` (reached through `depth` imports), depth-first: each
    /// imported file is found or loaded, its module bound to an alias of the importing module.
    pub(super) fn follow_imports(&mut self, file: FileId, depth: usize) {
        let imports: Vec<crate::syntax::Import> = self.trees[file.0 as usize]
            .declarations
            .iter()
            .filter_map(|declaration| match declaration {
                Declaration::Import(import) => Some(import.clone()),
                _ => None,
            })
            .collect();
        for import in imports {
            let span = Span::new(file, import.path.range);
            if depth >= MAX_IMPORT_DEPTH {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportTooDeep,
                        format!("imports chain more than {MAX_IMPORT_DEPTH} files deep"),
                    )
                    .at(file, import.path.range, "this import is too deep"),
                );
                continue;
            }
            let Some((target, newly_loaded)) = self.resolve_import(file, &import) else {
                continue;
            };
            self.import_edges.push((file, target, span));
            let importing_module = self.module_of_file[file.0 as usize];
            let target_module = self.module_of_file[target.0 as usize];
            if let (Some(importing_module), Some(target_module)) = (importing_module, target_module)
            {
                let alias = import.alias.as_ref().map_or_else(
                    || {
                        self.modules[target_module]
                            .namespace
                            .clone()
                            .unwrap_or_else(|| stem(&self.files.get(target).path))
                    },
                    |alias| alias.text.to_string(),
                );
                let alias_span = import
                    .alias
                    .as_ref()
                    .map_or(span, |alias| Span::new(file, alias.range));
                let previous_file = self
                    .alias_files
                    .insert((importing_module, alias.clone()), target);
                match self.modules[importing_module].aliases.get(&alias) {
                    Some((existing, _))
                        if *existing == target_module
                            && previous_file.is_none_or(|f| f == target) => {}
                    Some((_, first)) => {
                        let first = *first;
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::DuplicateAlias,
                                format!("`{alias}` already names another import"),
                            )
                            .at(file, alias_span.range, "second use")
                            .with_secondary(first, "first use"),
                        );
                    }
                    None => {
                        self.modules[importing_module]
                            .aliases
                            .insert(alias, (target_module, alias_span));
                    }
                }
            }
            if newly_loaded {
                self.follow_imports(target, depth + 1);
            }
        }
    }

    /// Finds or loads the imported file; returns it and whether it was loaded just now.
    fn resolve_import(
        &mut self,
        file: FileId,
        import: &crate::syntax::Import,
    ) -> Option<(FileId, bool)> {
        let written = import.path.value.as_str();
        let importer_path = self.files.get(file).path.clone();
        let importer_is_framework = self.files.get(file).origin == Origin::Framework;
        let framework_name = if let Some(name) = written.strip_prefix(FRAMEWORK_PREFIX) {
            Some(name.to_owned())
        } else if importer_is_framework {
            // Relative imports inside a pack stay inside the pack.
            let importer = importer_path.to_string_lossy().into_owned();
            let directory = importer
                .rsplit_once('/')
                .map_or("", |(directory, _)| directory);
            let base = directory.split_once('/').map_or("", |(_, rest)| rest);
            Some(
                normalize(Path::new(base), written)
                    .to_string_lossy()
                    .into_owned(),
            )
        } else {
            None
        };
        if let Some(name) = framework_name {
            let Some(framework) = &self.framework else {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotFound,
                        format!("cannot import `{written}`: no framework pack is loaded"),
                    )
                    .at(file, import.path.range, "needs a framework"),
                );
                return None;
            };
            let path = framework_path(&framework.pack.id, &name);
            if let Some(existing) = self.files.find(&path) {
                return Some((existing, false));
            }
            let Some(text) = framework.pack.files.get(&name).cloned() else {
                let available: Vec<&str> = framework
                    .pack
                    .files
                    .keys()
                    .filter(|key| key.ends_with(".ea") && !key.starts_with("fixtures/"))
                    .map(String::as_str)
                    .collect();
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotFound,
                        format!(
                            "framework pack `{}` has no file `{name}`",
                            framework.pack.id
                        ),
                    )
                    .at(file, import.path.range, "not in the pack")
                    .with_help(format!("the pack provides: {}", available.join(", "))),
                );
                return None;
            };
            let display = framework.pack.display_name(&name);
            return Some((
                self.add_imported(display, &path, text.clone(), Origin::Framework),
                true,
            ));
        }

        let base = importer_path.parent().unwrap_or(Path::new(""));
        let path = normalize(base, written);
        if !path.starts_with(&self.root) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ImportOutsideRoot,
                    format!("`{written}` resolves outside the workspace root"),
                )
                .at(file, import.path.range, "leaves the workspace")
                .with_note(format!(
                    "workspace root: {}",
                    self.provider.display_name(&self.root)
                )),
            );
            return None;
        }
        if let Some(existing) = self.files.find(&path) {
            return Some((existing, false));
        }
        let display = self.provider.display_name(&path);
        match self.provider.read(&path) {
            Ok(bytes) => {
                let next = FileId(self.files.len() as u32);
                match decode(next, bytes) {
                    Ok(text) => Some((
                        self.add_imported(display, &path, Arc::from(text), Origin::Import),
                        true,
                    )),
                    Err(diagnostic) => {
                        let id = self.files.add(display, path, Arc::from(""), Origin::Import);
                        debug_assert_eq!(id, next);
                        self.trees.push(Arc::default());
                        self.module_of_file.push(None);
                        self.diagnostics.push(diagnostic);
                        None
                    }
                }
            }
            Err(error)
                if error.kind() == std::io::ErrorKind::PermissionDenied
                    && error.to_string().contains("outside") =>
            {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportOutsideRoot,
                        format!("`{written}` resolves outside the workspace root"),
                    )
                    .at(
                        file,
                        import.path.range,
                        "leaves the workspace (through a link)",
                    ),
                );
                None
            }
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotFound,
                        format!("cannot import `{written}`: {error}"),
                    )
                    .at(file, import.path.range, "not found"),
                );
                None
            }
        }
    }

    fn add_imported(
        &mut self,
        display: String,
        path: &Path,
        text: Arc<str>,
        origin: Origin,
    ) -> FileId {
        let id = FileId(self.files.len() as u32);
        let parsed = parse_or_reuse(self.provider, path, id, text);
        let added = self.files.add_indexed(
            display,
            path.to_path_buf(),
            parsed.text.clone(),
            parsed.line_index.clone(),
            origin,
        );
        debug_assert_eq!(added, id);
        self.diagnostics.extend(parsed.diagnostics);
        // An imported model is its own namespace, named by its header id or its file stem.
        let base_namespace = parsed
            .tree
            .declarations
            .iter()
            .find_map(|declaration| match declaration {
                Declaration::Architecture(header) => Some(header.id.text.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| stem(path));
        let mut namespace = base_namespace.clone();
        let mut counter = 2;
        while self
            .modules
            .iter()
            .any(|module| module.namespace.as_deref() == Some(&namespace))
        {
            namespace = format!("{base_namespace}_{counter}");
            counter += 1;
        }
        self.trees.push(parsed.tree);
        self.modules.push(Module {
            namespace: Some(namespace),
            files: vec![id],
            aliases: BTreeMap::new(),
        });
        self.module_of_file.push(Some(self.modules.len() - 1));
        id
    }

    /// Reports import cycles (KT0106): a depth-first walk over the imports, each import that
    /// leads back into the current path closing one.
    pub(super) fn report_cycles(&mut self) {
        let mut adjacency: BTreeMap<FileId, Vec<(FileId, Span)>> = BTreeMap::new();
        for (from, to, span) in &self.import_edges {
            adjacency.entry(*from).or_default().push((*to, *span));
        }
        // Iterative DFS with colours; a back edge closes a cycle.
        let mut colour: HashMap<FileId, u8> = HashMap::new();
        let starts: Vec<FileId> = adjacency.keys().copied().collect();
        for start in starts {
            if colour.get(&start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(FileId, usize)> = vec![(start, 0)];
            let mut path: Vec<(FileId, Option<Span>)> = vec![(start, None)];
            colour.insert(start, 1);
            while let Some((node, next_edge)) = stack.last().copied() {
                let edges = adjacency.get(&node).cloned().unwrap_or_default();
                if next_edge >= edges.len() {
                    colour.insert(node, 2);
                    stack.pop();
                    path.pop();
                    continue;
                }
                stack.last_mut().expect("stack is not empty").1 += 1;
                let (target, span) = edges[next_edge];
                match colour.get(&target).copied().unwrap_or(0) {
                    0 => {
                        colour.insert(target, 1);
                        stack.push((target, 0));
                        path.push((target, Some(span)));
                    }
                    1 => {
                        let position = path
                            .iter()
                            .position(|(file, _)| *file == target)
                            .unwrap_or(0);
                        let names: Vec<String> = path[position..]
                            .iter()
                            .map(|(file, _)| self.files.get(*file).name.clone())
                            .chain(std::iter::once(self.files.get(target).name.clone()))
                            .collect();
                        let mut diagnostic = Diagnostic::new(
                            Code::ImportCycle,
                            format!("import cycle: {}", names.join(" → ")),
                        )
                        .at(
                            span.file,
                            span.range,
                            "this import closes the cycle",
                        );
                        for (_, earlier) in &path[position + 1..] {
                            if let Some(earlier) = earlier {
                                diagnostic =
                                    diagnostic.with_secondary(*earlier, "part of the cycle");
                            }
                        }
                        self.diagnostics.push(diagnostic);
                    }
                    _ => {}
                }
            }
        }
    }
}

fn stem(path: &Path) -> String {
    let stem = path.file_stem().map_or_else(
        || "module".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}
