import { describe, expect, it } from 'vitest';
import { DETAIL_CHARS, describeWaiting, runSummary, type RunSource, type WaitingFor } from './runs';

const run = (steps: RunSource['steps'], input: Record<string, unknown> = { documentId: 'd1', worldId: 'w9' }): RunSource => ({
  id: 'r1',
  workflowId: 'wf1',
  version: 2,
  status: 'waiting',
  priority: 'normal',
  input,
  updatedAt: 50,
  steps,
});

describe('runSummary', () => {
  it('keeps what a world shows and nothing of the input, log or outputs', () => {
    const summary = runSummary({
      ...run([
        { stepId: 'analyse', status: 'succeeded', attempt: 1, output: { summary: 'long text', documentId: 'made1' } },
        { stepId: 'approve', status: 'waiting', attempt: 1, waitingFor: { kind: 'approval', prompt: 'Approve this document?' } },
        { stepId: 'present', status: 'pending', attempt: 0 },
      ]),
      log: [{ at: 1, stepId: null, message: 'queued' }],
    } as RunSource);
    expect(summary).toEqual({
      id: 'r1',
      workflowId: 'wf1',
      version: 2,
      status: 'waiting',
      priority: 'normal',
      documentId: 'd1',
      updatedAt: 50,
      steps: [
        { id: 'analyse', status: 'succeeded', attempt: 1, documentId: 'made1' },
        { id: 'approve', status: 'waiting', attempt: 1, waitingFor: { kind: 'approval', prompt: 'Approve this document?' }, detail: 'Approve this document?' },
        { id: 'present', status: 'pending', attempt: 0 },
      ],
    });
  });

  it('says what a neural step waits for, who may answer and how', () => {
    const waitingFor: WaitingFor = { kind: 'neural', prompt: 'Confirm', participant: 'Ann', commands: ['confirm', 'thumbs_up'], minConfidence: 0.8 };
    const [step] = runSummary(run([{ stepId: 'n', status: 'waiting', attempt: 1, waitingFor }])).steps;
    expect(step).toEqual({ id: 'n', status: 'waiting', attempt: 1, waitingFor, detail: 'Confirm (Ann: confirm / thumbs_up, confidence ≥ 0.8)' });
    expect(describeWaiting({ kind: 'neural', prompt: 'Confirm', role: 'owner', commands: ['confirm', 'thumbs_up'], minConfidence: 0.8 })).toBe('Confirm (an owner: confirm / thumbs_up, confidence ≥ 0.8)');
  });

  it('shows a parked delay while it waits, and forgets what a finished step waited for', () => {
    const until = Date.UTC(2030, 0, 1);
    const [parked, finished] = runSummary(
      run([
        { stepId: 'pause', status: 'running', attempt: 1, waitingFor: { kind: 'delay', until } },
        { stepId: 'old', status: 'cancelled', attempt: 1, waitingFor: { kind: 'approval', prompt: 'Stale?' } },
      ]),
    ).steps;
    expect(parked).toMatchObject({ waitingFor: { kind: 'delay', until }, detail: 'waiting until 2030-01-01T00:00:00.000Z' });
    expect(finished).toEqual({ id: 'old', status: 'cancelled', attempt: 1 });
  });

  it('gives a failure its code and a short reason, and a run on no document an empty document id', () => {
    const message = 'x'.repeat(1000);
    const summary = runSummary(run([{ stepId: 'a', status: 'failed', attempt: 3, error: { code: 'TIMEOUT', message } }], {}));
    expect(summary.documentId).toBe('');
    expect(summary.steps[0]).toEqual({ id: 'a', status: 'failed', attempt: 3, error: { code: 'TIMEOUT', message: message.slice(0, DETAIL_CHARS) }, detail: message.slice(0, DETAIL_CHARS) });
  });

  it('a waiting step stored without saying what for is shown as waiting', () => {
    expect(runSummary(run([{ stepId: 'a', status: 'waiting', attempt: 1 }])).steps[0]!.detail).toBe('waiting');
  });
});
