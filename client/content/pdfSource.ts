/** PDFs as pages, rendered with pdf.js in its worker, everything served from our own origin. */
import { GlobalWorkerOptions, VerbosityLevel, getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { BundledBinaryData } from './pdfAssets';
import { newCanvas } from './canvas';
import type { PageSource } from './pageSource';
import { inBackground } from '../ui/kit/background';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Largest page canvas we draw, so a huge page size cannot exhaust memory. */
const MAX_SIDE = 4096;

export async function openPdf(bytes: ArrayBuffer): Promise<PageSource> {
  const task = getDocument({
    // pdf.js hands the buffer to its worker; keep ours intact for anyone else sharing it
    data: new Uint8Array(bytes.slice(0)),
    // nothing from the network, nothing evaluated: the PDF is someone else's file
    BinaryDataFactory: BundledBinaryData,
    useWorkerFetch: false,
    isEvalSupported: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy();
    throw new Error(err instanceof Error && /password/i.test(err.message) ? 'This PDF is protected by a password.' : 'This PDF cannot be read.');
  }
  const pages = new Map<number, Promise<PDFPageProxy>>();
  const page = (n: number) => {
    const index = Math.min(doc.numPages, Math.max(1, n));
    let p = pages.get(index);
    if (!p) pages.set(index, (p = doc.getPage(index)));
    return p;
  };
  return {
    pageCount: doc.numPages,
    async pageAspect(n) {
      const viewport = (await page(n)).getViewport({ scale: 1 });
      return viewport.width / Math.max(1, viewport.height);
    },
    async renderPage(n, widthPx) {
      const p = await page(n);
      const base = p.getViewport({ scale: 1 });
      const scale = Math.min(widthPx / base.width, MAX_SIDE / base.height);
      const viewport = p.getViewport({ scale });
      const canvas = newCanvas(viewport.width, viewport.height);
      const ctx = canvas.getContext('2d')!;
      // PDFs assume white paper; a transparent page would show the panel through it
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      await p.render({ canvas, canvasContext: ctx, viewport }).promise;
      return canvas;
    },
    dispose() {
      inBackground(doc.destroy(), 'Closing the PDF');
    },
  };
}
