/**
 * Where new things appear, on a booted server: uploads dropped at one spot stand side by side,
 * a run's results stand beside its chain at reading height, people arrive apart from each other.
 */
import { describe, expect, it } from 'vitest';
import { chainHalfWidth, chainPlaces } from '../../shared/model/chainPlaces';
import { PERSON_GAP } from '../../shared/model/placement';
import { createWorld, joinWorld } from '../testing/clients';
import { useServer } from '../testing/useServer';

const server = useServer();

type Doc = { id: string; position: [number, number, number]; title: string };

async function upload(worldId: string, name: string, fields: Record<string, string> = {}): Promise<Doc> {
  const form = new FormData();
  form.set('world', worldId);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([`# ${name}\n\nbody`]), name);
  const res = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { document: Doc }).document;
}

const post = async (path: string, body: unknown) =>
  (await (await fetch(`${server().url}/api/v3${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any;
const get = async (path: string) => (await (await fetch(`${server().url}/api/v3${path}`)).json()) as any;
const apart = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[2]! - b[2]!);

describe('placing new things', () => {
  it('stands two uploads dropped at one spot side by side, and one with no spot clear of the rest', async () => {
    const world = await createWorld(server().url);
    const first = await upload(world.id, 'first.md', { position: '[1.5, 1.6, -2]', rotation: '[0, 0, 0, 1]' });
    const second = await upload(world.id, 'second.md', { position: '[1.5, 1.6, -2]', rotation: '[0, 0, 0, 1]' });
    expect(first.position).toEqual([1.5, 1.6, -2]);
    expect(apart(first.position, second.position)).toBeGreaterThanOrEqual(1.2);
    // beside it, not in front or behind where one would hide the other
    expect(second.position[2]).toBeCloseTo(-2);

    const { documents } = (await get(`/documents?world=${world.id}`)) as { documents: Doc[] };
    const third = await upload(world.id, 'third.md');
    for (const d of documents) expect(apart(third.position, d.position)).toBeGreaterThanOrEqual(1.2);
  });

  it('stands a run’s results beside its chain at reading height, and a second run’s beside the first', async () => {
    const world = await createWorld(server().url);
    const { workflow } = await post('/workflows', {
      worldId: world.id,
      definition: { name: 'Show', steps: [{ id: 'show', kind: 'present', name: 'Show', params: { title: 'Results' } }] },
    });
    const results: [number, number, number][] = [];
    for (let i = 0; i < 2; i++) {
      let { run } = await post(`/workflows/${workflow.id}/runs`, { input: { worldId: world.id } });
      while (!['succeeded', 'failed'].includes(run.status)) {
        await new Promise((r) => setTimeout(r, 50));
        run = (await get(`/runs/${run.id}`)).run;
      }
      expect(run.status).toBe('succeeded');
      results.push((await get(`/documents/${run.steps[0].output.documentId}`)).document.position);
    }
    const chain = chainPlaces([{ id: workflow.id, steps: 1 }]).get(workflow.id)!;
    const [a, b] = results as [[number, number, number], [number, number, number]];
    expect(a[1]).toBeCloseTo(1.5);
    // just past the chain's end, in line with it: within reach, not at the back wall
    expect(a[2]).toBeCloseTo(chain[2]);
    expect(a[0] - chain[0]).toBeGreaterThan(chainHalfWidth(1));
    expect(a[0] - chain[0]).toBeLessThan(chainHalfWidth(1) + 1.5);
    expect(apart(a, b)).toBeGreaterThanOrEqual(1.2);
  });

  it('lets people arrive apart from each other', async () => {
    const world = await createWorld(server().url);
    const people = [];
    for (const name of ['Ann', 'Bob', 'Cat', 'Dan', 'Eve']) people.push(await joinWorld(server().url, world.id, name));
    const heads = [...(people.at(-1)!.room.state as any).participants.values()].map((p: any) => [p.head.px, p.head.py, p.head.pz]);
    expect(heads).toHaveLength(5);
    for (const [i, h] of heads.entries()) for (const o of heads.slice(i + 1)) expect(apart(h, o)).toBeGreaterThanOrEqual(PERSON_GAP - 1e-6);
    await Promise.all(people.map((p) => p.room.leave()));
  });
});
