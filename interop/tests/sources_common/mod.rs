//! What the diagram-source tests share: the report fixtures' small model and injection model
//! (loaded as `reports/tests/common` loads them, with the `report-test` pack), and a model whose
//! names hold what each diagram language reads as syntax.

#![allow(dead_code)] // each test binary uses its own part

#[path = "../../../reports/tests/common/mod.rs"]
mod report_fixtures;

use kientruc_checker::Checked;

pub fn small() -> Checked {
    report_fixtures::check(&[
        (
            "architecture.ea",
            include_str!("../../../reports/tests/fixtures/small/architecture.ea"),
        ),
        (
            "roadmap.ea",
            include_str!("../../../reports/tests/fixtures/small/roadmap.ea"),
        ),
    ])
}

pub fn injection() -> Checked {
    report_fixtures::check(&[(
        "architecture.ea",
        include_str!("../../../reports/tests/fixtures/injection/architecture.ea"),
    )])
}

/// Names with what each language reads as syntax, and ids that collide once made safe (`a-b`,
/// `a_b`) or are keywords (`end`, `style`).
pub const HOSTILE: &str = r#"architecture hostile "Kiến trúc $x ${y} %date() %%{init: {'theme':'dark'}}%% @enduml" {
  framework "report-test"
  version "1.0"
  as_of 2025-06-30
}

import "framework:national.ea" as national

agency ubnd "UBND \\N \\n \\ #quot; &lt; &amp; ;" {
  level province
}

system end "Giá $5 ${x} \\${y} %getenv(\"HOME\") !include /etc/passwd" {
  owner ubnd
  exchanges_with -> style
  exchanges_with -> national.ndxp via a-b
}

system style "style x:#35; classDef y fill:#f00; {x|y} <b>b</b> [[http://x]] ~~w~~ --s-- __u__ //i// \"\"m\"\"" {
  owner ubnd
  exchanges_with -> a_b
}

platform a-b "`md` **b** ```x``` |a| [x](y) {z}" {
  owner ubnd
  platform_type lgsp
}

system a_b "a_b \"quoted\" 'single' <U+0022> &#34; #35; \\u0022" {
  owner ubnd
}
"#;

pub fn hostile() -> Checked {
    report_fixtures::check(&[("architecture.ea", HOSTILE)])
}

/// A model with nothing either view draws (an agency only): every format says the view is empty.
pub fn empty() -> Checked {
    report_fixtures::check(&[(
        "architecture.ea",
        "architecture rong \"Rỗng\" {\n  framework \"report-test\"\n  version \"1.0\"\n  as_of 2025-06-30\n}\n\nagency ubnd \"UBND\" {\n  level province\n}\n",
    )])
}
