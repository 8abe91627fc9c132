; Indentation in nvim-treesitter's capture names: the entries of a body and the items of a list
; are indented one level; the closing bracket goes back.
[
  (block)
  (view_body)
  (list)
] @indent.begin

[
  "}"
  "]"
] @indent.branch @indent.end

(comment) @indent.auto
