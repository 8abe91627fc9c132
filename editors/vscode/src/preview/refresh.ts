// When the architecture preview asks the language server again, and what it asks: the protocol
// of `kientruc/view` (the server's lsp/src/ext.rs), the view the preview follows (the one picked
// in the page, else the one whose declaration holds the cursor), and a debouncer for typing.
// Pure: no `vscode` import, so that the tests run it under Node.js.

/** The request the preview sends (answered by `kientruc lsp`). */
export const VIEW_REQUEST = "kientruc/view";

/** How long the preview waits after the last keystroke before it asks for the view again. */
export const TYPING_DELAY_MS = 300;

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One view of the workspace, as `kientruc/view` lists it. */
export interface ViewEntry {
  id: string;
  title: string;
  description: string | null;
  builtin: boolean;
  /** Where the requested document declares the view (absent for views declared elsewhere). */
  range?: Range;
}

/** The drawn view (`kientruc_reports::views::payload`); the page reads the rest. */
export interface ViewPayload {
  id: string;
  title: string;
  description: string | null;
  svg: string;
  width: number;
  height: number;
}

export interface ViewResult {
  views: ViewEntry[];
  view: ViewPayload | null;
}

export interface ViewParams {
  textDocument: { uri: string };
  position?: Position;
  view?: string;
  language?: "vi" | "en";
}

function before(left: Position, right: Position): boolean {
  return left.line < right.line || (left.line === right.line && left.character < right.character);
}

/** Whether `position` lies in `range`, both ends included. */
export function rangeContains(range: Range, position: Position): boolean {
  return !before(position, range.start) && !before(range.end, position);
}

/** The view whose declaration holds `position`, among those the document declares. */
export function viewAtPosition(views: readonly ViewEntry[], position: Position): ViewEntry | undefined {
  return views.find((view) => view.range !== undefined && rangeContains(view.range, position));
}

/** Whether the server announced `kientruc/view` (`experimental.kientrucView` in its capabilities). */
export function supportsViews(experimental: unknown): boolean {
  return (
    typeof experimental === "object" &&
    experimental !== null &&
    (experimental as Record<string, unknown>).kientrucView === true
  );
}

/** Whether a document is a kientruc model (its changes may change every view). */
export function isModelDocument(document: { languageId: string; fileName: string }): boolean {
  return document.languageId === "kientruc" || document.fileName.toLowerCase().endsWith(".ea");
}

/**
 * What the preview shows and what it asks next. The view picked in the page stays until the
 * cursor enters the declaration of another view; without a pick the server chooses from the
 * cursor (the view declared there, else the document's first view, else the overview).
 */
export class PreviewFollower {
  /** The view picked in the page, if any. */
  picked: string | undefined;
  /** The id of the view the page shows (from the last answer). */
  shown: string | undefined;
  /** The views of the last answer, with the ranges of those the document declares. */
  views: ViewEntry[] = [];
  /** The language chosen in the page; the project's (its configuration, else the editor's) when
   * not chosen. */
  language: "vi" | "en" | undefined;
  private sent = 0;
  private answered = 0;

  /** The parameters of the next request, and its sequence number. */
  request(uri: string, position: Position | undefined): { sequence: number; params: ViewParams } {
    const params: ViewParams = { textDocument: { uri } };
    if (position) {
      params.position = { line: position.line, character: position.character };
    }
    if (this.picked !== undefined) {
      params.view = this.picked;
    }
    if (this.language !== undefined) {
      params.language = this.language;
    }
    this.sent += 1;
    return { sequence: this.sent, params };
  }

  /**
   * Records the answer to request `sequence`; false (and nothing recorded) when a later request
   * was answered first, whose answer is newer.
   */
  answer(sequence: number, result: ViewResult): boolean {
    if (sequence < this.answered) {
      return false;
    }
    this.answered = sequence;
    this.views = result.views;
    this.shown = result.view?.id;
    return true;
  }

  /** The architect picked a view in the page: the preview shows it until the cursor moves on. */
  pick(id: string): void {
    this.picked = id;
  }

  /**
   * The cursor moved to `position`: true when it entered the declaration of a view other than
   * the one shown (the pick is then forgotten, and the preview should ask again).
   */
  cursorMoved(position: Position): boolean {
    const under = viewAtPosition(this.views, position);
    if (under === undefined || under.id === this.shown) {
      return false;
    }
    this.picked = undefined;
    return true;
  }

  /** Another document is previewed: its views and ranges are not known yet. */
  documentChanged(): void {
    this.picked = undefined;
    this.views = [];
  }
}

/** Runs the last of a burst of calls once no call came for `delayMs` (timers injectable). */
export class Debouncer {
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly schedule: (run: () => void, delayMs: number) => ReturnType<typeof setTimeout> = setTimeout,
    private readonly cancel: (handle: ReturnType<typeof setTimeout>) => void = clearTimeout,
  ) {}

  trigger(run: () => void): void {
    this.dispose();
    this.pending = this.schedule(() => {
      this.pending = undefined;
      run();
    }, this.delayMs);
  }

  /** Whether a call waits. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }

  dispose(): void {
    if (this.pending !== undefined) {
      this.cancel(this.pending);
      this.pending = undefined;
    }
  }
}
