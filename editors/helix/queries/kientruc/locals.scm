; A reference to an element, the header, a view or an import alias declared in the same file
; takes the highlight of its declaration. (A workspace is one namespace across files; the rest is
; the language server's.)

(source_file) @local.scope

(element
  id: (identifier) @local.definition.constant)

(architecture
  id: (identifier) @local.definition.constant)

(view_declaration
  id: (identifier) @local.definition.constant)

(import
  alias: (identifier) @local.definition.namespace)

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

(path
  .
  (identifier) @local.reference)
