-- Editing settings for kientruc models (`*.ea`): `//` line comments (for `gc` and
-- 'commentstring'-based plugins).
vim.bo.commentstring = "// %s"
vim.bo.comments = ":///,://"
vim.b.undo_ftplugin = (vim.b.undo_ftplugin and (vim.b.undo_ftplugin .. " | ") or "")
  .. "setlocal commentstring< comments<"
