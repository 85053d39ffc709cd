/** The one structured logger. Child loggers carry world, room and participant ids. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'dwc' } });
}

/**
 * A promise rejection nobody handled, or an error thrown from a callback, is a bug in one request
 * or one room: it is logged and the server carries on serving everyone else, rather than letting
 * one hostile message end every world with no word in the log.
 */
export function keepRunningOnStrayErrors(log: Logger): void {
  process.on('unhandledRejection', (reason: unknown) => log.error({ err: reason }, 'a promise was rejected and nothing handled it; carrying on'));
  process.on('uncaughtException', (err: Error, origin: string) => log.error({ err, origin }, 'an error escaped every handler; carrying on'));
}
