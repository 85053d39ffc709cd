import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/protocol';
import { NeuralTriggerParams, judgeNeuralCommand, neuralTriggerStep } from './neuralTrigger';
import type { StepContext } from './StepKind';

const params = NeuralTriggerParams.parse({ participant: 'Ann', commands: ['confirm'], minConfidence: 0.8 });
const ctx = (answer: unknown) => ({ answer }) as StepContext;

describe('neural_trigger', () => {
  it('takes the permitted participant by display name (any case) or account id', () => {
    expect(judgeNeuralCommand(params, { name: 'ann' }, { command: 'confirm', confidence: 0.8 }, null)).toEqual({ ok: true });
    const byId = NeuralTriggerParams.parse({ participant: 'u_123' });
    expect(judgeNeuralCommand(byId, { name: 'Someone', userId: 'u_123' }, { command: 'confirm', confidence: 0.9 }, 'u_123')).toEqual({ ok: true });
    expect(judgeNeuralCommand(NeuralTriggerParams.parse({}), { name: 'Anyone' }, { command: 'confirm', confidence: 0.9 }, null)).toEqual({ ok: true });
  });

  it('takes an account only from that account: never from a guest or another account named like it', () => {
    const gil = NeuralTriggerParams.parse({ participant: 'gil' });
    expect(judgeNeuralCommand(gil, { name: 'gil', userId: 'u_gil' }, { command: 'confirm', confidence: 0.9 }, 'u_gil')).toEqual({ ok: true });
    const guest = judgeNeuralCommand(gil, { name: 'gil' }, { command: 'confirm', confidence: 0.9 }, 'u_gil');
    expect(guest).toMatchObject({ ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED });
    expect((guest as { message: string }).message).toBe('This step waits for the account gil, so gil, a guest, cannot answer: sign in as gil.');
    expect(judgeNeuralCommand(gil, { name: 'GIL', userId: 'u_other' }, { command: 'confirm', confidence: 0.9 }, 'u_gil')).toMatchObject({ ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED });
  });

  it('takes only someone of at least the named world role, when the step names one', () => {
    const owners = NeuralTriggerParams.parse({ role: 'owner' });
    expect(judgeNeuralCommand(owners, { name: 'Olga', role: 'owner' }, { command: 'confirm', confidence: 0.9 }, null)).toEqual({ ok: true });
    const editor = judgeNeuralCommand(owners, { name: 'Ed', role: 'editor' }, { command: 'confirm', confidence: 0.9 }, null);
    expect(editor).toMatchObject({ ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED });
    expect((editor as { message: string }).message).toBe('This step waits for a world owner; Ed is an editor.');
    expect(judgeNeuralCommand(NeuralTriggerParams.parse({ role: 'editor' }), { name: 'Ed', role: 'editor' }, { command: 'confirm', confidence: 0.9 }, null)).toEqual({ ok: true });
    expect(judgeNeuralCommand(owners, { name: 'Guest' }, { command: 'confirm', confidence: 0.9 }, null)).toMatchObject({ ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED });
    expect(() => NeuralTriggerParams.parse({ role: 'viewer' })).toThrow();
  });

  it('refuses others, unknown commands and low confidence with a typed reason', () => {
    expect(judgeNeuralCommand(params, { name: 'Bob', userId: 'u_9' }, { command: 'confirm', confidence: 1 }, null)).toMatchObject({ ok: false, code: ErrorCode.NEURAL_NOT_PERMITTED });
    expect(judgeNeuralCommand(params, { name: 'Ann' }, { command: 'fist', confidence: 1 }, null)).toMatchObject({ ok: false, code: ErrorCode.NEURAL_UNKNOWN_COMMAND });
    expect(judgeNeuralCommand(params, { name: 'Ann' }, { command: 'confirm', confidence: 0.79 }, null)).toMatchObject({ ok: false, code: ErrorCode.NEURAL_LOW_CONFIDENCE });
  });

  it('checks its parameters', () => {
    expect(NeuralTriggerParams.safeParse({ commands: [] }).success).toBe(false);
    expect(NeuralTriggerParams.safeParse({ commands: ['Not A Name'] }).success).toBe(false);
    expect(NeuralTriggerParams.safeParse({ minConfidence: 2 }).success).toBe(false);
    expect(NeuralTriggerParams.safeParse({ onTimeout: 'branch' }).success).toBe(false);
  });

  it('waits, then records the command, or applies onTimeout', async () => {
    expect(await neuralTriggerStep.run(params, ctx(undefined))).toMatchObject({ type: 'wait', reason: expect.stringMatching(/Ann: confirm/) });
    const command = { type: 'command', command: 'confirm', confidence: 0.9, source: 'eeg', participant: 'Ann', at: 5 };
    expect(await neuralTriggerStep.run(params, ctx(command))).toEqual({ type: 'done', output: { command: 'confirm', confidence: 0.9, source: 'eeg', participant: 'Ann', at: 5, timedOut: false } });
    await expect(neuralTriggerStep.run({ ...params, timeoutSeconds: 5 }, ctx({ type: 'timeout', at: 9 }))).rejects.toMatchObject({ code: 'NEURAL_TIMEOUT', retryable: false });
    expect(await neuralTriggerStep.run({ ...params, onTimeout: 'continue' }, ctx({ type: 'timeout', at: 9 }))).toEqual({ type: 'done', output: { timedOut: true, at: 9 } });
    await expect(neuralTriggerStep.run(params, ctx({ approved: true }))).rejects.toMatchObject({ code: 'BAD_ANSWER' });
  });
});
