import { describe, expect, it } from 'vitest';
import { Intent, isIntentType } from '../../shared/protocol';
import { fuzzMessages, rng } from './fuzz';

const targets = { docIds: ['doc-a', 'doc-b'], noteIds: ['note-a'], workflowIds: ['wf-a'], runIds: ['run-a'] };

/** What the room does with a message before anything changes: the same three checks. */
function refused(type: string | number, payload: unknown): boolean {
  if (!isIntentType(type)) return true;
  const parsed = Intent.safeParse(payload);
  return !parsed.success || parsed.data.type !== type;
}

describe('protocol fuzzer', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = [...fuzzMessages(7, 200, targets)].map((m) => m.mutation);
    const b = [...fuzzMessages(7, 200, targets)].map((m) => m.mutation);
    const c = [...fuzzMessages(8, 200, targets)].map((m) => m.mutation);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(rng(1)()).not.toBe(rng(2)());
  });

  it('makes only messages the protocol must refuse, of every intent type and many mutations', () => {
    const types = new Set<string>();
    const mutations = new Set<string>();
    for (const m of fuzzMessages(20261125, 5000, targets)) {
      expect(refused(m.type, m.payload), `${String(m.type)}: ${m.mutation}`).toBe(true);
      types.add(String(m.type));
      mutations.add(m.mutation.replace(/^\w+ is /, 'field is '));
    }
    for (const t of ['pose', 'grab', 'move', 'release', 'page', 'noteAdd', 'noteEdit', 'noteDelete', 'runStart', 'runCancel', 'runAnswer']) expect(types).toContain(t);
    expect(mutations.size).toBeGreaterThan(15);
  });
});
