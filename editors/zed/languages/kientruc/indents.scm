(block
  "}" @end) @indent

(view_body
  "}" @end) @indent

(list
  "]" @end) @indent
