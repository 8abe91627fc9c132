//! Rules written in Rust, for checks the declarative rule types cannot express. Each is
//! registered here by name and used from a rule pack as `check = { type = "builtin", builtin =
//! "NAME" }`, so it carries the same metadata (id, messages, citation, fixtures) as any rule.
//!
//! # `framework-superseded`
//! **What it checks**: the date the model is judged on (`--as-of`, its `as_of`, or today) falls after
//! the date on which the framework the model claims was replaced by its successor.
//! **Why**: QĐ 2568/QĐ-BTTTT (framework 3.0) was replaced by QĐ 292/QĐ-BKHCN on 25/03/2025; a
//! model evaluated after that date should say it conforms to a legacy framework.
//! **Failing example**: `architecture x "X" { framework "vn-egov-3.0" version "1.0" as_of 2025-06-30 }`.
//! **Passing example**: the same with `as_of 2024-12-31`.
//! **How to fix**: plan the migration to the successor framework, or state the `as_of` date the
//! model describes.
//!
//! # `architecture-adopted`
//! **What it checks**: the architecture header names the decision adopting it: `adopted_by`
//! (its number), `adopted_on` (its date) and `signed_by` (the signer).
//! **Why**: a provincial architecture is a document its People's Committee adopts (Hanoi's v2.0:
//! QĐ 4097/QĐ-UBND); a model without that decision is a reference model, not the architecture in
//! force, and the report says so.
//! **Failing example**: `architecture x "X" { framework "vn-egov-3.0" version "1.0" }`.
//! **Passing example**: the same with `adopted_by "123/QĐ-UBND" adopted_on 2024-06-01 signed_by
//! "…"`.
//! **How to fix**: give the adopting decision's number, date and signer — never an invented one;
//! until it exists, accept the finding with its reason.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "builtin",
    keys: &["builtin"],
    load,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinRule {
    FrameworkSuperseded,
    ArchitectureAdopted,
    /// The waiver rules (`KT-WAIVER-*`) are evaluated by `findings::apply_waivers`.
    WaiverBookkeeping,
}

impl BuiltinRule {
    pub const NAMES: &'static [&'static str] = &["framework-superseded", "architecture-adopted"];

    pub fn parse(name: &str) -> Option<BuiltinRule> {
        match name {
            "framework-superseded" => Some(BuiltinRule::FrameworkSuperseded),
            "architecture-adopted" => Some(BuiltinRule::ArchitectureAdopted),
            _ => None,
        }
    }

    /// This built-in rule as a rule's check.
    pub fn check(self) -> Check {
        Arc::new(self)
    }
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["builtin"])?;
    let (name, range) = input.builtin_name()?;
    if let Some(rule) = BuiltinRule::parse(&name) {
        return Some(rule.check());
    }
    input.error(
        range,
        format!("no built-in rule `{name}`"),
        Some(format!("built-in rules: {}", BuiltinRule::NAMES.join(", "))),
    );
    None
}

impl CheckRule for BuiltinRule {
    /// The header and the framework only, which every check is taken to read.
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[])
    }

    fn type_name(&self) -> &'static str {
        TYPE.name
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        match self {
            BuiltinRule::FrameworkSuperseded => framework_superseded(context),
            BuiltinRule::ArchitectureAdopted => architecture_adopted(context),
            BuiltinRule::WaiverBookkeeping => Vec::new(),
        }
    }
}

fn framework_superseded(context: &Context<'_>) -> Vec<Hit> {
    let (Some(header), Some(info)) = (&context.model.header, context.framework) else {
        return Vec::new();
    };
    let Some(successor) = &info.successor else {
        return Vec::new();
    };
    let Some(replaced_on) = kientruc_dsl::syntax::Date::parse(&successor.date) else {
        return Vec::new();
    };
    let evaluated_on = context.as_of;
    if evaluated_on < replaced_on {
        return Vec::new();
    }
    let mut values = BTreeMap::new();
    values.insert("value", evaluated_on.to_string());
    values.insert("value_vi", crate::dates::date_vi(evaluated_on));
    values.insert(
        "target_vi",
        format!(
            "{} ({}, {})",
            successor.id,
            successor.decision,
            crate::dates::date_vi(replaced_on)
        ),
    );
    values.insert(
        "target",
        format!(
            "{} ({}, {})",
            successor.id, successor.decision, successor.date
        ),
    );
    vec![Hit {
        element: None,
        span: header.span,
        key: successor.id.clone(),
        values,
        related: Vec::new(),
        path: Vec::new(),
        routes: Vec::new(),
    }]
}

fn architecture_adopted(context: &Context<'_>) -> Vec<Hit> {
    let Some(header) = &context.model.header else {
        return Vec::new();
    };
    let missing: Vec<&str> = ["adopted_by", "adopted_on", "signed_by"]
        .into_iter()
        .filter(|name| header.properties.get(name).is_none())
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut values = BTreeMap::new();
    values.insert("property", missing.join(", "));
    vec![Hit {
        element: None,
        span: header.span,
        key: "adopted".to_owned(),
        values,
        related: Vec::new(),
        path: Vec::new(),
        routes: Vec::new(),
    }]
}
