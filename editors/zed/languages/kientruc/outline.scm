; The outline panel and breadcrumbs: the header, views, elements (nested ones under their
; parent), relations and waivers, with their doc comments.

(comment) @annotation

(architecture
  "architecture" @context
  id: (identifier) @name) @item

(view_declaration
  "view" @context
  id: (identifier) @name) @item

(element
  kind: (identifier) @context
  id: (identifier) @name) @item

(relation
  type: (identifier) @context
  source: (_)? @name
  "->" @context
  target: (_) @name) @item

(waiver
  "waive" @context
  rule: (identifier) @name
  "on" @context
  target: (_) @name) @item
