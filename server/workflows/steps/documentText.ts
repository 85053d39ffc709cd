/** How steps read the run's document, and how a document that cannot be read fails a step. */
import { AppError } from '../../errors';
import { StepFailure, type StepContext } from './StepKind';

/**
 * The text of the run's document. A refusal that another attempt cannot change (no such
 * document, a kind without text, a file too large to read) fails the step at once instead of
 * being retried; anything else (storage trouble) stays retryable.
 */
export async function runDocumentText(ctx: StepContext): Promise<string> {
  const id = ctx.run.input.documentId;
  if (typeof id !== 'string') throw new StepFailure('NO_DOCUMENT', 'This step needs a document: start the run on one.', false);
  if (!ctx.adapters.documentText) throw new StepFailure('UNAVAILABLE', 'Documents cannot be read here.', false);
  try {
    return await ctx.adapters.documentText(id);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) throw new StepFailure(err.code, err.message, false);
    throw err;
  }
}
