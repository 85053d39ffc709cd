import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../adapters/storage/WorkflowStore';
import { WorkflowScope } from './WorkflowScope';
import { EVERY_ADAPTER, type AdapterName, type StepAdapters } from './steps/StepKind';

/** Adapters that name no document, world or device: nothing of a world to check. */
const UNSCOPED: ReadonlySet<AdapterName> = new Set(['fetch', 'ai']);

const called: string[] = [];
const spy =
  (name: string) =>
  async (..._args: unknown[]): Promise<never> => {
    called.push(name);
    return { id: 'x', write() {}, complete: async () => ({ id: 'x' }), abandon() {} } as never;
  };

/** Every adapter there is, each recording that it was reached. */
const base = {
  fetch: spy('fetch') as unknown as typeof fetch,
  ai: { analyse: spy('ai'), generate: spy('ai') },
  documentText: spy('documentText'),
  createDocument: spy('createDocument'),
  anchorDocument: spy('anchorDocument'),
  verifyDocument: spy('verifyDocument'),
  draftDocument: spy('draftDocument'),
} as unknown as StepAdapters;

const workflow = { id: 'wf', worldId: 'world-a', ownerId: 'u1' } as WorkflowRecord;
const scope = new WorkflowScope({
  base,
  workflows: { getWorkflow: async () => workflow },
  documentWorld: async () => 'world-b',
  account: async () => ({ userId: 'u1', username: 'ann' }),
  may: async () => true,
});

describe('what a run may reach', () => {
  it('wraps every adapter that names a document or world, so none reaches past its workflow\'s world', async () => {
    const scoped = await scope.adaptersFor({ id: 'run', workflowId: 'wf', steps: [], createdAt: 0 } as never);
    for (const name of EVERY_ADAPTER) {
      if (UNSCOPED.has(name) || name === 'devices') continue;
      expect(base[name], `the test's base lacks ${name}: add it`).toBeDefined();
      expect(scoped[name], `${name} reaches the base adapter unchecked`).not.toBe(base[name]);
    }
  });

  it('refuses a document or world of another world for each of them, and reaches nothing', async () => {
    const scoped = await scope.adaptersFor({ id: 'run', workflowId: 'wf', steps: [], createdAt: 0 } as never);
    called.length = 0;
    const other = { worldId: 'world-b', key: 'k', title: 't', markdown: 'm' };
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['documentText', () => scoped.documentText!('doc-b')],
      ['verifyDocument', () => scoped.verifyDocument!('doc-b')],
      ['anchorDocument', () => scoped.anchorDocument!('doc-b')],
      ['createDocument', () => scoped.createDocument!(other)],
      ['draftDocument', () => scoped.draftDocument!(other)],
    ];
    for (const [name, attempt] of attempts) await expect(attempt(), name).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });
    expect(called).toEqual([]);
  });
});
