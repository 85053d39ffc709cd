/**
 * Reading a PDF's text off the main thread. pdf.js parses on the thread that calls it, and a PDF
 * comes from anyone who may upload: a large or hostile one would stall every world on the server
 * for as long as it is read. Here it runs in a worker that is stopped if it takes too long.
 */
import { ErrorCode } from '../../shared/protocol';
import { AppError } from '../errors';
import { PoolError, WorkerPool } from '../analysis/workerPool';
import { PDF_TEXT_LIMITS, type PdfText } from './pdfText';
import type { PdfTextJob, PdfTextReply } from './pdfText.worker';

const busy = () => new AppError(ErrorCode.RATE_LIMITED, 'The server is reading other PDFs right now; try again in a minute.', 503);

/** Past pdf.js's own time limit: a worker still busy then is stuck in one call, not between pages. */
const TIMEOUT_MS = PDF_TEXT_LIMITS.timeoutMs + 5_000;

/** The buffer under `bytes`, when `bytes` is all of it and it may be moved to another thread. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

export class PdfTextPool {
  /** Reads under way by content: two callers asking for the same file share one reading. */
  private readonly reading = new Map<string, Promise<PdfText>>();

  private readonly pool = new WorkerPool<PdfTextJob, PdfTextReply>({
    entry: new URL('./pdfText.worker.ts', import.meta.url),
    what: 'Reading the PDF',
    size: 1,
    queueLimit: 16,
    timeoutMs: TIMEOUT_MS,
  });

  /**
   * The text layer of the PDF `load` gives; refuses with the same 4xx answers as reading it
   * in-thread would. `key` names the content (its hash): while one reading of it is under way,
   * others wait for that one. Nothing is loaded when the readers are already too busy, and the
   * loaded bytes are moved to the worker, not copied (the caller must not use them afterwards).
   */
  read(key: string, load: () => Promise<Uint8Array>, title: string): Promise<PdfText> {
    const under = this.reading.get(key);
    if (under) return under;
    const reading = this.readOnce(load, title).finally(() => this.reading.delete(key));
    this.reading.set(key, reading);
    return reading;
  }

  private async readOnce(load: () => Promise<Uint8Array>, title: string): Promise<PdfText> {
    if (this.pool.full) throw busy();
    const bytes = await load();
    let reply: PdfTextReply;
    try {
      reply = await this.pool.run({ bytes, title }, { transfer: ownBuffer(bytes) });
    } catch (err) {
      if (!(err instanceof PoolError)) throw err;
      if (err.code === 'BUSY') throw busy();
      // a worker that ran out of time or died on this file would do the same again
      throw new AppError(ErrorCode.TOO_LARGE, `The text of "${title}" cannot be read: ${err.message} Save it again as a smaller or simpler PDF, split it, or upload its text as a .txt or .md file.`, 422);
    }
    if ('refused' in reply) throw new AppError(reply.refused.code, reply.refused.message, reply.refused.status);
    return reply.pdf;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
