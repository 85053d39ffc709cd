/** Runs started from inside a world count against the same per-minute allowance as runs over REST. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import { createWorld, joinWorld, until } from '../testing/clients';
import { useServer } from '../testing/useServer';

const server = useServer({ env: { GUEST_RUNS_PER_MINUTE: '2' } });

describe('runs started in a world', () => {
  it('are counted per guest address with runs over REST, and refused past the allowance with the reason', async () => {
    const base = server().url;
    const world = await createWorld(base);
    const definition = { name: 'Note', steps: [{ id: 'note', kind: 'transform', name: 'Note', params: { operation: 'template', template: 'hi' } }] };
    const res = await fetch(`${base}/api/v3/workflows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ worldId: world.id, definition }) });
    const wf = ((await res.json()) as { workflow: { id: string } }).workflow;
    const ann = await joinWorld(base, world.id, 'Ann');
    const bob = await joinWorld(base, world.id, 'Bob');
    const runs = () => (ann.room.state as { runs: Map<string, unknown> }).runs.size;

    ann.sendRaw('runStart', { type: 'runStart', workflowId: wf.id });
    await until('the first run', () => runs() === 1);
    // another tab at the same address shares the allowance
    bob.sendRaw('runStart', { type: 'runStart', workflowId: wf.id });
    await until('the second run', () => runs() === 2);
    ann.sendRaw('runStart', { type: 'runStart', workflowId: wf.id });
    await until('a refusal', () => ann.errors.length === 1);
    expect(ann.errors[0]).toMatchObject({ code: ErrorCode.RATE_LIMITED, intent: 'runStart' });
    expect(ann.errors[0]!.message).toMatch(/at most 2 a minute/);

    const overRest = await fetch(`${base}/api/v3/workflows/${wf.id}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(overRest.status).toBe(429);
    expect(runs()).toBe(2);
    await ann.room.leave();
    await bob.room.leave();
  });
});
