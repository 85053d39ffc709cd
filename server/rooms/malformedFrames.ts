/**
 * Colyseus logs the whole stack of every frame it cannot decode, and a request frame that does not
 * decode does not even cost the client its connection: one hostile client could fill the log. The
 * room dispatches each frame under its sender's name, so whatever Colyseus logs as an error during
 * that dispatch is counted against that client: the first is logged in one line, the rest are
 * counted and reported once when the client leaves. A client whose frames keep failing is not
 * talking our protocol at all: past MAX_MALFORMED_FRAMES it is cut off.
 */
import type { Logger } from '../log';

type Log = (...args: unknown[]) => void;

/** Undecodable frames a client may send before it is cut off (a buggy client sends a few, not hundreds). */
export const MAX_MALFORMED_FRAMES = 50;

let counting: { frames: MalformedFrames; sessionId: string } | undefined;

/** The logger to hand Colyseus: errors during a frame's dispatch go to that frame's sender. */
export function colyseusLogger(log: Logger): Record<'debug' | 'info' | 'warn' | 'error' | 'trace', Log> {
  const pass = (level: 'debug' | 'info' | 'warn' | 'error' | 'trace'): Log => (...args) => (log[level] as Log).apply(log, args);
  const error = pass('error');
  return {
    debug: pass('debug'),
    info: pass('info'),
    warn: pass('warn'),
    trace: pass('trace'),
    error: (...args) => (counting ? counting.frames.malformed(counting.sessionId, args[0]) : error(...args)),
  };
}

/** One room's count of frames that did not decode, per client. */
export class MalformedFrames {
  private readonly counts = new Map<string, number>();

  constructor(private readonly log: Logger) {}

  /** Runs Colyseus's dispatch of one frame from `sessionId`; a frame it throws on counts as malformed too. */
  dispatch(sessionId: string, run: () => void, cutOff: () => void): void {
    const outer = counting;
    counting = { frames: this, sessionId };
    try {
      run();
      if ((this.counts.get(sessionId) ?? 0) > MAX_MALFORMED_FRAMES) cutOff();
    } catch (err) {
      this.malformed(sessionId, err);
      cutOff();
    } finally {
      counting = outer;
    }
  }

  malformed(sessionId: string, detail: unknown): void {
    const n = (this.counts.get(sessionId) ?? 0) + 1;
    this.counts.set(sessionId, n);
    if (n > 1) return;
    const text = detail instanceof Error ? detail.message : String(detail);
    this.log.warn({ participant: sessionId, reason: text.split('\n')[0]!.slice(0, 200) }, 'a frame from a client did not decode; any more are counted and reported when it leaves');
  }

  /** Reports how many frames a client that is leaving sent that did not decode, and forgets it. */
  forget(sessionId: string): void {
    const n = this.counts.get(sessionId);
    this.counts.delete(sessionId);
    if (n) this.log.warn({ participant: sessionId, frames: n }, 'frames that did not decode, from a client that left');
  }
}
