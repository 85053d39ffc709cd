import type { ErrorCode } from '../shared/protocol';

/** An error a user or client can act on: a protocol code and a message that says what to do. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
