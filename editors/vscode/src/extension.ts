// kientruc for VS Code: starts `kientruc lsp` (the binary named by the `kientruc.path` setting)
// for `.ea` files through vscode-languageclient. All language features (diagnostics with rule
// ids, hover, go to definition, references, rename, completion, formatting, quick fixes,
// semantic tokens, folding) come from the server; this file only starts, restarts and stops it,
// and opens the architecture preview (src/preview/), which the server also feeds.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";
import { ArchitecturePreview } from "./preview/panel";

let client: LanguageClient | undefined;

function serverPath(): string {
  const configured = vscode.workspace.getConfiguration("kientruc").get<string>("path");
  const path = configured && configured.trim() !== "" ? configured.trim() : "kientruc";
  // `~/…` is a common way to write a path in settings; the shell would expand it, spawn does not.
  if (path.startsWith("~/") && process.env.HOME) {
    return process.env.HOME + path.slice(1);
  }
  return path;
}

function createClient(): LanguageClient {
  const command = serverPath();
  // No `transport`: with `TransportKind.stdio` the client would append `--stdio`, which
  // `kientruc lsp` does not take; without it the client talks over stdio all the same.
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"] },
    debug: { command, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "kientruc" }],
    synchronize: {
      // The server re-analyses a project when its models or its configuration change on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.ea,kientruc.toml}"),
    },
  };
  return new LanguageClient("kientruc", "kientruc language server", serverOptions, clientOptions);
}

async function start(): Promise<void> {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `kientruc: cannot start \`${serverPath()} lsp\` (${message}). ` +
        "Install kientruc or set `kientruc.path` to the binary.",
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("kientruc.restartServer", async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand("kientruc.openPreview", () => {
      ArchitecturePreview.open(context.extensionUri, () => client);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("kientruc.path")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
