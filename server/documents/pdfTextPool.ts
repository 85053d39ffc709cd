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

/** Past pdf.js's own time limit: a worker still busy then is stuck in one call, not between pages. */
const TIMEOUT_MS = PDF_TEXT_LIMITS.timeoutMs + 5_000;

export class PdfTextPool {
  private readonly pool = new WorkerPool<PdfTextJob, PdfTextReply>({
    entry: new URL('./pdfText.worker.ts', import.meta.url),
    what: 'Reading the PDF',
    size: 1,
    queueLimit: 16,
    timeoutMs: TIMEOUT_MS,
  });

  /** The text layer of `bytes`; refuses with the same 4xx answers as reading it in-thread would. */
  async read(bytes: Uint8Array, title: string): Promise<PdfText> {
    let reply: PdfTextReply;
    try {
      reply = await this.pool.run({ bytes, title });
    } catch (err) {
      if (!(err instanceof PoolError)) throw err;
      if (err.code === 'BUSY') throw new AppError(ErrorCode.RATE_LIMITED, 'The server is reading other PDFs right now; try again in a minute.', 503);
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
