/**
 * @file A tree-sitter grammar for kientruc's `.ea` language (enterprise-architecture models).
 * @license Apache-2.0
 *
 * It follows kientruc's own parser: dsl/src/grammar.pest (the grammar) and dsl/src/lexer
 * (comments, strings), documented in docs/language.md. Every `.ea` file of the repository that
 * kientruc parses must parse here without an ERROR or MISSING node, and every file kientruc
 * rejects with a syntax error must give one (bindings/rust/tests/repository.rs checks both, on
 * the files and on thousands of edits of them).
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// An identifier starts with an ASCII letter or `_` and continues with ASCII letters, digits, `_`
// and `-`, except a `-` directly followed by `>` (`a->b` reads `a -> b`). This expression stops
// before a trailing run of `-`; the external scanner (src/scanner.c) reads the identifiers that
// end with `-` (`a-` before a space or a comma), as whether a `>` follows is beyond a regular
// expression.
const IDENTIFIER = /[A-Za-z_](-*[A-Za-z0-9_])*/;

// The code of a Unicode scalar value in 1 to 6 hex digits, as `\u{…}` takes it: at most
// 10FFFF, and not a surrogate (D800 to DFFF), leading zeros allowed.
const HEX = '[0-9A-Fa-f]';
const FOUR_DIGITS = `([0-9A-Ca-cEeFf]${HEX}{3}|[Dd][0-7]${HEX}{2})`;
const FIVE_DIGITS = `(0${FOUR_DIGITS}|[1-9A-Fa-f]${HEX}{4})`;
const SIX_DIGITS = `(0${FIVE_DIGITS}|10${HEX}{4})`;
const SCALAR_VALUE = new RegExp(`${HEX}{1,3}|${FOUR_DIGITS}|${FIVE_DIGITS}|${SIX_DIGITS}`);

module.exports = grammar({
  name: 'kientruc',

  // Tokens read by src/scanner.c, which looks past them or at their column as kientruc does.
  externals: $ => [
    // An identifier that ends with `-` (`a-`, `b--` in `tags [a-, b--]`), without the `-` of a
    // following `->` (`a-->b` reads `a-` `->` `b`). The first word of a declaration or an entry
    // is otherwise the generated lexer's (the `word`, which tells `architecture`, `import` and
    // `waive` from identifiers).
    $._hyphenated_identifier,
    // The same directly after the `.` of a dotted path.
    $._immediate_hyphenated_identifier,
    // Any identifier where a top-level declaration continues, unless it starts a line (see
    // `_declaration`), and the keywords that continue one, likewise.
    $._continued_identifier,
    $._continued_as,
    $._continued_on,
    $._continued_until,
    $._continued_via,
    // The `via` of a relation inside a body, when a path follows (else it is an identifier).
    $._via,
    // The `by` of a view's `group by WORD`, when a word follows (else it is an identifier).
    $._by,
    // `3`, `-5`, `007`, and `2025-07-01`, when no character follows that would continue them
    // (a letter, a digit, `_`, a `-` not before `>`, or for an integer a `.`): `12ab`, `3.5` and
    // `2025-07-01x` are syntax errors as in kientruc, not two tokens.
    $.integer,
    $.date,
    // The selector of a view's `include` or `exclude` line (the selector language of rule packs,
    // docs/rules.md): the rest of the line up to a `//` comment, a `}` or a `->` outside a
    // string (see src/scanner.c), which the generated lexer cannot tell from its own tokens.
    $.selector,
    // The braces of a view's body: the `}` only when no `[` a selector opened is left open, as
    // kientruc's lexer balances them over the file (`include a in [b -> c]` is a selector and a
    // target for kientruc's grammar, but one pair of brackets for its lexer).
    $._view_start,
    $._view_end,
    // No rule uses it, so the scanner sees it valid only during error recovery.
    $._error_sentinel,
  ],

  extras: $ => [
    // Spaces, \t through \r, and the byte-order mark.
    /[ \t\n\x0B\x0C\r\uFEFF]/,
    $.comment,
  ],

  word: $ => $.identifier,

  conflicts: $ => [
    // The keywords are contextual, as in kientruc (a PEG tries the keyword form first and falls
    // back): `import x "X"` is an element of kind `import`, `waive a -> b` a relation of type
    // `waive`, `view x "X"` without a body an element of kind `view`. The parser forks at the
    // keyword and keeps the branch that parses (the keyword's, when both do).
    [$.architecture, $._keyword_name],
    [$.waiver, $._keyword_name],
    [$.view_declaration, $._view_name],
    // Inside a view's body, `layout WORD` is what it says, or a property when its value is no
    // word (`layout "bands"`), as kientruc reads the layout as a property. (`include`, `exclude`
    // and `group` need no fork: a selector is anything but nothing, and the scanner reads the
    // `by` of `group by` only before a word, so `group by` alone is a property.)
    [$.view_layout, $._view_keyword_name],
  ],

  rules: {
    source_file: $ => repeat($._declaration),

    // kientruc reads a file one top-level declaration at a time: a line that starts in column 1
    // with a word, outside any `{ }` or `[ ]`, starts one (docs/language.md, 2.10). So the words
    // of a top-level declaration after its first (`_continued_identifier` and the keywords `as`,
    // `on`, `until`, `via`) come from the scanner, which does not read one at the start of a
    // line: `uses a ->` followed by `system b "B"` on the next line is a relation with a missing
    // target, then an element, as for kientruc.
    _declaration: $ => choice(
      $.architecture,
      $.import,
      $.waiver,
      $.view_declaration,
      alias($._top_level_element, $.element),
      alias($._top_level_relation, $.relation),
    ),

    // `architecture hanoi "Kiến trúc ..." { framework "vn-egov-3.0" ... }`
    architecture: $ => prec.dynamic(1, seq(
      'architecture',
      field('id', alias($._continued_identifier, $.identifier)),
      field('name', $.string),
      optional(field('body', $.block)),
    )),

    // `import "framework:national.ea" as national`
    import: $ => seq(
      'import',
      field('path', $.string),
      optional(seq(
        alias($._continued_as, 'as'),
        field('alias', alias($._continued_identifier, $.identifier)),
      )),
    ),

    // `waive SEC-004 on dvc_hn until 2027-06-30 "reason"`
    waiver: $ => prec.dynamic(1, seq(
      'waive',
      field('rule', alias($._continued_identifier, $.identifier)),
      alias($._continued_on, 'on'),
      field('target', $._continued_reference),
      optional(seq(alias($._continued_until, 'until'), field('until', $.date))),
      optional(field('reason', $.string)),
    )),

    // `view health "Y tế" { include kind(system) and tag(health) -> kind(platform) }`: a view
    // is one with its id, title and body; `view x "X"` alone is an element of kind `view`, and
    // `view a -> b` a relation of type `view`.
    view_declaration: $ => prec.dynamic(1, seq(
      'view',
      field('id', alias($._continued_identifier, $.identifier)),
      field('title', $.string),
      field('body', $.view_body),
    )),

    // The lines of a view and its properties (the resolver names the unknown ones). An element
    // or a relation in a view is a syntax error, as kientruc reports it.
    view_body: $ => seq(
      alias($._view_start, '{'),
      repeat($._view_entry),
      alias($._view_end, '}'),
    ),

    _view_entry: $ => choice(
      $.view_include,
      $.view_exclude,
      $.view_layout,
      $.view_group,
      alias($._view_property, $.property),
    ),

    // `include kind(system) and tag(health)`, `include kind(system) -> kind(platform)`
    view_include: $ => prec.dynamic(1, seq(
      'include',
      field('selector', $.selector),
      optional(seq('->', field('target', $.selector))),
    )),

    // `exclude id("test_*")` (a target is the resolver's to refuse)
    view_exclude: $ => prec.dynamic(1, seq(
      'exclude',
      field('selector', $.selector),
      optional(seq('->', field('target', $.selector))),
    )),

    // `layout bands`
    view_layout: $ => prec.dynamic(1, seq('layout', field('value', $._identifier))),

    // `group by kind`: `by` is a keyword only before a word (`group by` is a property).
    view_group: $ => prec.dynamic(1, seq(
      'group',
      alias($._by, 'by'),
      field('value', $._identifier),
    )),

    // `title_en "…"`, `description "…"`: any property (the resolver names the unknown ones).
    _view_property: $ => seq(
      field('key', choice($._identifier, $._view_keyword_name)),
      field('value', $._value),
    ),

    _view_keyword_name: $ => alias(choice('include', 'exclude', 'layout', 'group'), $.identifier),

    // `system dvc_hn "Hệ thống ..." { ... }` at the top level, where the kind may be a keyword.
    // (An element of kind `view` has no body: with one, it is a view.)
    _top_level_element: $ => choice(
      seq(
        field('kind', $._name),
        field('id', alias($._continued_identifier, $.identifier)),
        field('name', $.string),
        optional(field('body', $.block)),
      ),
      seq(
        field('kind', $._view_name),
        field('id', alias($._continued_identifier, $.identifier)),
        field('name', $.string),
      ),
    ),

    // An element nested in a body. (No keyword is valid at the start of an entry, so a kind
    // written `import` is read as an identifier there.)
    element: $ => seq(
      field('kind', $._identifier),
      field('id', $._identifier),
      field('name', $.string),
      optional(field('body', $.block)),
    ),

    // `exchanges_with dvc_hn -> national.dvcqg "label" via lgsp_hn, national.ndxp { ... }`
    _top_level_relation: $ => seq(
      field('type', choice($._name, $._view_name)),
      field('source', $._continued_reference),
      '->',
      field('target', $._continued_reference),
      optional(field('label', $.string)),
      optional(field('via', alias($._continued_via_list, $.via))),
      optional(field('body', $.block)),
    ),

    // `uses -> lgsp_hn` inside the body of its source element.
    _inline_relation: $ => seq(
      field('type', $._identifier),
      '->',
      field('target', $._reference),
      optional(field('label', $.string)),
      optional(field('via', $.via)),
      optional(field('body', $.block)),
    ),

    via: $ => seq(alias($._via, 'via'), commaSep1($._reference)),

    _continued_via_list: $ => seq(
      alias($._continued_via, 'via'),
      commaSep1($._continued_reference),
    ),

    block: $ => seq('{', repeat($._entry), '}'),

    // Inside a body: a nested element, an inline relation or a property. (`kind id` without a
    // display name is a property whose value is a word, as in `level province`.)
    _entry: $ => choice(
      $.element,
      alias($._inline_relation, $.relation),
      $.property,
    ),

    // `level province`, `roles [architecture_owner, it_unit]`, `as_of 2025-07-01`
    property: $ => seq(
      field('key', $._identifier),
      field('value', $._value),
    ),

    _value: $ => choice(
      $.list,
      $.string,
      $.date,
      $.integer,
      $._reference,
    ),

    // `[a, "b", 3,]`: a trailing comma is allowed; `[]` is the empty list.
    list: $ => seq(
      '[',
      optional(seq(commaSep1($._value), optional(','))),
      ']',
    ),

    // An element id or a dotted path into an imported model (`national.ndxp`).
    _reference: $ => choice($._identifier, $.path),

    _continued_reference: $ => choice(
      alias($._continued_identifier, $.identifier),
      alias($._continued_path, $.path),
    ),

    // `national.ndxp`: identifiers joined by `.` with no space.
    path: $ => seq($._identifier, $._path_segments),

    _continued_path: $ => seq(alias($._continued_identifier, $.identifier), $._path_segments),

    _path_segments: $ => repeat1(seq(
      token.immediate('.'),
      choice(
        alias(token.immediate(IDENTIFIER), $.identifier),
        alias($._immediate_hyphenated_identifier, $.identifier),
      ),
    )),

    // A kind or relation type at the top level, where a keyword may also stand (see conflicts).
    _name: $ => choice($._identifier, $._keyword_name),

    _keyword_name: $ => alias(choice('architecture', 'import', 'waive'), $.identifier),

    _view_name: $ => alias('view', $.identifier),

    _identifier: $ => choice(
      $.identifier,
      alias($._hyphenated_identifier, $.identifier),
    ),

    identifier: _ => IDENTIFIER,

    // One line, with the escapes \" \\ \n \t and \u{X} to \u{XXXXXX} (a Unicode scalar value).
    string: $ => seq(
      '"',
      repeat(choice(
        alias($._string_content, $.string_content),
        $.escape_sequence,
      )),
      token.immediate('"'),
    ),

    // A run of characters other than a quote, a backslash or a line break. The precedence keeps
    // `//` inside a string from starting a comment.
    _string_content: _ => token.immediate(prec(1, /[^"\\\n]+/)),

    escape_sequence: _ => token.immediate(seq('\\', choice(/["\\nt]/, seq('u{', SCALAR_VALUE, '}')))),

    // `// ...` and `/// doc comment`, to the end of the line.
    comment: _ => token(seq('//', /[^\n]*/)),
  },
});

/**
 * One or more `rule` separated by commas.
 * @param {RuleOrLiteral} rule
 * @returns {SeqRule}
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}
