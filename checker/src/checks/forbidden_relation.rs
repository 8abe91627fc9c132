//! `forbidden-relation`: a selected workspace element's relation whose route ends at, or passes
//! through, a `target` element (with `direction = "incoming"` or `"both"`, also a relation to
//! it whose route starts at or passes through one), unless an intermediary matches
//! `unless-via`. One finding per route, at the relation. `{target}`, `{relation}`, `{path}`.
//! With `superseded-on-date = true`, a target counts only when it has been replaced on the date
//! the model is judged on: its `superseded_by` document took effect (`effective_on`, else
//! `issued_on`) on or before that date (a replacement without a date counts).

use super::{Check, CheckInput, CheckRule, CheckType, Direction, PropertyReads};
use crate::engine::{Context, Hit, RouteRef, path_text, subjects};
use crate::graph::Link;
use crate::selector::{Evaluate as _, Selector};
use kientruc_dsl::Label;
use kientruc_dsl::model::{Element, ElementId};
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "forbidden-relation",
    keys: &[
        "select",
        "relation",
        "target",
        "unless-via",
        "direction",
        "superseded-on-date",
    ],
    load,
};

#[derive(Debug)]
pub struct ForbiddenRelation {
    select: Selector,
    relations: Vec<String>,
    target: Selector,
    unless_via: Option<Selector>,
    direction: Direction,
    superseded_on_date: bool,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["select", "target"])?;
    let unless_via = input.optional_selector("unless-via")?;
    let direction =
        input.direction(&[Direction::Outgoing, Direction::Incoming, Direction::Both])?;
    Some(Arc::new(ForbiddenRelation {
        select: input.selector("select", None)?,
        relations: input.relations(),
        target: input.selector("target", None)?,
        unless_via,
        direction,
        superseded_on_date: input.superseded_on_date(),
    }))
}

impl CheckRule for ForbiddenRelation {
    /// The links of its types, and, when a relation to a superseded element counts, the
    /// target's `superseded_by` and its replacement's dates.
    fn property_reads(&self) -> PropertyReads {
        let mut selectors = vec![&self.select, &self.target];
        selectors.extend(&self.unless_via);
        let reads = PropertyReads::of_selectors(&selectors).and_links(&self.relations);
        if self.superseded_on_date {
            ["superseded_by", "effective_on", "issued_on"]
                .iter()
                .fold(reads, |reads, name| reads.and_property(name))
        } else {
            reads
        }
    }

    fn type_name(&self) -> &'static str {
        TYPE.name
    }

    fn subject(&self) -> Option<&Selector> {
        Some(&self.select)
    }

    fn selected(&self) -> Vec<&Selector> {
        vec![&self.select]
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        let hits = forbidden_relation(
            context,
            &self.select,
            &self.relations,
            &self.target,
            self.unless_via.as_ref(),
            self.direction,
        );
        if !self.superseded_on_date {
            return hits;
        }
        let model = context.model;
        hits.into_iter()
            .filter(|hit| {
                let Some(target) = hit.values.get("target").and_then(|id| model.find(id)) else {
                    return true;
                };
                let Some(kientruc_dsl::model::PropertyValue::Reference(replacement)) =
                    target.property("superseded_by")
                else {
                    return true;
                };
                let replacement = model.element(*replacement);
                let date = ["effective_on", "issued_on"]
                    .iter()
                    .find_map(|name| match replacement.property(name) {
                        Some(kientruc_dsl::model::PropertyValue::Date(date)) => Some(*date),
                        _ => None,
                    });
                date.is_none_or(|date| date <= context.as_of)
            })
            .collect()
    }
}

/// A relation of `relations` from a subject whose route ends at, or passes through, a `target`
/// element is a violation, unless one of its intermediaries is an `unless-via` element (then the
/// whole route is allowed). One finding per route, at the relation: `{target}` is the route's
/// target when it matches, else its first matching intermediary, and `{path}` the route. With
/// `direction = "incoming"` (or `"both"`), the relations ending at a subject are looked at the
/// same way, from their source: a route that starts at, or passes through, a `target` element.
fn forbidden_relation(
    context: &Context<'_>,
    select: &Selector,
    relations: &[String],
    target: &Selector,
    unless_via: Option<&Selector>,
    direction: Direction,
) -> Vec<Hit> {
    let graph = context.graph;
    let model = context.model;
    let mask = graph.type_mask(relations);
    let forbidden = |id: ElementId| target.matches(graph, model.element(id));
    let allowed_route = |link: &Link<'_>| {
        unless_via.is_some_and(|allowed| {
            link.via
                .iter()
                .any(|via| allowed.matches(graph, model.element(*via)))
        })
    };
    let outgoing = matches!(direction, Direction::Outgoing | Direction::Both);
    let incoming = matches!(direction, Direction::Incoming | Direction::Both);
    let mut hits = Vec::new();
    for element in subjects(context, select) {
        if outgoing {
            for link in graph.links_from_typed(element.id, &mask) {
                // The route's target first (the key findings had before routes were checked).
                let matched = std::iter::once(link.target)
                    .chain(link.via.iter().copied())
                    .find(|id| forbidden(*id));
                if let Some(matched) = matched
                    && !allowed_route(link)
                {
                    let end = link.target;
                    hits.push(forbidden_hit(context, element, link, matched, end, "->"));
                }
            }
        }
        if incoming {
            for link in graph.links_to_typed(element.id, &mask) {
                // A loop is an outgoing relation too: reported once.
                if outgoing && link.source == element.id {
                    continue;
                }
                let matched = std::iter::once(link.source)
                    .chain(link.via.iter().copied())
                    .find(|id| forbidden(*id));
                if let Some(matched) = matched
                    && !allowed_route(link)
                {
                    let end = link.source;
                    hits.push(forbidden_hit(context, element, link, matched, end, "<-"));
                }
            }
        }
    }
    hits
}

/// The finding of a forbidden route of `element`: `matched` is the forbidden element on it,
/// `end` the route's other end, `arrow` its direction seen from `element`.
fn forbidden_hit(
    context: &Context<'_>,
    element: &Element,
    link: &Link<'_>,
    matched: ElementId,
    end: ElementId,
    arrow: &str,
) -> Hit {
    let model = context.model;
    let matched_element = model.element(matched);
    let route: Vec<ElementId> = link.route().collect();
    let mut hit = Hit::on(element)
        .with("target", matched_element.qualified_id.clone())
        .with("relation", link.link_type.to_owned())
        .with("path", path_text(model, &route));
    hit.span = link.span;
    let at_end = matched == end;
    let end = &model.element(end).qualified_id;
    // A match at the route's end keys as findings did before routes were checked (outgoing:
    // `type->target`), so their fingerprints and baselines stay valid.
    hit.key = if at_end {
        format!("{}{arrow}{end}", link.link_type)
    } else {
        format!(
            "{}{arrow}{end} via {}",
            link.link_type, matched_element.qualified_id
        )
    };
    hit.related.push(Label {
        span: matched_element.id_span,
        message: format!("{} is declared here", matched_element.qualified_id),
    });
    if !link.via.is_empty() {
        hit.path = route;
        hit.routes.push(RouteRef::of(link));
    }
    hit
}
