/** PDF text extraction in a worker thread: one `{ id, input }` message in, one reply out. */
import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors';
import { extractPdfText, type PdfText } from './pdfText';

export interface PdfTextJob {
  bytes: Uint8Array;
  title: string;
}

/** What a job answers: the text, or the refusal (an AppError's parts) to hand back to the caller. */
export type PdfTextReply = { pdf: PdfText } | { refused: { code: AppError['code']; message: string; status: number } };

const port = parentPort!;
port.on('message', ({ id, input }: { id: number; input: PdfTextJob }) => {
  extractPdfText(input.bytes, input.title).then(
    (pdf) => port.postMessage({ id, ok: true, result: { pdf } satisfies PdfTextReply }),
    (err: unknown) =>
      port.postMessage(
        err instanceof AppError
          ? { id, ok: true, result: { refused: { code: err.code, message: err.message, status: err.status } } satisfies PdfTextReply }
          : { id, ok: false, message: err instanceof Error ? err.message : String(err) },
      ),
  );
});
port.postMessage({ type: 'ready' });
