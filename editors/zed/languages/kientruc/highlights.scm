; Syntax highlighting of kientruc `.ea` models, in Zed's capture names. The patterns are those of
; editors/tree-sitter-kientruc/queries/highlights.scm; no node is captured twice.

[
  "architecture"
  "import"
  "as"
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

(element
  kind: (identifier) @type)

(element
  id: (identifier) @constant)

(architecture
  id: (identifier) @constant)

; Views: the id and title, the layout and grouping words (Zed's themes have no
; `constant.builtin`), and the selectors of `include` and `exclude` lines.
(view_declaration
  id: (identifier) @constant)

(view_layout
  value: (identifier) @constant)

(view_group
  value: (identifier) @constant)

(selector) @string.special

(relation
  type: (identifier) @function)

(waiver
  rule: (identifier) @label)

(import
  alias: (identifier) @namespace)

(property
  key: (identifier) @property)

(property
  value: (identifier) @boolean
  (#any-of? @boolean "true" "false"))

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
  path: (string) @string.special)

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

(escape_sequence) @string.escape

(integer) @number

(date) @string.special

((comment) @comment.doc
  (#match? @comment.doc "^///([^/]|$)"))

((comment) @comment
  (#not-match? @comment "^///([^/]|$)"))

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
