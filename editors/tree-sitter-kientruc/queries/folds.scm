; Element, header and relation bodies, and lists written over several lines.
[
  (block)
  (list)
] @fold
