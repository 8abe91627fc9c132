-- `*.ea` files are kientruc architecture models: filetype `kientruc` (which lsp/kientruc.lua
-- attaches the language server to). Neovim sources this file when it is on the runtimepath.
if vim.fn.has("nvim-0.8") == 1 then
  vim.filetype.add({ extension = { ea = "kientruc" } })
else
  -- Neovim 0.7 only consults `vim.filetype.add` when `g:do_filetype_lua` is set.
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    pattern = "*.ea",
    command = "setfiletype kientruc",
  })
end
