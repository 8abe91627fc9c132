(block
  "}" @end) @indent

(list
  "]" @end) @indent
