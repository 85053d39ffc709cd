import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FairQueue } from './FairQueue';
import { queueOrder, type RunRecord } from './runMachine';
import type { Priority } from '../../../shared/model/workflow';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'critical'];

const run = (id: string, priority: Priority, createdAt: number) => ({ id, priority, createdAt }) as RunRecord;

/** The order the queue promised before it kept its entries sorted on insert: sort all, then pick. */
function reference(entries: Array<{ run: RunRecord; share: string }>, active: Map<string, number>, perShare: number) {
  const sorted = [...entries].sort((a, b) => queueOrder(a.run, b.run));
  let best: (typeof sorted)[number] | undefined;
  for (const e of sorted) {
    const load = active.get(e.share) ?? 0;
    if (load >= perShare) continue;
    if (!best) best = e;
    else if (e.run.priority !== best.run.priority) break;
    else if (load < (active.get(best.share) ?? 0)) best = e;
  }
  return best;
}

describe('FairQueue', () => {
  it('takes runs in the same order as sorting everything waiting, for any pushes and takes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), priority: fc.constantFrom(...PRIORITIES), at: fc.integer({ min: 0, max: 20 }), share: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('take' as const) }),
      fc.record({ kind: fc.constant('release' as const), share: fc.constantFrom('a', 'b', 'c') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 3 }), (ops, perShare) => {
        const queue = new FairQueue(perShare);
        const model: Array<{ run: RunRecord; share: string }> = [];
        const active = new Map<string, number>();
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const r = run(`r${String(n++).padStart(3, '0')}`, o.priority, o.at);
            queue.push(r, o.share);
            model.push({ run: r, share: o.share });
            expect(queue.has(r.id)).toBe(true);
          } else if (o.kind === 'take') {
            const want = reference(model, active, perShare);
            const got = queue.take();
            expect(got?.run.id).toBe(want?.run.id);
            if (got) {
              model.splice(model.indexOf(want!), 1);
              active.set(got.share, (active.get(got.share) ?? 0) + 1);
              expect(queue.has(got.run.id)).toBe(false);
            }
          } else if ((active.get(o.share) ?? 0) > 0) {
            queue.release(o.share);
            active.set(o.share, active.get(o.share)! - 1);
          }
          expect(queue.size).toBe(model.length);
        }
      }),
      { seed: 1214, numRuns: 300 },
    );
  });
});
