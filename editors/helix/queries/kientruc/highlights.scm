; Syntax highlighting of kientruc `.ea` models, in Helix's capture names. The patterns are those
; of editors/tree-sitter-kientruc/queries/highlights.scm; no node is captured twice, so the
; result does not depend on whether the first or the last matching pattern wins.

[
  "architecture"
  "waive"
  "on"
  "until"
  "via"
  "view"
  "include"
  "exclude"
  "layout"
  "group"
  "by"
] @keyword

[
  "import"
  "as"
] @keyword.control.import

(element
  kind: (identifier) @type)

(element
  id: (identifier) @constant)

(architecture
  id: (identifier) @constant)

; Views: the id and title, the layout and grouping words, and the selectors of `include` and
; `exclude` lines (one node each, the selector language of rule packs).
(view_declaration
  id: (identifier) @constant)

(view_layout
  value: (identifier) @constant.builtin)

(view_group
  value: (identifier) @constant.builtin)

(selector) @string.special

(relation
  type: (identifier) @function)

(waiver
  rule: (identifier) @label)

(import
  alias: (identifier) @namespace)

(property
  key: (identifier) @variable.other.member)

(property
  value: (identifier) @constant.builtin.boolean
  (#any-of? @constant.builtin.boolean "true" "false"))

(property
  value: (identifier) @variable
  (#not-any-of? @variable "true" "false"))

(list
  (identifier) @variable)

(relation
  source: (identifier) @variable)

(relation
  target: (identifier) @variable)

(via
  (identifier) @variable)

(waiver
  target: (identifier) @variable)

(path
  .
  (identifier) @namespace)

(path
  (identifier)
  (identifier) @variable)

(import
  path: (string) @string.special.path)

(architecture
  name: (string) @string)

(view_declaration
  title: (string) @string)

(element
  name: (string) @string)

(relation
  label: (string) @string)

(waiver
  reason: (string) @string)

(property
  value: (string) @string)

(list
  (string) @string)

(escape_sequence) @constant.character.escape

(integer) @constant.numeric.integer

(date) @string.special

((comment) @comment.line.documentation
  (#match? @comment.line.documentation "^///([^/]|$)"))

((comment) @comment.line
  (#not-match? @comment.line "^///([^/]|$)"))

"->" @operator

[
  "{"
  "}"
  "["
  "]"
] @punctuation.bracket

[
  ","
  "."
] @punctuation.delimiter
