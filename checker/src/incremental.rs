//! Rules evaluated again only when their inputs changed: the [`RuleCache`] a caller that checks
//! the same workspace again and again (the language server) passes in [`crate::CheckOptions`],
//! as it passes the parse, resolve and rule-pack caches. There is one evaluator: a rule that
//! cannot keep the last run's findings is evaluated as `check` always does ([`evaluate_rules`]).
//!
//! What a rule reads is the model (its elements, relations and header), the graph built from it
//! and the boundary, the rule pack, the configuration, the framework's description, the level
//! and the two dates. The cache keeps, of the last run, the global inputs and the texts of the
//! files; a digest of the header and of each relation (everything in it but positions,
//! references as the qualified ids they name), the *shape* of its positions (each one relative
//! to the start of its declaration) and where it starts; and of each element, the digest of all
//! but its properties, where it starts and where its id is, and each property on its own (name,
//! value digest, place).
//!
//! A new run compares its inputs with those, through the edit of each file (the text between the
//! common prefix and suffix of the old and new text; positions after it move by the change in
//! length). When the global inputs, the header, every relation and every element but for its
//! properties are as they were, in the same order, each where the edit moved it, the changed
//! properties are listed: a value changed, a property added or removed, or one not where the
//! edit moved it. A rule keeps its findings, at moved places, when it reads none of those
//! properties (each check says which it reads: [`crate::checks::PropertyReads`]) and none of its
//! findings lies in the edited text; the other rules are evaluated again, on a graph of the new
//! model. When every rule keeps its findings, no graph is built. Anything else (a relation, id,
//! kind, name, tag or parent changed, a declaration added or removed, a waiver target changed
//! ...) evaluates every rule. Waivers, severities and the sort are applied after this step on
//! every run, from the new model. `checker/tests/incremental.rs` holds it to a full run over
//! random edit sequences.

use crate::boundary::Boundary;
use crate::checks::PropertyReads;
use crate::config::Config;
use crate::engine;
use crate::findings::{self, Finding};
use crate::graph::ModelGraph;
use crate::rules::{Rule, RulePack};
use crate::{RuleState, level_reason};
use kientruc_dsl::analysis::Analysis;
use kientruc_dsl::metamodel::Localized;
use kientruc_dsl::model::{Element, Model, Properties, PropertyValue, Relation};
use kientruc_dsl::syntax::{CompactString, Date};
use kientruc_dsl::text::{Span, TextRange};
use kientruc_dsl::workspace::FrameworkInfo;
use rayon::prelude::*;
use std::collections::HashSet;
use std::hash::{Hash as _, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Each rule's state and findings (before waivers and severity overrides), in pack order.
pub(crate) type Evaluated = Vec<(String, RuleState, Vec<Finding>)>;

/// What the last check of a workspace keeps for the next one: its rule inputs and results.
#[derive(Debug, Default)]
pub struct RuleCache {
    last: Mutex<Option<Arc<Memo>>>,
    evaluated_last: std::sync::atomic::AtomicUsize,
}

impl RuleCache {
    /// How many rules the last run evaluated (the others kept their findings).
    pub fn evaluated_last(&self) -> usize {
        self.evaluated_last
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets the last run (the next one evaluates every rule).
    pub fn clear(&self) {
        *self.slot() = None;
    }

    /// The last run (a panic while it was held left it whole: it is replaced, never edited).
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<Memo>>> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Debug)]
struct Memo {
    inputs: Inputs,
    evaluated: Evaluated,
}

/// The rule inputs of one run.
#[derive(Debug)]
struct Inputs {
    /// Pack, level, dates.
    global: u64,
    /// The pack's checks, whose addresses `global` holds.
    checks: Vec<crate::checks::Check>,
    config: Config,
    framework: Option<FrameworkInfo>,
    /// Each file's path and text, by file id.
    files: Vec<(PathBuf, Arc<str>)>,
    header: Option<Declaration>,
    elements: Vec<ElementInputs>,
    /// The elements' properties, a list per [`DIGEST_CHUNK`] elements.
    properties: Vec<Vec<PropertyInput>>,
    relations: Vec<Declaration>,
}

/// Elements digested per task: each task writes its elements' properties to one list (a list
/// per element was a hundred thousand allocations at 100,000 elements, on every edit).
const DIGEST_CHUNK: usize = 1024;

/// One element as the rules see it: its declaration without its properties' names and values
/// (`content`), which are kept one by one: an edit most often changes one value, and the rules
/// that do not read that property keep their findings.
#[derive(Debug)]
struct ElementInputs {
    /// Everything but positions and properties.
    content: u64,
    /// Where the declaration starts (the range's end is not compared).
    start: Span,
    /// Where its id is written.
    id: TextRange,
    /// Its properties in name order: their place in the list of its chunk of elements.
    properties: std::ops::Range<u32>,
}

/// One property of an element: its name, its value's digest (whose lowest bit is set when the
/// value names an element: the graph has a link of type `name` for it) and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PropertyInput {
    name: CompactString,
    value: u64,
    range: TextRange,
}

impl PropertyInput {
    fn is_link(&self) -> bool {
        self.value & 1 == 1
    }
}

/// A property whose value differs between the last run and this one on some element (or that one
/// of them does not have); `link`: its value named an element in either run.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ChangedProperty {
    name: CompactString,
    link: bool,
}

/// One declaration (element, relation, header) as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Declaration {
    /// Everything but positions.
    content: u64,
    /// Its positions relative to `start` (and their files), its length included.
    shape: u64,
    /// Where the declaration starts (the range's end is not compared).
    start: Span,
}

/// How the last run's positions in one file map to the new run's: offsets before `from` stay,
/// offsets from `old_end` on move by `new_end - old_end`; the text in between was edited.
#[derive(Debug, Clone, Copy)]
struct Edit {
    from: u32,
    old_end: u32,
    new_end: u32,
}

impl Edit {
    fn between(old: &str, new: &str) -> Option<Edit> {
        if old == new {
            return None;
        }
        let (old, new) = (old.as_bytes(), new.as_bytes());
        let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let room = old.len().min(new.len()) - prefix;
        let suffix = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        Some(Edit {
            from: prefix as u32,
            old_end: (old.len() - suffix) as u32,
            new_end: (new.len() - suffix) as u32,
        })
    }

    /// The new range of `[start, end)`, or `None` when it touches the edited text.
    fn map(&self, start: u32, end: u32) -> Option<(u32, u32)> {
        if end <= self.from && start < self.from {
            Some((start, end))
        } else if start >= self.old_end {
            Some((self.moved(start), self.moved(end)))
        } else {
            None
        }
    }

    /// The new offset of the start of a declaration, or `None` when it is in the edited text.
    /// A declaration may hold the edit: it is the same only if its content and the shape of its
    /// positions are (then the edit changed no length inside it, or only text no rule reads).
    fn map_start(&self, start: u32) -> Option<u32> {
        if start < self.from {
            Some(start)
        } else if start >= self.old_end {
            Some(self.moved(start))
        } else {
            None
        }
    }

    fn moved(&self, offset: u32) -> u32 {
        offset - self.old_end + self.new_end
    }
}

/// The edits of every file, by file id (`None`: unchanged).
struct Moves(Vec<Option<Edit>>);

impl Moves {
    fn span(&self, span: Span) -> Option<Span> {
        let Some(edit) = self.0.get(span.file.0 as usize)? else {
            return Some(span);
        };
        let (start, end) = edit.map(span.range.start, span.range.end)?;
        Some(Span::new(span.file, TextRange { start, end }))
    }

    /// Where a declaration that started at `start` starts now.
    fn start(&self, start: Span) -> Option<Span> {
        let mut moved = start;
        if let Some(edit) = self.0.get(start.file.0 as usize)? {
            moved.range.start = edit.map_start(start.range.start)?;
            moved.range.end = moved.range.start;
        }
        Some(moved)
    }

    fn finding(&self, finding: &Finding) -> Option<Finding> {
        let mut moved = finding.clone();
        moved.span = self.span(finding.span)?;
        for label in &mut moved.related {
            label.span = self.span(label.span)?;
        }
        for route in &mut moved.routes {
            route.span = self.span(route.span)?;
        }
        Some(moved)
    }
}

fn hasher() -> impl Hasher {
    use std::hash::BuildHasher as _;
    foldhash::quality::FixedState::with_seed(0x6b69_656e_7472_7563).build_hasher()
}

fn value_digest(model: &Model, value: &PropertyValue, state: &mut impl Hasher) {
    std::mem::discriminant(value).hash(state);
    match value {
        PropertyValue::String(text) => text.hash(state),
        PropertyValue::Integer(number) => number.hash(state),
        PropertyValue::Boolean(flag) => flag.hash(state),
        PropertyValue::Date(date) => date.hash(state),
        PropertyValue::Enum(word) => word.hash(state),
        PropertyValue::Reference(id) => model.element(*id).qualified_id.hash(state),
        PropertyValue::List(items) => {
            items.len().hash(state);
            for item in items {
                value_digest(model, item, state);
            }
        }
    }
}

/// Properties' names and values into `content`, their positions relative to `start` into `shape`.
fn properties_digest(
    model: &Model,
    properties: &Properties,
    start: Span,
    content: &mut impl Hasher,
    shape: &mut impl Hasher,
) {
    for (name, entry) in properties.iter() {
        name.hash(content);
        value_digest(model, &entry.value, content);
        relative(entry.span, start, shape);
    }
    properties.len().hash(content);
}

/// A declaration's start, as an empty span.
fn start_of(span: Span) -> Span {
    Span::new(span.file, TextRange::empty(span.range.start as usize))
}

fn relative(span: Span, start: Span, shape: &mut impl Hasher) {
    span.file.0.hash(shape);
    i64::from(span.range.start)
        .wrapping_sub(i64::from(start.range.start))
        .hash(shape);
    (span.range.end.wrapping_sub(span.range.start)).hash(shape);
}

fn element_digest(
    model: &Model,
    boundary: &Boundary,
    element: &Element,
    properties: &mut Vec<PropertyInput>,
) -> ElementInputs {
    let mut content = hasher();
    let qualified = |id| &model.element(id).qualified_id;
    element.qualified_id.hash(&mut content);
    element.local_id.hash(&mut content);
    element.kind.hash(&mut content);
    element.layer.hash(&mut content);
    element.name.hash(&mut content);
    element.doc.hash(&mut content);
    element.tags.hash(&mut content);
    element.in_workspace.hash(&mut content);
    boundary.is_subject(element.id).hash(&mut content);
    element.parent.map(qualified).hash(&mut content);
    for child in &element.children {
        qualified(*child).hash(&mut content);
    }
    element.children.len().hash(&mut content);
    element.span.file.hash(&mut content);
    let first = properties.len() as u32;
    properties.extend(element.properties.iter().map(|(name, entry)| {
        let mut value = hasher();
        value_digest(model, &entry.value, &mut value);
        PropertyInput {
            name: name.clone(),
            value: value.finish() & !1 | u64::from(names_an_element(&entry.value)),
            range: entry.span.range,
        }
    }));
    ElementInputs {
        content: content.finish(),
        start: start_of(element.span),
        id: element.id_span.range,
        properties: first..properties.len() as u32,
    }
}

/// Whether `value` names an element (is a reference, or a list holding one).
fn names_an_element(value: &PropertyValue) -> bool {
    match value {
        PropertyValue::Reference(_) => true,
        PropertyValue::List(items) => items.iter().any(names_an_element),
        _ => false,
    }
}

fn relation_digest(model: &Model, relation: &Relation) -> Declaration {
    let (mut content, mut shape) = (hasher(), hasher());
    let qualified = |id| &model.element(id).qualified_id;
    relation.relation_type.hash(&mut content);
    qualified(relation.source).hash(&mut content);
    qualified(relation.target).hash(&mut content);
    relation.label.hash(&mut content);
    for via in &relation.via {
        qualified(*via).hash(&mut content);
    }
    relation.via.len().hash(&mut content);
    relation.doc.hash(&mut content);
    relation.in_workspace.hash(&mut content);
    properties_digest(
        model,
        &relation.properties,
        relation.span,
        &mut content,
        &mut shape,
    );
    relative(relation.span, relation.span, &mut shape);
    Declaration {
        content: content.finish(),
        shape: shape.finish(),
        start: start_of(relation.span),
    }
}

fn header_digest(model: &Model) -> Option<Declaration> {
    let header = model.header.as_ref()?;
    let (mut content, mut shape) = (hasher(), hasher());
    header.id.hash(&mut content);
    header.name.hash(&mut content);
    header.framework.hash(&mut content);
    header.version.hash(&mut content);
    header.as_of.hash(&mut content);
    header.doc.hash(&mut content);
    properties_digest(
        model,
        &header.properties,
        header.span,
        &mut content,
        &mut shape,
    );
    relative(header.span, header.span, &mut shape);
    Some(Declaration {
        content: content.finish(),
        shape: shape.finish(),
        start: start_of(header.span),
    })
}

/// What `check` has decided before the rules run, which they read.
pub(crate) struct Setting<'a> {
    pub pack: &'a RulePack,
    pub config: &'a Config,
    pub framework: Option<&'a FrameworkInfo>,
    pub level: Option<&'a str>,
    pub today: Date,
    pub as_of: Date,
}

impl Setting<'_> {
    fn inputs(&self, analysis: &Analysis, boundary: &Boundary) -> Inputs {
        let model = &analysis.model;
        let mut global = hasher();
        // The pack by the identity of its checks (kept alive in `checks`, so that no other pack
        // takes their addresses), the rest of each rule (texts, citation, levels) coming from
        // the pack's files, which are among `files`.
        for rule in &self.pack.rules {
            rule.id.hash(&mut global);
            (Arc::as_ptr(&rule.check).cast::<()>() as usize).hash(&mut global);
            rule.severity.hash(&mut global);
        }
        self.level.hash(&mut global);
        self.today.hash(&mut global);
        self.as_of.hash(&mut global);
        let ((elements, properties), relations) = rayon::join(
            || {
                let chunks: Vec<(Vec<ElementInputs>, Vec<PropertyInput>)> = model
                    .elements
                    .par_chunks(DIGEST_CHUNK)
                    .map(|chunk| {
                        let mut properties = Vec::with_capacity(
                            chunk.iter().map(|element| element.properties.len()).sum(),
                        );
                        let elements = chunk
                            .iter()
                            .map(|element| {
                                element_digest(model, boundary, element, &mut properties)
                            })
                            .collect();
                        (elements, properties)
                    })
                    .collect();
                let mut elements = Vec::with_capacity(model.elements.len());
                let mut properties = Vec::with_capacity(chunks.len());
                for (chunk_elements, chunk_properties) in chunks {
                    elements.extend(chunk_elements);
                    properties.push(chunk_properties);
                }
                (elements, properties)
            },
            || {
                model
                    .relations
                    .par_iter()
                    .map(|relation| relation_digest(model, relation))
                    .collect()
            },
        );
        Inputs {
            global: global.finish(),
            checks: self
                .pack
                .rules
                .iter()
                .map(|rule| rule.check.clone())
                .collect(),
            config: self.config.clone(),
            framework: self.framework.cloned(),
            files: analysis
                .workspace
                .files
                .iter()
                .map(|(_, source)| (source.path.clone(), source.text.clone()))
                .collect(),
            header: header_digest(model),
            elements,
            properties,
            relations,
        }
    }
}

impl Inputs {
    /// The properties of `element`, the element at `index`.
    fn properties_of(&self, index: usize, element: &ElementInputs) -> &[PropertyInput] {
        let range = element.properties.start as usize..element.properties.end as usize;
        &self.properties[index / DIGEST_CHUNK][range]
    }

    /// How the last run's positions move to this run's, and the properties that changed, when
    /// nothing else a rule reads changed (`None`: something did, and every rule is evaluated
    /// again): every element keeps everything but its properties and starts, and has its id,
    /// where the edit of its file moved them; the header and every relation are as they were,
    /// where the edit moved them. A property changed when its value did, when an element gained
    /// or lost it, or when it is not where the edit moved it.
    fn changes_from(&self, last: &Inputs) -> Option<(Moves, Vec<ChangedProperty>)> {
        if self.global != last.global
            || self.checks.len() != last.checks.len()
            || self.config != last.config
            || self.framework != last.framework
            || self.files.len() != last.files.len()
            || self.elements.len() != last.elements.len()
            || self.relations.len() != last.relations.len()
        {
            return None;
        }
        let mut edits = Vec::with_capacity(self.files.len());
        for ((path, text), (last_path, last_text)) in self.files.iter().zip(&last.files) {
            if path != last_path {
                return None;
            }
            edits.push(if Arc::ptr_eq(text, last_text) {
                None
            } else {
                Edit::between(last_text, text)
            });
        }
        let moves = Moves(edits);
        let same = |new: &Declaration, old: &Declaration| {
            new.content == old.content
                && new.shape == old.shape
                && moves.start(old.start) == Some(new.start)
        };
        let same_header = match (&self.header, &last.header) {
            (Some(new), Some(old)) => same(new, old),
            (None, None) => true,
            _ => false,
        };
        if !same_header
            || !self
                .relations
                .par_iter()
                .zip(&last.relations)
                .all(|(new, old)| same(new, old))
        {
            return None;
        }
        let mut changed: Vec<ChangedProperty> = self
            .elements
            .par_iter()
            .zip(&last.elements)
            .enumerate()
            .try_fold(Vec::new, |mut changed, (index, (new, old))| {
                // The same element where the edit moved it: its id too (the end of its
                // declaration moves with the edit, or the edit is inside it, and a finding there
                // is in the edited text); its properties, each where the edit moved it.
                let file = new.start.file;
                let (before, after) = (
                    last.properties_of(index, old),
                    self.properties_of(index, new),
                );
                // In a file the edit did not touch, nothing moved: the same element is equal.
                if moves.0.get(file.0 as usize).is_some_and(Option::is_none)
                    && new.content == old.content
                    && new.start == old.start
                    && new.id == old.id
                    && before == after
                {
                    return Some(changed);
                }
                let in_place = |before: TextRange, after: TextRange| {
                    moves.span(Span::new(file, before)) == Some(Span::new(file, after))
                };
                let kept = new.content == old.content
                    && moves.start(old.start) == Some(new.start)
                    && in_place(old.id, new.id);
                kept.then(|| {
                    changed_properties(
                        before,
                        after,
                        |before, after| in_place(before.range, after.range),
                        &mut changed,
                    );
                    changed
                })
            })
            .try_reduce(Vec::new, |mut changed, more| {
                changed.extend(more);
                Some(changed)
            })?;
        changed.sort_unstable_by(|a, b| (&a.name, a.link).cmp(&(&b.name, b.link)));
        changed.dedup();
        Some((moves, changed))
    }
}

/// Adds to `changed` the properties that differ between `old` and `new` (both in name order):
/// a value changed, a property only one of them has, or one that is not where the edit `moved`
/// it (the same value written again before it, say: the first of the two counts).
fn changed_properties(
    old: &[PropertyInput],
    new: &[PropertyInput],
    moved: impl Fn(&PropertyInput, &PropertyInput) -> bool,
    changed: &mut Vec<ChangedProperty>,
) {
    let (mut at_old, mut at_new) = (0, 0);
    loop {
        let (property, link) = match (old.get(at_old), new.get(at_new)) {
            (None, None) => return,
            (Some(before), Some(after)) if before.name == after.name => {
                at_old += 1;
                at_new += 1;
                if before.value == after.value && moved(before, after) {
                    continue;
                }
                (before, before.is_link() || after.is_link())
            }
            (Some(before), Some(after)) if before.name < after.name => {
                at_old += 1;
                (before, before.is_link())
            }
            (Some(before), None) => {
                at_old += 1;
                (before, before.is_link())
            }
            (_, Some(after)) => {
                at_new += 1;
                (after, after.is_link())
            }
        };
        changed.push(ChangedProperty {
            name: property.name.clone(),
            link,
        });
    }
}

/// A rule of the last run with its findings moved, or its id when it must run again.
type Kept<'m> = Result<(&'m String, &'m RuleState, Vec<Finding>), &'m str>;

/// Each selected rule's state and findings, taken over from the last run for every rule whose
/// inputs are unchanged, else evaluated (and stored for the next run). When only properties
/// changed, a rule that reads none of them (see [`crate::checks::PropertyReads`]) and none of
/// whose findings lies in the edited text keeps its findings at moved places; the others are
/// evaluated again. Returns the boundary back (the graph, when one is built, takes it).
pub(crate) fn evaluate(
    cache: Option<&RuleCache>,
    analysis: &mut Analysis,
    setting: &Setting<'_>,
    boundary: Boundary,
) -> (Evaluated, Boundary) {
    let Some(cache) = cache else {
        return evaluate_rules(analysis, setting, boundary, None);
    };
    let started = std::time::Instant::now();
    let inputs = setting.inputs(analysis, &boundary);
    let last = cache.slot().clone();
    let kept: Option<Vec<Kept<'_>>> = last.as_ref().and_then(|last| {
        let (moves, changed) = inputs.changes_from(&last.inputs)?;
        let reads = |id: &str| {
            setting
                .pack
                .rules
                .iter()
                .find(|rule| rule.id == id)
                .map(|rule| rule.check.property_reads())
        };
        Some(
            last.evaluated
                .par_iter()
                .map(|(rule, state, found)| {
                    let affected = !changed.is_empty()
                        && reads(rule).is_none_or(|reads| {
                            changed
                                .iter()
                                .any(|property| reads.affected_by(&property.name, property.link))
                        });
                    if affected {
                        return Err(rule.as_str());
                    }
                    found
                        .iter()
                        .map(|finding| moves.finding(finding))
                        .collect::<Option<Vec<Finding>>>()
                        .map(|found| (rule, state, found))
                        .ok_or(rule.as_str())
                })
                .collect(),
        )
    });
    analysis.timings.push(("rule inputs", started.elapsed()));
    let (evaluated, boundary, again) = match kept {
        None => {
            let (evaluated, boundary) = evaluate_rules(analysis, setting, boundary, None);
            let again = evaluated.len();
            (evaluated, boundary, again)
        }
        Some(kept) => {
            let again: HashSet<&str> = kept
                .iter()
                .filter_map(|kept| kept.as_ref().err().copied())
                .collect();
            let (mut fresh, boundary) = if again.is_empty() {
                (Vec::new(), boundary)
            } else {
                evaluate_rules(analysis, setting, boundary, Some(&again))
            };
            let evaluated: Evaluated = kept
                .into_iter()
                .map(|kept| match kept {
                    Ok((rule, state, found)) => (rule.clone(), state.clone(), found),
                    Err(id) => {
                        let index = fresh
                            .iter()
                            .position(|(rule, _, _)| rule == id)
                            .expect("every rule run again has a fresh result");
                        fresh.swap_remove(index)
                    }
                })
                .collect();
            let count = again.len();
            (evaluated, boundary, count)
        }
    };
    cache
        .evaluated_last
        .store(again, std::sync::atomic::Ordering::Relaxed);
    *cache.slot() = Some(Arc::new(Memo {
        inputs,
        evaluated: evaluated.clone(),
    }));
    (evaluated, boundary)
}

/// The link types `rules` follow (empty: none), or `None` when one of them may follow any.
fn link_types(rules: &[&Rule]) -> Option<Vec<String>> {
    let mut types: Vec<String> = Vec::new();
    for rule in rules {
        match rule.check.property_reads() {
            PropertyReads::All => return None,
            PropertyReads::Named { links: None, .. } => {}
            PropertyReads::Named {
                links: Some(read), ..
            } => {
                if read.is_empty() {
                    return None;
                }
                types.extend(read);
            }
        }
    }
    types.sort_unstable();
    types.dedup();
    Some(types)
}

/// Builds the graph and evaluates every selected rule (of those in `only`, when given), in
/// parallel: the one evaluator.
pub(crate) fn evaluate_rules(
    analysis: &mut Analysis,
    setting: &Setting<'_>,
    boundary: Boundary,
    only: Option<&HashSet<&str>>,
) -> (Evaluated, Boundary) {
    let started = std::time::Instant::now();
    let selected: Vec<&Rule> = setting
        .pack
        .rules
        .iter()
        .filter(|rule| setting.config.runs(&rule.id, rule.reference_model.as_str()))
        .filter(|rule| only.is_none_or(|only| only.contains(rule.id.as_str())))
        .collect();
    // When only some rules run again, the graph holds the links they follow, if any.
    let graph = match only.and_then(|_| link_types(&selected)) {
        None => ModelGraph::build_within(&analysis.model, boundary),
        Some(types) if types.is_empty() => ModelGraph::without_links(&analysis.model, boundary),
        Some(types) => ModelGraph::with_link_types(&analysis.model, boundary, &types),
    };
    analysis.timings.push(("graph", started.elapsed()));
    let started = std::time::Instant::now();
    let selections = engine::Selections::compute(
        &graph,
        &selected
            .iter()
            .flat_map(|rule| rule.check.selected())
            .collect::<Vec<_>>(),
    );
    let context = engine::Context {
        graph: &graph,
        selections: &selections,
        model: &analysis.model,
        framework: setting.framework,
        today: setting.today,
        as_of: setting.as_of,
    };
    let evaluated: Evaluated = selected
        .par_iter()
        .map(|rule| {
            if let Some(reason) = level_reason(rule, setting.level, setting.framework) {
                return (
                    rule.id.clone(),
                    RuleState::NotApplicable(reason),
                    Vec::new(),
                );
            }
            let applicability = rule.citation.applicability(setting.as_of);
            if let Some(reason) = applicability.reason(setting.as_of) {
                return (
                    rule.id.clone(),
                    RuleState::NotApplicable(reason),
                    Vec::new(),
                );
            }
            let subjects = rule
                .check
                .subject()
                .map(|subject| engine::subjects(&context, subject).count());
            if subjects == Some(0) {
                let subject = rule.subject_source().unwrap_or("?");
                let reason = Localized {
                    vi: format!("Không có phần tử nào thuộc đối tượng của quy tắc ({subject})"),
                    en: format!("No element matches the rule's subject ({subject})"),
                };
                return (
                    rule.id.clone(),
                    RuleState::NotApplicable(reason),
                    Vec::new(),
                );
            }
            let hits = rule.check.evaluate(&context);
            let found = hits
                .into_iter()
                .map(|hit| findings::finding(rule, hit, &analysis.model))
                .collect::<Vec<_>>();
            (rule.id.clone(), RuleState::Ran(subjects), found)
        })
        .collect();
    let boundary = graph.into_boundary();
    analysis.timings.push(("rules", started.elapsed()));
    (evaluated, boundary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kientruc_dsl::text::FileId;

    fn property(name: &str, value: u64, start: u32, end: u32) -> PropertyInput {
        PropertyInput {
            name: CompactString::new(name),
            value,
            range: TextRange { start, end },
        }
    }

    fn changed(old: &[PropertyInput], new: &[PropertyInput], edit: Edit) -> Vec<String> {
        let moves = Moves(vec![Some(edit)]);
        let file = FileId(0);
        let mut changed = Vec::new();
        changed_properties(
            old,
            new,
            |before, after| {
                moves.span(Span::new(file, before.range)) == Some(Span::new(file, after.range))
            },
            &mut changed,
        );
        changed
            .into_iter()
            .map(|property| format!("{}{}", property.name, if property.link { "*" } else { "" }))
            .collect()
    }

    #[test]
    fn a_property_changes_when_its_value_does_or_it_is_not_where_the_edit_moved_it() {
        // `b`'s value at 10..11 becomes three bytes long (10..13): `a` before it stays, `c` after
        // it moves by two; `d` is new, `e` gone, `f` now names an element.
        let edit = Edit {
            from: 10,
            old_end: 11,
            new_end: 13,
        };
        let old = [
            property("a", 2, 0, 5),
            property("b", 4, 8, 11),
            property("c", 6, 12, 15),
            property("e", 8, 20, 25),
            property("f", 10, 30, 35),
        ];
        let new = [
            property("a", 2, 0, 5),
            property("b", 12, 8, 13),
            property("c", 6, 14, 17),
            property("d", 2, 18, 20),
            property("f", 11, 32, 37),
        ];
        assert_eq!(changed(&old, &new, edit), ["b", "d", "e", "f*"]);
        // The same values, but `c` is found elsewhere than moved (the same line written again
        // before it: the first one counts): it changed.
        let new = [
            property("a", 2, 0, 5),
            property("b", 12, 8, 13),
            property("c", 6, 9, 12),
        ];
        assert_eq!(changed(&old[..3], &new, edit), ["b", "c"]);
    }
}
