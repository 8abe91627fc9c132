[
  (block)
  (view_body)
  (list)
] @indent

[
  "}"
  "]"
] @outdent
