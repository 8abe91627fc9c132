// The architecture preview's page script (loaded by the webview that src/preview/panel.ts opens,
// under a Content-Security-Policy that runs only this file, by its nonce). The extension posts
// the language server's `kientruc/view` answer; this script shows the view picker, the title
// and description (as text), and the view's SVG (drawn and escaped by the server, parsed as SVG
// and stripped of anything active before it is inserted), with pan and zoom.
//
// Messages from the extension: {type: "view", result: {views, view}, requested}, {type: "error",
// message}. To the extension: {type: "ready"}, {type: "pick", id} (a view chosen in the picker, or
// `neighbourhood:ID` when an element is double-clicked), {type: "language", language} ("vi", "en").
//
// The functions below that touch no global are exported under Node.js for the extension's tests
// (src/test/preview.test.ts); in the webview the script starts the page instead.

"use strict";

const MIN_SCALE = 0.1;
const MAX_SCALE = 8;

/** A scale kept within what the preview allows. */
function clampScale(scale) {
  if (!Number.isFinite(scale)) {
    return 1;
  }
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/**
 * Zooms by `factor` about the point (x, y) of the viewport, which stays where it is on screen.
 * A transform is {scale, x, y}: the drawing's origin sits at (x, y), scaled by `scale`.
 */
function zoomAbout(transform, factor, x, y) {
  const scale = clampScale(transform.scale * factor);
  const ratio = scale / transform.scale;
  return { scale, x: x - (x - transform.x) * ratio, y: y - (y - transform.y) * ratio };
}

/** The transform that shows a drawing of `width`×`height` whole and centred in the viewport. */
function fitTransform(width, height, viewportWidth, viewportHeight, margin = 16) {
  if (!(width > 0 && height > 0 && viewportWidth > 0 && viewportHeight > 0)) {
    return { scale: 1, x: 0, y: 0 };
  }
  const scale = clampScale(
    Math.min((viewportWidth - 2 * margin) / width, (viewportHeight - 2 * margin) / height, 1),
  );
  return {
    scale,
    x: Math.round((viewportWidth - width * scale) / 2),
    y: Math.max(margin, Math.round((viewportHeight - height * scale) / 2)),
  };
}

/** The CSS transform of a transform. */
function cssTransform(transform) {
  return `translate(${transform.x}px, ${transform.y}px) scale(${transform.scale})`;
}

/**
 * Removes from a parsed SVG document everything that could run or load something: scripts,
 * foreign HTML, event handler attributes, and links other than to the same page. The server
 * escapes the model's strings; this is a second line behind it (and behind the CSP).
 */
function neutralise(root) {
  const doomed = [];
  const walk = (element) => {
    const name = String(element.localName || element.nodeName || "").toLowerCase();
    if (name === "script" || name === "foreignobject" || name === "iframe") {
      doomed.push(element);
      return;
    }
    for (const attribute of Array.from(element.attributes || [])) {
      const attributeName = attribute.name.toLowerCase();
      const value = String(attribute.value).trim();
      const isLink = attributeName === "href" || attributeName.endsWith(":href");
      if (attributeName.startsWith("on") || (isLink && !value.startsWith("#"))) {
        element.removeAttribute(attribute.name);
      }
    }
    for (const child of Array.from(element.children || [])) {
      walk(child);
    }
  };
  walk(root);
  for (const element of doomed) {
    element.remove();
  }
  return root;
}

/**
 * Fills the view picker (a <select>) with one option per view, every string as text; selects
 * `current`. A shown view the list lacks (an element's neighbourhood) gets an option of its own,
 * titled `currentTitle`; a name the workspace lacks gets none.
 */
function fillPicker(document, select, views, current, currentTitle) {
  const entries = views.slice();
  if (currentTitle && !views.some((view) => view.id === current)) {
    entries.push({ id: current, title: currentTitle, builtin: true });
  }
  const options = entries.map((view) => {
    const option = document.createElement("option");
    option.value = view.id;
    option.textContent = view.builtin ? `${view.title} (${view.id}, built in)` : `${view.title} (${view.id})`;
    option.selected = view.id === current;
    return option;
  });
  select.replaceChildren(...options);
  select.value = current;
}

if (typeof module === "object" && module.exports) {
  module.exports = { clampScale, zoomAbout, fitTransform, cssTransform, neutralise, fillPicker };
} else {
  startPage();
}

function startPage() {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const picker = document.getElementById("view-picker");
  const title = document.getElementById("view-title");
  const description = document.getElementById("view-description");
  const status = document.getElementById("status");
  const details = document.getElementById("details");
  const viewport = document.getElementById("viewport");
  const canvas = document.getElementById("canvas");

  const saved = vscode.getState() || {};
  let transform = saved.transform || { scale: 1, x: 0, y: 0 };
  let shownId = saved.shownId || null;
  let shown = null;

  const apply = () => {
    canvas.style.transform = cssTransform(transform);
    vscode.setState({ ...(vscode.getState() || {}), transform, shownId });
  };
  const fit = () => {
    if (shown) {
      transform = fitTransform(shown.width, shown.height, viewport.clientWidth, viewport.clientHeight);
      apply();
    }
  };
  const zoomCentre = (factor) => {
    transform = zoomAbout(transform, factor, viewport.clientWidth / 2, viewport.clientHeight / 2);
    apply();
  };

  const showStatus = (text) => {
    status.textContent = text;
    status.hidden = text === "";
  };

  const showSvg = (svgText) => {
    const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
    const root = parsed.documentElement;
    if (
      !root ||
      root.namespaceURI !== "http://www.w3.org/2000/svg" ||
      root.localName !== "svg" ||
      parsed.getElementsByTagName("parsererror").length > 0
    ) {
      canvas.replaceChildren();
      showStatus("The server sent a drawing that is not SVG.");
      return;
    }
    canvas.replaceChildren(document.importNode(neutralise(root), true));
  };

  const showView = (result, requested) => {
    const view = result.view;
    fillPicker(document, picker, result.views, view ? view.id : requested, view ? view.title : null);
    details.replaceChildren();
    details.hidden = true;
    if (!view) {
      shown = null;
      title.textContent = "";
      description.textContent = "";
      canvas.replaceChildren();
      showStatus(
        result.views.length === 0
          ? "This document is not part of an analysed kientruc workspace yet."
          : `The workspace has no view named “${requested}”.`,
      );
      return;
    }
    showStatus("");
    shown = view;
    title.textContent = view.title;
    description.textContent = view.description || "";
    description.hidden = !view.description;
    showSvg(view.svg);
    if (shownId !== view.id) {
      // Another view: show it whole. The same view, redrawn as the architect types, stays put.
      shownId = view.id;
      fit();
    } else {
      apply();
    }
  };

  /** The properties of an element the architect clicked, as text. */
  const showDetails = (elementId) => {
    const node = shown && shown.nodes.find((candidate) => candidate.id === elementId);
    if (!node) {
      details.hidden = true;
      return;
    }
    const heading = document.createElement("strong");
    heading.textContent = node.name;
    const kind = document.createElement("span");
    kind.textContent = ` ${node.id} · ${node.kind_name || node.kind}`;
    const links = shown.links.filter((link) => link.source === node.id || link.target === node.id);
    const relations = document.createElement("span");
    relations.textContent = ` · ${links.length} ${links.length === 1 ? "link" : "links"}`;
    const findings = document.createElement("span");
    findings.textContent = node.findings ? " · has findings (see the Problems panel)" : "";
    details.replaceChildren(heading, kind, relations, findings);
    details.hidden = false;
  };

  window.addEventListener("message", (event) => {
    const message = event.data;
    if (!message || typeof message !== "object") {
      return;
    }
    if (message.type === "view") {
      showView(message.result, message.requested);
    } else if (message.type === "error") {
      showStatus(String(message.message));
    }
  });

  picker.addEventListener("change", () => {
    vscode.postMessage({ type: "pick", id: picker.value });
  });
  const language = document.getElementById("language");
  language.value = saved.language || "";
  language.addEventListener("change", () => {
    if (language.value) {
      vscode.setState({ ...(vscode.getState() || {}), language: language.value });
      vscode.postMessage({ type: "language", language: language.value });
    }
  });
  document.getElementById("zoom-in").addEventListener("click", () => zoomCentre(1.25));
  document.getElementById("zoom-out").addEventListener("click", () => zoomCentre(0.8));
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.getElementById("zoom-reset").addEventListener("click", () => {
    transform = { scale: 1, x: 16, y: 16 };
    apply();
  });

  viewport.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const bounds = viewport.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * 0.0015);
      transform = zoomAbout(transform, factor, event.clientX - bounds.left, event.clientY - bounds.top);
      apply();
    },
    { passive: false },
  );

  let drag = null;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) {
      return;
    }
    drag = { x: event.clientX, y: event.clientY, from: transform, moved: false };
    viewport.setPointerCapture(event.pointerId);
  });
  viewport.addEventListener("pointermove", (event) => {
    if (!drag) {
      return;
    }
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    drag.moved = drag.moved || Math.abs(dx) + Math.abs(dy) > 3;
    transform = { scale: drag.from.scale, x: drag.from.x + dx, y: drag.from.y + dy };
    apply();
  });
  const endDrag = (event) => {
    if (drag && !drag.moved) {
      const element = event.target instanceof Element ? event.target.closest("[data-element]") : null;
      showDetails(element ? element.getAttribute("data-element") : null);
    }
    drag = null;
  };
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", () => {
    drag = null;
  });
  // Double-clicking an element shows its neighbourhood (what it relates to, and what relates to it).
  canvas.addEventListener("dblclick", (event) => {
    const element = event.target instanceof Element ? event.target.closest("[data-element]") : null;
    if (element) {
      vscode.postMessage({ type: "pick", id: `neighbourhood:${element.getAttribute("data-element")}` });
    }
  });
  // Links inside the drawing point at the report's cards, which the preview does not have.
  canvas.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) {
      event.preventDefault();
    }
  });

  vscode.postMessage({ type: "ready" });
}
