/**
 * The text of a PDF, for the steps and routes that read documents. Extraction is bounded (pages,
 * characters, time) because a PDF is uploaded by anyone and parsed on the server; nothing is
 * fetched from elsewhere and no fonts are loaded, since only the text layer is read.
 */
import { ErrorCode } from '../../shared/protocol';
import { AppError } from '../errors';

export interface PdfTextLimits {
  /** Pages read at most; later pages are left out. */
  maxPages: number;
  /** Characters kept at most; the rest is left out. */
  maxChars: number;
  /** Reading stops with an error after this long. */
  timeoutMs: number;
}

export const PDF_TEXT_LIMITS: PdfTextLimits = { maxPages: 200, maxChars: 400_000, timeoutMs: 20_000 };

export interface PdfText {
  text: string;
  /** Pages in the file, and how many of them were read. */
  pages: number;
  pagesRead: number;
  /** Whether pages or characters were left out by the limits. */
  truncated: boolean;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
// loaded on first use: most servers never read a PDF, and the library is large
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

/** One page's text items as lines: an item that ends a line ends it here too. */
function pageText(items: readonly TextItem[]): string {
  let out = '';
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    out += item.str;
    if (item.hasEOL) out += '\n';
    else if (item.str && !/\s$/.test(item.str)) out += ' ';
  }
  return out.replace(/[ \t]+\n/g, '\n').trim();
}

/** Reads the text layer of a PDF; refuses files it cannot read with a 422 that says why. */
export async function extractPdfText(bytes: Uint8Array, title: string, limits: PdfTextLimits = PDF_TEXT_LIMITS): Promise<PdfText> {
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  // pdf.js takes ownership of the buffer it is given, so it gets a copy
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: VerbosityLevel.ERRORS });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError(ErrorCode.TOO_LARGE, `Reading the text of "${title}" took longer than ${Math.round(limits.timeoutMs / 1000)} s; it is too large or too complex to analyse.`, 422)),
      limits.timeoutMs,
    );
  });
  const read = async (): Promise<PdfText> => {
    const doc = await task.promise;
    const pagesRead = Math.min(doc.numPages, limits.maxPages);
    const parts: string[] = [];
    let length = 0;
    for (let n = 1; n <= pagesRead && length < limits.maxChars; n++) {
      const page = await doc.getPage(n);
      const text = pageText((await page.getTextContent()).items as TextItem[]);
      page.cleanup();
      parts.push(text);
      length += text.length + 2;
    }
    const joined = parts.filter(Boolean).join('\n\n');
    return { text: joined.slice(0, limits.maxChars), pages: doc.numPages, pagesRead: parts.length, truncated: parts.length < doc.numPages || joined.length > limits.maxChars };
  };
  try {
    return await Promise.race([read(), timeout]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(ErrorCode.UNSUPPORTED_TYPE, `The text of "${title}" cannot be read: the PDF is damaged or encrypted (${err instanceof Error ? err.message : String(err)}).`, 422);
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}
