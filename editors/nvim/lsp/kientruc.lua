-- kientruc language server for Neovim 0.11's `vim.lsp.config` / `vim.lsp.enable` (the
-- nvim-lspconfig layout: a file `lsp/<name>.lua` on the runtimepath returns the configuration).
--
-- Put the folder editors/nvim of a kientruc checkout on your runtimepath, or copy its lsp/,
-- ftdetect/ and ftplugin/ files into ~/.config/nvim/, then in your init.lua:
--
--   vim.lsp.enable("kientruc")
--
-- `kientruc` must be on PATH; else override the command (Neovim merges it with this file):
--
--   vim.lsp.config("kientruc", { cmd = { "/path/to/kientruc", "lsp" } })
--
-- The server starts for buffers of filetype `kientruc` (`*.ea`, from ftdetect/kientruc.lua); the
-- workspace root is the nearest folder holding `kientruc.toml`, else `.git`. For Neovim 0.7 to
-- 0.10 use editors/nvim/kientruc.lua (`require("kientruc").setup()`) instead.
-- tests/cli/lsp_neovim_config.rs loads this file in a headless Neovim.

---@type vim.lsp.Config
return {
  cmd = { "kientruc", "lsp" },
  filetypes = { "kientruc" },
  -- Searched in order: a kientruc.toml in any folder above the file wins over a .git.
  root_markers = { "kientruc.toml", ".git" },
}
