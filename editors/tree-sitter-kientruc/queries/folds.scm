; Element, header and relation bodies, and lists written over several lines.
[
  (block)
  (view_body)
  (list)
] @fold
