/**
 * Keeps one panel's face in step with what it should show. Each change (content, page, spread,
 * notes on the shown pages, resolution) gives a new key; the face is drawn again only when the key
 * changed, one drawing at a time, always ending on the latest key. The drawing goes into a block
 * of the shared face atlas (see FaceAtlas), kept across redraws while it still fits. A face seen
 * up close (a tier above the atlas's, see sharpness.ts) is also drawn at that tier on a canvas of
 * its own, for the panel to show on a texture of its own.
 */
import type { SourceLibrary, SourceState } from '../content/SourceLibrary';
import type { PageSource, PagedKind } from '../content/pageSource';
import { textSource } from '../content/textSource';
import { TEXT_PAGE } from '../content/textLayout';
import { composeFace, messagePage, type NoteMark } from './faceCanvas';
import type { FaceAtlas, FacePlacement } from './FaceAtlas';
import type { Point } from '../content/faceQueue';
import type { FaceScheduler, ScheduledFace } from './FaceScheduler';
import { clampPage, facePixels, shownPages, type FaceLayout, type NoteBox } from './faceLayout';
import { ATLAS_MAX_TIER, closeUpPageWidth, PAGE_TIERS } from './sharpness';

export interface FaceDocument {
  id: string;
  kind: PagedKind;
  contentHash: string;
  title: string;
  /** The start of a text document, shown until its content has loaded. */
  body: string;
  page: number;
  spread: number;
}

export interface FaceNote {
  id: string;
  page: number;
  u: number;
  v: number;
  text: string;
  colour: string;
}

/** Pixels per page width for a panel across the room. */
export const FAR_PAGE_PX = PAGE_TIERS[0];
const LETTER = TEXT_PAGE.width / TEXT_PAGE.height;
/**
 * How long a face whose document is still loading waits before it is drawn with its preview (or
 * "Loading…"): long enough that content served on a LAN arrives first and the face is drawn once.
 */
const LOADING_GRACE_MS = 1500;

export class PanelFace implements ScheduledFace {
  /** Where the face is drawn now; null until its first drawing. */
  placement: FacePlacement | null = null;
  /** The layout of what is on the face now. */
  layout: FaceLayout = { pageAspect: LETTER, slots: 1, footer: true };
  noteBoxes: NoteBox[] = [];
  /** Pages the client knows the document has (0 until its content has loaded). */
  pageCount = 0;
  /** First page on the face now. */
  shownPage = 1;
  contentLoaded = false;
  /** The face drawn at a close-up tier, while it has one; null in the atlas only. */
  closeUp: HTMLCanvasElement | null = null;
  /** Pixels per page width of the sharpest drawing on show (the close-up's, else the atlas's). */
  drawnPageWidth = 0;
  private doc: FaceDocument | null = null;
  private notes: FaceNote[] = [];
  private tier: number = FAR_PAGE_PX;
  private drawnKey = '';
  private preview: { body: string; source: PageSource } | null = null;
  /** The loaded pages on the face now, by page and width: adding a note does not redraw the PDF. */
  private pageCanvases = new Map<string, HTMLCanvasElement>();
  private disposed = false;

  constructor(
    private readonly atlas: FaceAtlas,
    private readonly library: SourceLibrary,
    /** Draws the faces of the world in turn, nearest the viewer first. */
    private readonly scheduler: FaceScheduler,
    /** Where the face stands in the world now. */
    private readonly where: () => Point,
    /** Told after every drawing: the layout (and so the panel's shape) or the placement may have changed. */
    private readonly onDrawn: (layout: FaceLayout) => void,
  ) {}

  setDocument(doc: FaceDocument): void {
    const old = this.doc;
    // most document changes are moves, which leave the face as it is
    if (old && (Object.keys(doc) as Array<keyof FaceDocument>).every((k) => old[k] === doc[k])) return;
    if (old && old.contentHash !== doc.contentHash) this.pageCanvases.clear();
    this.doc = doc;
    this.refresh();
  }

  setNotes(notes: FaceNote[]): void {
    this.notes = notes;
    this.refresh();
  }

  /** Sets the tier (pixels per page width, see sharpness.ts) the face should be drawn at. */
  setTier(tier: number): void {
    if (tier === this.tier) return;
    this.tier = tier;
    this.refresh();
  }

  /** Pixels per page width in the atlas: the tier, up to the atlas's best. */
  private get pageWidth(): number {
    return Math.min(this.tier, ATLAS_MAX_TIER);
  }

  private sourceState(doc: FaceDocument): SourceState {
    return this.library.state(doc, this.where);
  }

  private key(): string {
    const doc = this.doc;
    if (!doc) return '';
    const state = this.sourceState(doc);
    const count = state.status === 'ready' ? state.source.pageCount : 0;
    const pages = shownPages(doc.page, doc.spread, count);
    const notes = this.notes.filter((n) => pages.includes(n.page));
    const body = state.status === 'loading' ? doc.body : '';
    return JSON.stringify([doc.kind, doc.contentHash, doc.title, state.status, pages, doc.spread, this.tier, notes, body]);
  }

  /** Queues a drawing when the face no longer shows what it should. */
  private refresh(): void {
    const key = this.key();
    const doc = this.doc;
    if (this.disposed || !doc || !key || (key === this.drawnKey && !this.library.unopened(doc))) return;
    // key() asked the library, which starts loading the content; once there, draw without delay
    const loading = this.library.waiting(doc);
    if (loading) this.library.settled(doc).then(() => this.refresh(), () => this.refresh());
    this.scheduler.request(this, loading ? LOADING_GRACE_MS : 0);
  }

  position(): Point {
    return this.where();
  }

  /** Draws the face once as it should look now (the scheduler calls this in its turn). */
  async drawStep(): Promise<void> {
    // opening (laying out a text, parsing a PDF) is costly: it happens here, in the face's turn
    if (this.doc) await this.library.open(this.doc);
    const key = this.key();
    if (this.disposed || !this.doc || !key || key === this.drawnKey) return;
    await this.draw(this.doc);
    this.drawnKey = key;
    // something changed while drawing: queue again for the latest
    this.refresh();
  }

  private async draw(doc: FaceDocument): Promise<void> {
    const state = this.sourceState(doc);
    const source = state.status === 'ready' ? state.source : this.previewOf(doc);
    const count = source?.pageCount ?? 0;
    const pages = shownPages(doc.page, doc.spread, count);
    const slots = count > 0 ? Math.min(Math.max(1, doc.spread), count) : 1;
    const footer = doc.kind !== 'image';
    let layout: FaceLayout = { pageAspect: this.layout.pageAspect, slots, footer };
    const widths = [this.pageWidth];
    let canvases: Array<Array<HTMLCanvasElement | null>>;
    try {
      if (!source) {
        const message = state.status === 'failed' ? `Cannot show this document: ${state.message}` : 'Loading…';
        layout = { pageAspect: LETTER, slots: 1, footer };
        canvases = [[messagePage(this.pageWidth, LETTER, message, state.status === 'failed' ? '#b42318' : undefined)]];
      } else {
        layout.pageAspect = await source.pageAspect(pages[0] ?? 1);
        const closeWidth = this.closeUpWidth(layout);
        // the close-up first: it is what the person is looking at
        if (closeWidth && state.status === 'ready') widths.unshift(closeWidth);
        canvases = [];
        for (const width of widths) {
          canvases.push(await Promise.all(Array.from({ length: slots }, (_, i) => (pages[i] ? this.pageCanvas(source, state.status === 'ready', pages[i]!, width) : null))));
        }
        this.keepOnly(pages, widths);
      }
    } catch {
      widths.splice(0, widths.length - 1);
      canvases = [[messagePage(this.pageWidth, layout.pageAspect, 'This page cannot be shown.', '#b42318')]];
      layout = { ...layout, slots: 1 };
    }
    if (this.disposed) return;
    const notes: NoteMark[] = [];
    for (const n of this.notes) {
      const slot = pages.indexOf(n.page);
      if (slot >= 0 && slot < layout.slots) notes.push({ id: n.id, slot, u: n.u, v: n.v, text: n.text, colour: n.colour });
    }
    const first = pages[0] ?? clampPage(doc.page, count);
    const last = pages[pages.length - 1] ?? first;
    const footerText = state.status !== 'ready' ? '' : last > first ? `pages ${first}–${last} of ${count}` : `page ${first} of ${count}`;
    const faces = widths.map((pageWidth, i) => composeFace({ layout, pageWidth, pages: canvases[i]!, title: doc.title, footer: footerText, notes }));
    const atlasFace = faces[faces.length - 1]!;
    this.placement = this.atlas.put(atlasFace.canvas, this.placement?.slot ?? null);
    this.closeUp = faces.length > 1 ? faces[0]!.canvas : null;
    this.drawnPageWidth = widths[0]!;
    this.layout = layout;
    this.noteBoxes = atlasFace.noteBoxes;
    this.pageCount = state.status === 'ready' ? count : 0;
    this.shownPage = first;
    this.contentLoaded = state.status === 'ready';
    this.onDrawn(layout);
  }

  /** Pixels per page width of the close-up for this layout, or 0 when the tier is the atlas's. */
  private closeUpWidth(layout: FaceLayout): number {
    if (this.tier <= ATLAS_MAX_TIER) return 0;
    const unit = facePixels(layout, 1000);
    return closeUpPageWidth(this.tier, layout.slots, unit.height / 1000, this.atlas.maxCloseUpSide);
  }

  private async pageCanvas(source: PageSource, cacheable: boolean, page: number, width: number): Promise<HTMLCanvasElement> {
    const key = `${page}@${width}`;
    const cached = cacheable ? this.pageCanvases.get(key) : undefined;
    if (cached) return cached;
    const canvas = await source.renderPage(page, width);
    if (cacheable) this.pageCanvases.set(key, canvas);
    return canvas;
  }

  /** Lets go of page drawings no longer on show (a close-up's are large). */
  private keepOnly(pages: number[], widths: number[]): void {
    const wanted = new Set(pages.flatMap((p) => widths.map((w) => `${p}@${w}`)));
    for (const key of this.pageCanvases.keys()) if (!wanted.has(key)) this.pageCanvases.delete(key);
  }

  /** The preview text of a text document while its full content loads. */
  private previewOf(doc: FaceDocument): PageSource | null {
    if (doc.kind !== 'markdown' && doc.kind !== 'text') return null;
    if (this.preview?.body !== doc.body) this.preview = { body: doc.body, source: textSource(doc.kind, doc.body) };
    return this.preview.source;
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.cancel(this);
    if (this.placement) this.atlas.release(this.placement.slot);
    this.placement = null;
    this.closeUp = null;
    this.pageCanvases.clear();
  }
}
