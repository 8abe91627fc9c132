; `mat`/`mit` select an element (a type), `maf`/`mif` a relation (a function), `mae` a property
; or a list item (an entry), `mac` a comment; `]t`, `]f`, `]e` and `]c` move to the next one.

(element) @class.around

(element
  body: (block) @class.inside)

(relation) @function.around

(relation
  body: (block) @function.inside)

(property) @entry.around

(list
  (_) @entry.around)

(comment) @comment.inside

(comment)+ @comment.around
