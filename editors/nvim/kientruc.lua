-- kientruc language server for Neovim's built-in LSP client (Neovim 0.10 or later).
--
-- Put this file on your runtimepath (e.g. ~/.config/nvim/lua/kientruc.lua) and call
--   require("kientruc").setup()
-- or, to try it from a checkout, `:lua dofile("editors/nvim/kientruc.lua").setup()`.
-- `kientruc` must be on PATH (or pass `cmd = { "/path/to/kientruc", "lsp" }`).
-- The server starts for `*.ea` buffers; the workspace root is the nearest folder holding
-- `kientruc.toml`, else the nearest `.git`, else the file's folder.

local M = {}

function M.setup(options)
  options = options or {}
  local command = options.cmd or { "kientruc", "lsp" }

  vim.filetype.add({ extension = { ea = "kientruc" } })

  local group = vim.api.nvim_create_augroup("kientruc_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "kientruc",
    callback = function(event)
      vim.bo[event.buf].commentstring = "// %s"
      local found = vim.fs.find({ "kientruc.toml", ".git" }, {
        upward = true,
        path = vim.fs.dirname(vim.api.nvim_buf_get_name(event.buf)),
      })[1]
      local root = found and vim.fs.dirname(found) or vim.fs.dirname(vim.api.nvim_buf_get_name(event.buf))
      vim.lsp.start({
        name = "kientruc",
        cmd = command,
        root_dir = root,
        settings = {},
      }, { bufnr = event.buf })
    end,
  })
end

return M
