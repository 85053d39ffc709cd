/**
 * A document's content as pages that can each be drawn to a canvas. This is the one seam between
 * "what a document looks like" and "how it is shown in the room": the panel face (and later a
 * batched atlas renderer) only ever asks a source for page canvases.
 */
import type { DocumentKind } from '../../shared/model/documents';
import { textSource, type TextMeasure } from './textSource';

export interface PageSource {
  readonly pageCount: number;
  /** Width / height of a page (1-based). */
  pageAspect(page: number): Promise<number>;
  /** Draws a page `widthPx` pixels wide on a fresh canvas of that page's aspect. */
  renderPage(page: number, widthPx: number): Promise<HTMLCanvasElement>;
  dispose(): void;
}

/** Kinds shown as pages on a panel (models are loaded into the scene instead). */
export type PagedKind = Exclude<DocumentKind, 'model'>;

export function isPagedKind(kind: string): kind is PagedKind {
  return kind === 'markdown' || kind === 'text' || kind === 'pdf' || kind === 'image';
}

/**
 * Opens a source for content of a paged kind, text measured with `measure` when given. PDF
 * support is loaded only when first needed.
 */
export async function openPageSource(kind: PagedKind, bytes: ArrayBuffer, measure?: TextMeasure): Promise<PageSource> {
  switch (kind) {
    case 'markdown':
    case 'text':
      return textSource(kind, new TextDecoder('utf-8').decode(bytes), measure);
    case 'pdf': {
      const { openPdf } = await import('./pdfSource');
      return openPdf(bytes);
    }
    case 'image': {
      const { openImage } = await import('./imageSource');
      return openImage(bytes);
    }
    default: {
      const unreachable: never = kind;
      throw new Error(`no page source for ${String(unreachable)}`);
    }
  }
}

