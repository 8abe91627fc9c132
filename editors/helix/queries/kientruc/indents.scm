[
  (block)
  (list)
] @indent

[
  "}"
  "]"
] @outdent
