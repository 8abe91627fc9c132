; `mat`/`mit` select an element or a view (a type), `maf`/`mif` a relation (a function), `mae` a
; property, a list item or a line of a view (an entry), `mac` a comment; `]t`, `]f`, `]e` and
; `]c` move to the next one.

(element) @class.around

(element
  body: (block) @class.inside)

(view_declaration) @class.around

(view_declaration
  body: (view_body) @class.inside)

(relation) @function.around

(relation
  body: (block) @function.inside)

[
  (property)
  (view_include)
  (view_exclude)
  (view_layout)
  (view_group)
] @entry.around

(list
  (_) @entry.around)

(comment) @comment.inside

(comment)+ @comment.around
