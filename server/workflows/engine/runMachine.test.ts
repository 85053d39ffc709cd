import { describe, expect, it } from 'vitest';
import { RunStatus, StepStatus, WorkflowDefinition, conditionHolds } from '../../../shared/model/workflow';
import { DEFAULT_RETRY, backoffDelay, begin, deliverSignal, fail, idempotencyKey, newRun, plan, queueOrder, requestCancel, succeed, wait } from './runMachine';

const def = WorkflowDefinition.parse({
  name: 'Pipeline',
  steps: [
    { id: 'analyse', kind: 'transform', name: 'Analyse' },
    { id: 'approve', kind: 'approval', name: 'Approve' },
    { id: 'publish', kind: 'webhook', name: 'Publish', when: { step: 'approve', path: 'approved', op: 'eq', value: true } },
  ],
});
const fresh = () => newRun('r1', 'w1', 1, def, { documentId: 'd1' }, 'normal', 0);
const err = (retryable = true) => ({ code: 'BOOM', message: 'it broke', retryable });

describe('run state machine', () => {
  it('RUN-1: makes a new run queued, every step pending and no attempt made', () => {
    const run = fresh();
    expect(run.status).toBe(RunStatus.QUEUED);
    expect(run.steps.map((s) => [s.status, s.attempt])).toEqual(def.steps.map(() => [StepStatus.PENDING, 0]));
  });

  it('RUN-2: runs steps in order, persisting a running state before each', () => {
    let run = fresh();
    let next = plan(run, def, 10);
    expect(next.action).toEqual({ type: 'execute', index: 0 });
    run = begin(next.run, 0, 10);
    expect(run.status).toBe(RunStatus.RUNNING);
    expect(run.steps[0]).toMatchObject({ status: StepStatus.RUNNING, attempt: 1, startedAt: 10 });
    run = succeed(run, 0, { words: 12 }, 20);
    next = plan(run, def, 20);
    expect(next.action).toEqual({ type: 'execute', index: 1 });
  });

  it('RUN-3, IDEM-3: waits for an answer, then resumes the waiting step once it arrives', () => {
    let run = succeed(begin(fresh(), 0, 1), 0, {}, 2);
    run = wait(begin(run, 1, 3), 1, { kind: 'approval', prompt: 'Publish?' }, 3);
    expect(run.steps[1]!.waitingFor).toEqual({ kind: 'approval', prompt: 'Publish?' });
    let next = plan(run, def, 4);
    expect(next.action).toEqual({ type: 'wait', index: 1 });
    expect(next.run.status).toBe(RunStatus.WAITING);
    expect(deliverSignal(run, 'publish', {}, 5)).toBeDefined(); // an answer may arrive before its step waits
    run = deliverSignal(run, 'approve', { approved: true }, 5)!;
    expect(deliverSignal(run, 'approve', { approved: false }, 6)).toBeUndefined(); // answered once only
    next = plan(run, def, 6);
    expect(next.action).toEqual({ type: 'execute', index: 1 });
    expect(begin(next.run, 1, 7).steps[1]!.waitingFor).toBeUndefined(); // running again, it waits for nothing
  });

  it('RUN-7, RUN-2: skips a step whose condition does not hold and finishes the run', () => {
    let run = succeed(begin(fresh(), 0, 1), 0, {}, 2);
    run = succeed(begin(run, 1, 3), 1, { approved: false }, 4);
    const next = plan(run, def, 5);
    expect(next.action).toEqual({ type: 'finished' });
    expect(next.run.status).toBe(RunStatus.SUCCEEDED);
    expect(next.run.steps[2]!.status).toBe(StepStatus.SKIPPED);
  });

  it('RUN-4: retries a failed step with backoff until the policy runs out, then fails the run', () => {
    const policy = { ...DEFAULT_RETRY, maxAttempts: 3, initialDelayMs: 100, jitter: 0 };
    let run = begin(fresh(), 0, 0);
    run = fail(run, 0, err(), policy, 0, 0.5);
    expect(run.steps[0]).toMatchObject({ status: StepStatus.RETRYING, nextAttemptAt: 100 });
    expect(plan(run, def, 50).action).toEqual({ type: 'sleep', until: 100 });
    expect(plan(run, def, 100).action).toEqual({ type: 'execute', index: 0 });
    run = fail(begin(run, 0, 100), 0, err(), policy, 100, 0.5);
    expect(run.steps[0]).toMatchObject({ attempt: 2, nextAttemptAt: 300 });
    run = fail(begin(run, 0, 300), 0, err(), policy, 300, 0.5);
    expect(run.status).toBe(RunStatus.FAILED);
    expect(run.steps.map((s) => s.status)).toEqual([StepStatus.FAILED, StepStatus.CANCELLED, StepStatus.CANCELLED]);
  });

  it('RUN-4: does not retry a failure that is not retryable', () => {
    const run = fail(begin(fresh(), 0, 0), 0, err(false), DEFAULT_RETRY, 0, 0.5);
    expect(run.status).toBe(RunStatus.FAILED);
  });

  it('IDEM-1, IDEM-2: re-runs a step interrupted mid-run with the same attempt and the same idempotency key', () => {
    const run = begin(fresh(), 0, 0); // persisted, then the process died
    const next = plan(run, def, 1000);
    expect(next.action).toEqual({ type: 'execute', index: 0 });
    const resumed = begin(next.run, 0, 1000);
    expect(resumed.steps[0]!.attempt).toBe(1);
    expect(idempotencyKey(resumed, 'analyse')).toBe(idempotencyKey(run, 'analyse'));
  });

  it('RUN-6, IDEM-4: cancels a run: the rest of its steps are cancelled and nothing more runs', () => {
    const run = requestCancel(begin(fresh(), 0, 0), 5);
    const next = plan(run, def, 6);
    expect(next.action).toEqual({ type: 'finished' });
    expect(next.run.status).toBe(RunStatus.CANCELLED);
    expect(next.run.steps.every((s) => s.status === StepStatus.CANCELLED)).toBe(true);
    expect(requestCancel(next.run, 7)).toBe(next.run);
  });
});

describe('backoff', () => {
  it('RUN-4: grows exponentially up to the cap', () => {
    const p = { ...DEFAULT_RETRY, initialDelayMs: 1000, factor: 2, maxDelayMs: 5000, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(p, a, 0.5))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('RUN-4: spreads each delay by the jitter, both ways', () => {
    const p = { ...DEFAULT_RETRY, initialDelayMs: 1000, jitter: 0.2 };
    expect(backoffDelay(p, 1, 0)).toBe(800);
    expect(backoffDelay(p, 1, 0.999999)).toBe(1200);
  });
});

describe('conditions', () => {
  const outputs = { analyse: { sentiment: { score: 0.4, label: 'positive' }, keywords: ['contract', 'term'] } };
  it.each([
    [{ step: 'analyse', path: 'sentiment.score', op: 'gt', value: 0 }, true],
    [{ step: 'analyse', path: 'sentiment.score', op: 'lt', value: 0 }, false],
    [{ step: 'analyse', path: 'sentiment.label', op: 'eq', value: 'positive' }, true],
    [{ step: 'analyse', path: 'keywords', op: 'contains', value: 'term' }, true],
    [{ step: 'analyse', path: 'missing.deep', op: 'exists' }, false],
    [{ step: 'other', path: '', op: 'truthy' }, false],
  ] as const)('RUN-7: %j → %s', (cond, expected) => {
    expect(conditionHolds({ ...cond }, outputs)).toBe(expected);
  });

  it('refuses a definition whose condition looks forward or repeats an id', () => {
    const r = WorkflowDefinition.safeParse({
      name: 'x',
      steps: [
        { id: 'a', kind: 'delay', name: 'A', when: { step: 'b', op: 'truthy' } },
        { id: 'b', kind: 'delay', name: 'B' },
        { id: 'b', kind: 'delay', name: 'B again' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(' ')).toMatch(/earlier step.*used twice|used twice.*earlier step/s);
  });
});

describe('queue order', () => {
  it('RUN-1: puts higher priorities first, then older runs', () => {
    const runs = [
      { id: 'a', priority: 'low', createdAt: 1 },
      { id: 'b', priority: 'critical', createdAt: 5 },
      { id: 'c', priority: 'normal', createdAt: 2 },
      { id: 'd', priority: 'normal', createdAt: 1 },
    ] as const;
    expect([...runs].sort(queueOrder).map((r) => r.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});
