/**
 * A JSON object given by a caller (a run's input, a schedule's input) that the server stores and
 * passes on: bounded in depth and size, because storing or copying a value nested thousands deep
 * overflows the stack. The depth is measured without recursion for the same reason.
 */
import { z } from 'zod';

export const JSON_MAX_DEPTH = 16;
export const JSON_MAX_BYTES = 16 * 1024;

/** How deeply `value` nests objects and arrays (a plain value is 0), counting no further than `limit` + 1. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** A JSON object of at most `maxDepth` levels and `maxBytes` bytes as JSON (it is copied into every run record). */
export function boundedJsonObject(maxDepth = JSON_MAX_DEPTH, maxBytes = JSON_MAX_BYTES) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (jsonDepth(value, maxDepth) > maxDepth) {
      ctx.addIssue({ code: 'custom', message: `nests deeper than ${maxDepth} levels of objects and arrays` });
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > maxBytes) ctx.addIssue({ code: 'custom', message: `is ${bytes} bytes as JSON; at most ${maxBytes} are taken` });
  });
}
