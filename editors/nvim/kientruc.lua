-- kientruc language server for Neovim's built-in LSP client (Neovim 0.7 or later).
--
-- On Neovim 0.11 or later use the nvim-lspconfig-style files beside this one instead: put this
-- folder (editors/nvim) on your runtimepath, or copy lsp/kientruc.lua, ftdetect/kientruc.lua and
-- ftplugin/kientruc.lua into ~/.config/nvim/, and call
--   vim.lsp.enable("kientruc")
-- (with `vim.lsp.config("kientruc", { cmd = { "/path/to/kientruc", "lsp" } })` first when
-- `kientruc` is not on PATH). The rest of this header is for this file, on any version:
--
-- Put this file on your runtimepath (e.g. ~/.config/nvim/lua/kientruc.lua) and call
--   require("kientruc").setup()
-- or, to try it from a checkout, `:lua dofile("editors/nvim/kientruc.lua").setup()`.
-- `kientruc` must be on PATH, or pass the binary: `setup({ path = "/path/to/kientruc" })`
-- (or the whole command: `setup({ cmd = { "/path/to/kientruc", "lsp" } })`).
-- The server starts for `*.ea` buffers; the workspace root is the nearest folder holding
-- `kientruc.toml` or `.git`, else the file's folder. `setup` returns nothing; it only registers
-- the file type and an autocommand, so calling it again replaces the previous registration.
-- `tests/cli/lsp_neovim.rs` runs this file in a headless Neovim against the real server.

local M = {}

-- The nearest folder at or above `folder` that holds one of `markers`, else nil.
local function find_root(folder, markers)
  local current = folder
  while current and current ~= "" do
    for _, marker in ipairs(markers) do
      if (vim.uv or vim.loop).fs_stat(current .. "/" .. marker) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ":h")
    if parent == current then
      return nil
    end
    current = parent
  end
  return nil
end

-- Client ids by root folder, for Neovim versions without `vim.lsp.start` (before 0.8).
local clients_by_root = {}

local function start(config, bufnr)
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local client_id = clients_by_root[config.root_dir]
  if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
    client_id = vim.lsp.start_client(config)
    clients_by_root[config.root_dir] = client_id
  end
  if client_id then
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
end

function M.setup(options)
  options = options or {}
  local command = options.cmd or { options.path or "kientruc", "lsp" }

  local group = vim.api.nvim_create_augroup("kientruc_lsp", { clear = true })
  if vim.fn.has("nvim-0.8") == 1 then
    vim.filetype.add({ extension = { ea = "kientruc" } })
  else
    -- Neovim 0.7 only consults `vim.filetype.add` when `g:do_filetype_lua` is set.
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = "*.ea",
      command = "setfiletype kientruc",
    })
  end

  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "kientruc",
    callback = function(event)
      vim.bo[event.buf].commentstring = "// %s"
      local file = vim.api.nvim_buf_get_name(event.buf)
      local folder = vim.fn.fnamemodify(file, ":p:h")
      local root = find_root(folder, { "kientruc.toml", ".git" }) or folder
      start({
        name = "kientruc",
        cmd = command,
        root_dir = root,
        settings = {},
      }, event.buf)
    end,
  })
end

return M
