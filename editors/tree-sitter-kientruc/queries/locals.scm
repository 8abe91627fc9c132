; Definitions and references of kientruc `.ea` models. A workspace is one namespace: an element
; declared in any file (top-level or nested) may be referenced from every file, so the scope is
; the file and definitions are the ids of elements, of the header, of views and of import
; aliases.

(source_file) @local.scope

(element
  id: (identifier) @local.definition)

(architecture
  id: (identifier) @local.definition)

(view_declaration
  id: (identifier) @local.definition)

(import
  alias: (identifier) @local.definition)

(relation
  source: (identifier) @local.reference)

(relation
  target: (identifier) @local.reference)

(via
  (identifier) @local.reference)

(waiver
  target: (identifier) @local.reference)

(property
  value: (identifier) @local.reference
  (#not-any-of? @local.reference "true" "false"))

(list
  (identifier) @local.reference)

; `national.ndxp` refers to the import alias `national`.
(path
  .
  (identifier) @local.reference)
