//! Pass 2 of resolution: the bodies of the elements (kinds, properties, nested relations; see
//! `element`) checked in shares of elements run in parallel, each within one file, or a file's
//! outputs taken from the [`ResolveCache`] when nothing they depend on changed. This pass's
//! outputs are kept there for the next resolution.

use super::cache::{CachedFile, ResolveCache};
use super::declare::PendingElement;
use super::resolver::{Context, Output, Read, Reads};
use crate::metamodel::Metamodel;
use crate::text::FileId;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Elements per share of pass 2, at most (large enough that a share's bookkeeping is noise)...
const ELEMENTS_PER_SHARE: usize = 2048;
/// ...and at least, when a small model is split into eight shares per thread so that the
/// threads finish together.
const MIN_ELEMENTS_PER_SHARE: usize = 128;

/// What one task produced: its outputs and, for a share checked now while a cache is kept, every
/// name it looked up and the copy of its output the cache keeps (made here, in parallel, rather
/// than one file after another when the cache is stored).
struct TaskOutput {
    outputs: Vec<Output>,
    kept: Option<(Vec<Read>, Output)>,
}

/// Checks the bodies of `pending` (pass 1's elements, in order), reusing what `cache` kept:
/// the outputs in the order of `pending`.
pub(super) fn check_bodies(
    context: Context<'_, '_>,
    pending: &[PendingElement<'_>],
    metamodel: Option<&Arc<Metamodel>>,
    cache: Option<&ResolveCache>,
) -> Vec<Output> {
    let cached = cache.map(ResolveCache::take).unwrap_or_default();
    let plan = Plan::new(context, pending, &cached, metamodel);
    let task_outputs = plan.run(context, pending, &cached, cache.is_some());
    match cache {
        Some(cache) => plan.keep(cache, context, pending, metamodel, cached, task_outputs),
        None => task_outputs
            .into_iter()
            .flat_map(|task| task.outputs)
            .collect(),
    }
}

/// How pass 2 goes: the run of `pending` each file's elements take, whether the cache answers for
/// each file, and how many elements a share holds.
struct Plan {
    file_ranges: Vec<(FileId, Range<usize>)>,
    reusable: Vec<bool>,
    share_size: usize,
}

impl Plan {
    fn new(
        context: Context<'_, '_>,
        pending: &[PendingElement<'_>],
        cached: &HashMap<FileId, CachedFile>,
        metamodel: Option<&Arc<Metamodel>>,
    ) -> Plan {
        let file_ranges = ranges_by_file(pending);
        let reusable: Vec<bool> = file_ranges
            .par_iter()
            .map(|(file, range)| {
                cached.get(file).is_some_and(|entry| {
                    entry.is_valid(
                        context.workspace,
                        metamodel,
                        &pending[range.clone()],
                        &context.resolver(),
                    )
                })
            })
            .collect();
        let share_size = pending
            .len()
            .div_ceil(rayon::current_num_threads() * 8)
            .clamp(MIN_ELEMENTS_PER_SHARE, ELEMENTS_PER_SHARE);
        Plan {
            file_ranges,
            reusable,
            share_size,
        }
    }

    /// A task per reused file (`None`), and per share of a file to check.
    fn tasks(&self) -> Vec<(FileId, Option<Range<usize>>)> {
        self.file_ranges
            .iter()
            .zip(&self.reusable)
            .flat_map(|((file, range), reuse)| {
                let shares: Vec<Option<std::ops::Range<usize>>> = if *reuse {
                    vec![None]
                } else {
                    range
                        .clone()
                        .step_by(self.share_size)
                        .map(|start| Some(start..(start + self.share_size).min(range.end)))
                        .collect()
                };
                shares.into_iter().map(|share| (*file, share))
            })
            .collect()
    }

    /// Runs the tasks in parallel: a reused file gives its kept outputs, a share its new output
    /// (and, when `record_reads`, the names it looked up).
    fn run(
        &self,
        context: Context<'_, '_>,
        pending: &[PendingElement<'_>],
        cached: &HashMap<FileId, CachedFile>,
        record_reads: bool,
    ) -> Vec<TaskOutput> {
        self.tasks()
            .par_iter()
            .map(|(file, share)| match share {
                None => TaskOutput {
                    outputs: cached[file].outputs.clone(),
                    kept: None,
                },
                Some(share) => {
                    let mut resolver = context.resolver();
                    if record_reads {
                        resolver.reads = Some(Reads::default());
                    }
                    for item in &pending[share.clone()] {
                        resolver.check_element(item);
                    }
                    let kept = resolver
                        .reads
                        .map(|reads| (reads.list, resolver.out.clone()));
                    TaskOutput {
                        outputs: vec![resolver.out],
                        kept,
                    }
                }
            })
            .collect()
    }

    /// Keeps this resolution's pass 2 in `cache` for the next one: reused files as they were,
    /// checked files with their new outputs and reads. Returns the outputs in order.
    fn keep(
        &self,
        cache: &ResolveCache,
        context: Context<'_, '_>,
        pending: &[PendingElement<'_>],
        metamodel: Option<&Arc<Metamodel>>,
        mut cached: HashMap<FileId, CachedFile>,
        task_outputs: Vec<TaskOutput>,
    ) -> Vec<Output> {
        let mut outputs: Vec<Output> = Vec::with_capacity(task_outputs.len());
        let mut kept: HashMap<FileId, CachedFile> = HashMap::with_capacity(self.file_ranges.len());
        let mut task_outputs = task_outputs.into_iter();
        for ((file, range), reuse) in self.file_ranges.iter().zip(&self.reusable) {
            if *reuse {
                let task = task_outputs.next().expect("a task per reused file");
                outputs.extend(task.outputs);
                if let Some(entry) = cached.remove(file) {
                    kept.insert(*file, entry);
                }
                continue;
            }
            let mut entry = CachedFile::new(context.workspace, metamodel, &pending[range.clone()]);
            for _ in (range.clone()).step_by(self.share_size) {
                let task = task_outputs.next().expect("a task per share");
                if let Some((reads, kept)) = task.kept {
                    entry.outputs.push(kept);
                    entry.reads.extend(reads);
                }
                outputs.extend(task.outputs);
            }
            kept.insert(*file, entry);
        }
        cache.store(kept, self.reusable.iter().filter(|reuse| **reuse).count());
        outputs
    }
}

/// The run of `pending` each file's elements take, in order (a file's elements are declared
/// together).
fn ranges_by_file(pending: &[PendingElement<'_>]) -> Vec<(FileId, Range<usize>)> {
    let mut ranges: Vec<(FileId, Range<usize>)> = Vec::new();
    for (index, item) in pending.iter().enumerate() {
        match ranges.last_mut() {
            Some((file, range)) if *file == item.file => range.end = index + 1,
            _ => ranges.push((item.file, index..index + 1)),
        }
    }
    ranges
}
