/** How AI failures become step failures. */
import { AiFailure } from '../../ai/AiService';
import { StepFailure } from './StepKind';

/** A step failure that lists how each provider failed; other errors pass through unchanged. */
export function aiStepFailure(err: unknown): unknown {
  if (!(err instanceof AiFailure)) return err;
  const malformed = err.failures.some((f) => f.code === 'MALFORMED_REPLY');
  return new StepFailure(malformed && !err.retryable ? 'AI_MALFORMED_REPLY' : 'AI_FAILED', err.message, err.retryable);
}
