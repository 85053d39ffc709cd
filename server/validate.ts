/** Checking a request's input against its schema at the boundary, with a refusal a person can act on. */
import type { z } from 'zod';
import { ErrorCode } from '../shared/protocol';
import { AppError } from './errors';

/** Parses `body` (nothing counts as `{}`) or refuses with a 400 naming up to three problems and where. */
export function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new AppError(ErrorCode.BAD_REQUEST, `Invalid ${what}: ${issues.join('; ')}`);
  }
  return parsed.data;
}
