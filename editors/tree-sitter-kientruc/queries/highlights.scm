; Syntax highlighting of kientruc `.ea` models, in the capture names of tree-sitter's CLI and
; nvim-treesitter (editors that resolve names by prefix fall back: `keyword.import` to `keyword`).
; The patterns never capture the same node twice, so they read the same whichever precedence an
; editor gives to earlier or later patterns. Helix and Zed have their own copies in their
; capture names (editors/helix/queries/kientruc, editors/zed/languages/kientruc).

; Keywords. A kind or relation type spelled like a keyword (`import x "X"`) is an identifier.
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
] @keyword.import

; Declarations: the kind, the id and the display name of an element or of the header.
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

; A relation's type reads as a verb (`uses`, `exchanges_with`).
(relation
  type: (identifier) @function)

; `waive SEC-004 on …`: the rule id.
(waiver
  rule: (identifier) @label)

; `import "…" as national`
(import
  alias: (identifier) @module)

; Properties: the key; a word value is an enum value, a boolean or a reference.
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

; References: sources, targets and intermediaries of relations, targets of waivers.
(relation
  source: (identifier) @variable)

(relation
  target: (identifier) @variable)

(via
  (identifier) @variable)

(waiver
  target: (identifier) @variable)

; `national.ndxp`: the import alias, then the element id.
(path
  .
  (identifier) @module)

(path
  (identifier)
  (identifier) @variable)

; Literals.
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

(escape_sequence) @string.escape

(integer) @number

(date) @string.special

; Comments: `///` (exactly three slashes) documents the declaration below it.
((comment) @comment.documentation
  (#match? @comment.documentation "^///([^/]|$)"))

((comment) @comment
  (#not-match? @comment "^///([^/]|$)"))

; Punctuation.
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
