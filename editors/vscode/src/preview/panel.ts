// The architecture preview: a webview beside the editor showing a view of the model, laid out
// and drawn by the language server (`kientruc/view`, the layout of the report and of
// `kientruc serve`). It follows the architect: it asks again ~300 ms after typing stops in any
// `.ea` document, when the cursor enters the declaration of another view, and when another
// model becomes the active editor. The page (media/preview.js) runs under a strict CSP and may
// load files from media/ only.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { createNonce, previewHtml } from "./html";
import {
  Debouncer,
  PreviewFollower,
  TYPING_DELAY_MS,
  VIEW_REQUEST,
  ViewResult,
  isModelDocument,
  supportsViews,
} from "./refresh";

/** The JSON-RPC error codes of an answer that a newer request replaces. */
const SUPERSEDED = new Set([-32800 /* RequestCancelled */, -32801 /* ContentModified */]);

type PageMessage =
  | { type: "ready" }
  | { type: "pick"; id: string }
  | { type: "language"; language: string };

function pageLanguage(): "vi" | "en" {
  return vscode.env.language.toLowerCase().startsWith("vi") ? "vi" : "en";
}

export class ArchitecturePreview implements vscode.Disposable {
  static readonly viewType = "kientruc.preview";
  private static current: ArchitecturePreview | undefined;

  private readonly panel: vscode.WebviewPanel;
  private readonly follower = new PreviewFollower();
  private readonly typing = new Debouncer(TYPING_DELAY_MS);
  private readonly disposables: vscode.Disposable[] = [];
  private document: vscode.Uri;
  private cursor: vscode.Position | undefined;
  /** The last message posted to the page, posted again when the page reloads. */
  private lastMessage: unknown;
  private disposed = false;

  /** Opens the preview of the active model beside it, or shows the open one. */
  static open(extensionUri: vscode.Uri, client: () => LanguageClient | undefined): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isModelDocument(editor.document)) {
      void vscode.window.showInformationMessage(
        "kientruc: open a .ea model to preview its architecture.",
      );
      return;
    }
    if (ArchitecturePreview.current) {
      ArchitecturePreview.current.panel.reveal(vscode.ViewColumn.Beside, true);
      ArchitecturePreview.current.follow(editor);
      return;
    }
    ArchitecturePreview.current = new ArchitecturePreview(extensionUri, client, editor);
  }

  private constructor(
    extensionUri: vscode.Uri,
    private readonly client: () => LanguageClient | undefined,
    editor: vscode.TextEditor,
  ) {
    this.document = editor.document.uri;
    this.cursor = editor.selection.active;
    const media = vscode.Uri.joinPath(extensionUri, "media");
    this.panel = vscode.window.createWebviewPanel(
      ArchitecturePreview.viewType,
      "Architecture preview",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [media],
      },
    );
    const webview = this.panel.webview;
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "preview.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "preview.css")).toString(),
      language: pageLanguage(),
    });
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((message: PageMessage) => this.onPageMessage(message)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && isModelDocument(event.document)) {
          this.typing.trigger(() => void this.refresh());
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.toString() !== this.document.toString()) {
          return;
        }
        this.cursor = event.selections[0]?.active;
        if (this.cursor && this.follower.cursorMoved(this.cursor) && !this.typing.waiting) {
          void this.refresh();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor((active) => {
        if (active && isModelDocument(active.document)) {
          this.follow(active);
        }
      }),
    );
  }

  /** Previews `editor`'s document from now on (asks at once when it is another one). */
  private follow(editor: vscode.TextEditor): void {
    this.cursor = editor.selection.active;
    if (editor.document.uri.toString() === this.document.toString()) {
      return;
    }
    this.document = editor.document.uri;
    this.follower.documentChanged();
    void this.refresh();
  }

  private onPageMessage(message: PageMessage): void {
    if (message.type === "ready") {
      if (this.lastMessage) {
        void this.panel.webview.postMessage(this.lastMessage);
      }
      void this.refresh();
    } else if (message.type === "pick" && typeof message.id === "string") {
      this.follower.pick(message.id);
      void this.refresh();
    } else if (message.type === "language" && (message.language === "vi" || message.language === "en")) {
      this.follower.language = message.language;
      void this.refresh();
    }
  }

  private post(message: unknown): void {
    this.lastMessage = message;
    void this.panel.webview.postMessage(message);
  }

  /** Asks the language server for the view and hands the answer to the page. */
  private async refresh(): Promise<void> {
    const client = this.client();
    if (!client || !client.isRunning()) {
      this.post({
        type: "error",
        message:
          "The kientruc language server is not running (see the kientruc output, or run “kientruc: Restart the language server”).",
      });
      return;
    }
    if (!supportsViews(client.initializeResult?.capabilities.experimental)) {
      this.post({
        type: "error",
        message:
          "This kientruc language server does not draw views (no kientruc/view): update the kientruc binary that `kientruc.path` names.",
      });
      return;
    }
    const uri = client.code2ProtocolConverter.asUri(this.document);
    const position = this.cursor ? client.code2ProtocolConverter.asPosition(this.cursor) : undefined;
    const { sequence, params } = this.follower.request(uri, position);
    try {
      const result = await client.sendRequest<ViewResult>(VIEW_REQUEST, params);
      if (this.disposed || !this.follower.answer(sequence, result)) {
        return;
      }
      this.panel.title = result.view ? `Preview: ${result.view.title}` : "Architecture preview";
      this.post({ type: "view", result, requested: params.view ?? "overview" });
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (this.disposed || (code !== undefined && SUPERSEDED.has(code))) {
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.post({ type: "error", message: `kientruc/view failed: ${message}` });
    }
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    ArchitecturePreview.current = undefined;
    this.typing.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.panel.dispose();
  }
}
