//! Paths as sequences of routes: what the graph rules (`path-through`, `reachable`) walk.
//!
//! # What a path is
//! A relation `a exchanges_with -> d via b, c` is one route `a → b → c → d`; a reference-typed
//! property (`owner`, `hosted_in`, …) is a route of one hop. A path from X to Y over a set of
//! relation types is a sequence of routes r1 … rk (k ≥ 1) of those types where
//! - r1 starts at X: X is its source. A route belongs to the element that declares it; an
//!   intermediary of someone else's route starts nothing there.
//! - each next route starts at the element the previous one **ends** at (its target), never at
//!   an intermediary of another route: intermediaries are visited only inside their own route;
//! - Y is on rk after its source (an intermediary or the target), and Y ≠ X.
//!
//! The path passes through every element of r1 … r(k-1) and the elements of rk up to Y. So one
//! relation `a → lgsp → national.db` lets `a` reach the database, but an element whose own route
//! ends at `lgsp` does not: the hop `lgsp → national.db` is `a`'s, not a road others can take.
//!
//! # How it is searched
//! Breadth-first search over *positions*. A position is either an element (free to start any of
//! its routes) or a hop of a route (the route's element at that hop, which can only go on along
//! the route). The successors of an element position are the first hops of its routes of the
//! allowed types; of a hop, the route's next hop, or at the route's end the target's element
//! position. There are E + H positions (E elements, H hops of all routes) and as many edges, so
//! one search is O(E + H); no path is ever enumerated.

use crate::graph::{ModelGraph, TypeMask};
use kientruc_dsl::model::ElementId;
use std::collections::VecDeque;

/// A place a path can be at: see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// At an element, free to start any of its routes.
    At(ElementId),
    /// On hop `hop` (1 ..= the route's hops) of link `link`: at the route's element there.
    OnRoute { link: u32, hop: u32 },
}

/// No parent (a search's seed).
const NO_PARENT: u32 = u32::MAX;

impl ModelGraph<'_> {
    /// The number of positions: elements plus the hops of every route.
    pub fn position_count(&self) -> usize {
        self.hop_base.last().copied().unwrap_or(0) as usize
    }

    /// The index of a position, in `0..position_count()`.
    pub fn position_index(&self, position: Position) -> usize {
        match position {
            Position::At(element) => element.index(),
            Position::OnRoute { link, hop } => (self.hop_base[link as usize] + hop - 1) as usize,
        }
    }

    /// The position of an index (the inverse of [`ModelGraph::position_index`]).
    pub fn position_at(&self, index: usize) -> Position {
        let count = self.model.elements.len();
        if index < count {
            return Position::At(ElementId(index as u32));
        }
        let bases = &self.hop_base[..self.links.len()];
        let link = bases.partition_point(|base| *base as usize <= index) - 1;
        Position::OnRoute {
            link: link as u32,
            hop: (index - bases[link] as usize) as u32 + 1,
        }
    }

    /// The element a position is at.
    pub fn position_element(&self, position: Position) -> ElementId {
        match position {
            Position::At(element) => element,
            Position::OnRoute { link, hop } => self.links[link as usize].element_at(hop),
        }
    }

    /// Calls `visit` with each position a path at `position` can go to next.
    pub fn for_each_successor(
        &self,
        position: Position,
        types: &TypeMask,
        mut visit: impl FnMut(Position),
    ) {
        match position {
            Position::At(element) => {
                for link in self.link_indexes_from(element, types) {
                    visit(Position::OnRoute { link, hop: 1 });
                }
            }
            Position::OnRoute { link, hop } => {
                let route = &self.links[link as usize];
                if hop < route.hops() {
                    visit(Position::OnRoute { link, hop: hop + 1 });
                } else {
                    visit(Position::At(route.target));
                }
            }
        }
    }

    /// Calls `visit` with each position a path can come to `position` from.
    pub fn for_each_predecessor(
        &self,
        position: Position,
        types: &TypeMask,
        mut visit: impl FnMut(Position),
    ) {
        match position {
            Position::At(element) => {
                for link in self.link_indexes_to(element, types) {
                    let hop = self.links[link as usize].hops();
                    visit(Position::OnRoute { link, hop });
                }
            }
            Position::OnRoute { link, hop: 1 } => {
                visit(Position::At(self.links[link as usize].source));
            }
            Position::OnRoute { link, hop } => visit(Position::OnRoute { link, hop: hop - 1 }),
        }
    }

    /// Calls `visit` with every position at `element` on routes of `types`: the element itself
    /// and each hop where it is an intermediary. (Where it is a route's target, that hop leads to
    /// the element position and a backward search finds it from there.)
    pub fn for_each_position_of(
        &self,
        element: ElementId,
        types: &TypeMask,
        mut visit: impl FnMut(Position),
    ) {
        visit(Position::At(element));
        for index in self.intermediary_at.of(element) {
            let position = self.position_at(*index as usize);
            if let Position::OnRoute { link, .. } = position
                && self.link_allowed(link, types)
            {
                visit(position);
            }
        }
    }
}

/// A path found by a search: its positions from the start element's position to the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    pub positions: Vec<Position>,
}

impl Walk {
    /// The routes (link indexes) the walk takes, in order.
    pub fn links(&self) -> Vec<usize> {
        let mut links: Vec<usize> = Vec::new();
        for position in &self.positions {
            if let Position::OnRoute { link, hop: 1 } = position {
                links.push(*link as usize);
            }
        }
        links
    }

    /// The elements the walk passes, in order: the start, then the element of each hop (an
    /// element position after a route's end repeats the route's target and is not listed again).
    pub fn elements(&self, graph: &ModelGraph<'_>) -> Vec<ElementId> {
        let mut elements = Vec::with_capacity(self.positions.len());
        for (index, position) in self.positions.iter().enumerate() {
            if index == 0 || matches!(position, Position::OnRoute { .. }) {
                elements.push(graph.position_element(*position));
            }
        }
        elements
    }

    /// The last element of the walk.
    pub fn end(&self, graph: &ModelGraph<'_>) -> Option<ElementId> {
        self.positions
            .last()
            .map(|position| graph.position_element(*position))
    }
}

/// The state of repeated breadth-first searches over the positions of one graph: visited marks
/// by generation (so a new search costs no clearing) and parents to rebuild a walk.
pub struct Search {
    visited: Vec<u32>,
    parent: Vec<u32>,
    generation: u32,
    queue: VecDeque<Position>,
}

impl Search {
    pub fn new(graph: &ModelGraph<'_>) -> Search {
        let count = graph.position_count();
        Search {
            visited: vec![0; count],
            parent: vec![NO_PARENT; count],
            generation: 0,
            queue: VecDeque::new(),
        }
    }

    /// Starts a new search (forgets what the previous one visited).
    fn restart(&mut self) {
        self.generation += 1;
        self.queue.clear();
    }

    /// Marks `position` visited with `parent`; false if it already was.
    fn visit(
        &mut self,
        graph: &ModelGraph<'_>,
        position: Position,
        parent: Option<Position>,
    ) -> bool {
        let index = graph.position_index(position);
        if self.visited[index] == self.generation {
            return false;
        }
        self.visited[index] = self.generation;
        self.parent[index] = parent.map_or(NO_PARENT, |parent| graph.position_index(parent) as u32);
        self.queue.push_back(position);
        true
    }

    /// The chain of parents from `position` to a seed.
    fn chain(&self, graph: &ModelGraph<'_>, position: Position) -> Vec<Position> {
        let mut chain = vec![position];
        let mut index = self.parent[graph.position_index(position)];
        while index != NO_PARENT {
            chain.push(graph.position_at(index as usize));
            index = self.parent[index as usize];
        }
        chain
    }

    /// A shortest walk from `source` (as the source of its first route) to an element for which
    /// `is_target` holds (other than `source`), not entering any position whose element is
    /// `blocked`. O(E + H).
    pub fn forward(
        &mut self,
        graph: &ModelGraph<'_>,
        types: &TypeMask,
        source: ElementId,
        blocked: &[bool],
        is_target: &[bool],
    ) -> Option<Walk> {
        self.restart();
        self.visit(graph, Position::At(source), None);
        while let Some(position) = self.queue.pop_front() {
            let mut found = None;
            graph.for_each_successor(position, types, |next| {
                let element = graph.position_element(next);
                if found.is_some() || blocked[element.index()] {
                    return;
                }
                if self.visit(graph, next, Some(position))
                    && is_target[element.index()]
                    && element != source
                {
                    found = Some(next);
                }
            });
            if let Some(end) = found {
                let mut positions = self.chain(graph, end);
                positions.reverse();
                return Some(Walk { positions });
            }
        }
        None
    }

    /// Searches backward from every position at `target` and calls `found` with each element
    /// position reached whose element `is_source` holds (other than `target`), with a shortest
    /// walk from it to `target`, nearest first. Positions whose element is `blocked` are not
    /// entered. O(E + H).
    pub fn backward(
        &mut self,
        graph: &ModelGraph<'_>,
        types: &TypeMask,
        target: ElementId,
        blocked: &[bool],
        is_source: &[bool],
        mut found: impl FnMut(ElementId, Walk),
    ) {
        self.restart();
        graph.for_each_position_of(target, types, |seed| {
            self.visit(graph, seed, None);
        });
        while let Some(position) = self.queue.pop_front() {
            let mut sources = Vec::new();
            graph.for_each_predecessor(position, types, |previous| {
                let element = graph.position_element(previous);
                if blocked[element.index()] || !self.visit(graph, previous, Some(position)) {
                    return;
                }
                if let Position::At(element) = previous
                    && is_source[element.index()]
                    && element != target
                {
                    sources.push(element);
                }
            });
            for source in sources {
                let positions = self.chain(graph, Position::At(source));
                found(source, Walk { positions });
            }
        }
    }
}

/// Which elements are the start of a path (see the module documentation) to any of `targets`:
/// one backward search from every position at a target. A target reaches itself. O(E + H).
pub fn reaching(graph: &ModelGraph<'_>, types: &TypeMask, targets: &[ElementId]) -> Vec<bool> {
    let mut reaches = vec![false; graph.position_count()];
    let mut queue = VecDeque::new();
    for target in targets {
        graph.for_each_position_of(*target, types, |seed| {
            let index = graph.position_index(seed);
            if !reaches[index] {
                reaches[index] = true;
                queue.push_back(seed);
            }
        });
    }
    while let Some(position) = queue.pop_front() {
        graph.for_each_predecessor(position, types, |previous| {
            let index = graph.position_index(previous);
            if !reaches[index] {
                reaches[index] = true;
                queue.push_back(previous);
            }
        });
    }
    reaches.truncate(graph.model.elements.len());
    reaches
}
