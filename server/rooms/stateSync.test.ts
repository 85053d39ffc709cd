import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/model/runs';
import { WorldState } from '../../shared/schema/WorldState';
import { applyEffect } from './stateSync';
import { RECENT_RUNS } from './workflowSync';

const summary = (id: string, status: string, updatedAt: number, steps: RunSummary['steps']): RunSummary => ({
  id,
  workflowId: 'wf1',
  version: 1,
  status,
  priority: 'normal',
  documentId: 'd1',
  updatedAt,
  steps,
});

const plain = (state: WorldState, id: string) => {
  const r = state.runs.get(id)!;
  return { status: r.status, documentId: r.documentId, updatedAt: r.updatedAt, steps: r.steps.map((s) => ({ ...s.toJSON() })) };
};

describe('applyEffect runProgress', () => {
  it('adds a run the world has not seen, then follows its steps, asking nothing of storage', () => {
    const state = new WorldState();
    const first = applyEffect(state, {
      op: 'runProgress',
      run: summary('r1', 'waiting', 10, [
        { id: 'a', status: 'succeeded', attempt: 1 },
        { id: 'b', status: 'waiting', attempt: 1, waitingFor: { kind: 'approval', prompt: 'Approve?' }, detail: 'Approve?' },
      ]),
    });
    expect(first).toEqual({ kind: 'none' });
    expect(plain(state, 'r1')).toEqual({
      status: 'waiting',
      documentId: 'd1',
      updatedAt: 10,
      steps: [
        { id: 'a', status: 'succeeded', attempt: 1, detail: '', waitingFor: '', documentId: '' },
        { id: 'b', status: 'waiting', attempt: 1, detail: 'Approve?', waitingFor: 'approval', documentId: '' },
      ],
    });

    applyEffect(state, {
      op: 'runProgress',
      run: summary('r1', 'succeeded', 20, [
        { id: 'a', status: 'succeeded', attempt: 1 },
        { id: 'b', status: 'succeeded', attempt: 1, documentId: 'made' },
      ]),
    });
    expect(plain(state, 'r1').steps[1]).toEqual({ id: 'b', status: 'succeeded', attempt: 1, detail: '', waitingFor: '', documentId: 'made' });
    expect(state.runs.get('r1')!.status).toBe('succeeded');
  });

  it('keeps the recent runs only, dropping the oldest finished ones first', () => {
    const state = new WorldState();
    applyEffect(state, { op: 'runProgress', run: summary('open', 'running', 0, []) });
    for (let i = 1; i <= RECENT_RUNS + 2; i++) applyEffect(state, { op: 'runProgress', run: summary(`done${i}`, 'succeeded', i, []) });
    expect(state.runs.size).toBe(RECENT_RUNS);
    expect(state.runs.has('open')).toBe(true);
    expect(['done1', 'done2', 'done3'].filter((id) => state.runs.has(id))).toEqual([]);
  });
});
