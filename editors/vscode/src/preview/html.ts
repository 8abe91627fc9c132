// The architecture preview's page: a fixed HTML shell whose only script is media/preview.js, run
// by a fresh nonce, under a Content-Security-Policy that loads nothing else (no remote content,
// no inline script or style, no forms, no frames). The view itself arrives later as a message.
// Pure: no `vscode` import, so that the tests run it under Node.js.

import * as crypto from "node:crypto";

/** A nonce for one page: 32 hexadecimal digits from the system's random source. */
export function createNonce(): string {
  return crypto.randomBytes(16).toString("hex");
}

/** `text` for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * The page's Content-Security-Policy: styles only from the extension (`cspSource`, the
 * webview's own origin for local resources), scripts only with `nonce`, nothing else at all.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) {
    throw new Error(`not a nonce: ${JSON.stringify(nonce)}`);
  }
  // The source is written into the policy; a space or semicolon in it would add directives.
  if (/[\s;,'"]/.test(cspSource)) {
    throw new Error(`not a CSP source: ${JSON.stringify(cspSource)}`);
  }
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export interface PreviewPage {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri` of media/preview.js and media/preview.css, as strings. */
  scriptUri: string;
  styleUri: string;
  /** The language of the page's own labels (`vi` or `en`). */
  language: "vi" | "en";
}

const LABELS = {
  en: {
    title: "Architecture preview",
    view: "View",
    zoomOut: "Zoom out",
    zoomIn: "Zoom in",
    fit: "Fit",
    fitTitle: "Show the whole view",
    actual: "100%",
    actualTitle: "Actual size",
    language: "Language of the view",
    loading: "Asking the language server for the view…",
  },
  vi: {
    title: "Xem trước kiến trúc",
    view: "Khung nhìn",
    zoomOut: "Thu nhỏ",
    zoomIn: "Phóng to",
    fit: "Vừa khung",
    fitTitle: "Hiện toàn bộ khung nhìn",
    actual: "100%",
    actualTitle: "Kích thước thật",
    language: "Ngôn ngữ của khung nhìn",
    loading: "Đang lấy khung nhìn từ máy chủ ngôn ngữ…",
  },
};

/** The page's HTML. */
export function previewHtml(page: PreviewPage): string {
  const policy = contentSecurityPolicy(page.cspSource, page.nonce);
  const labels = LABELS[page.language] ?? LABELS.en;
  const text = (value: string): string => escapeHtml(value);
  return `<!DOCTYPE html>
<html lang="${text(page.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${text(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${text(page.styleUri)}">
<title>${text(labels.title)}</title>
</head>
<body>
<header class="toolbar">
<select id="view-picker" aria-label="${text(labels.view)}"></select>
<button id="zoom-out" type="button" title="${text(labels.zoomOut)}" aria-label="${text(labels.zoomOut)}">−</button>
<button id="zoom-in" type="button" title="${text(labels.zoomIn)}" aria-label="${text(labels.zoomIn)}">+</button>
<button id="zoom-fit" type="button" title="${text(labels.fitTitle)}">${text(labels.fit)}</button>
<button id="zoom-reset" type="button" title="${text(labels.actualTitle)}">${text(labels.actual)}</button>
<select id="language" aria-label="${text(labels.language)}" title="${text(labels.language)}"><option value="">—</option><option value="vi">VI</option><option value="en">EN</option></select>
</header>
<section class="heading"><h1 id="view-title"></h1><p id="view-description" hidden></p></section>
<p id="status" class="status" role="status">${text(labels.loading)}</p>
<p id="details" class="details" hidden></p>
<main id="viewport" class="viewport"><div id="canvas" class="canvas"></div></main>
<script nonce="${text(page.nonce)}" src="${text(page.scriptUri)}"></script>
</body>
</html>
`;
}
