/**
 * Two real server processes and a real redis-server serving one site (REDIS_URL, PUBLIC_ADDRESS)
 * behind one address (a proxy set up as deploy/nginx.conf is: `/` over both, `/p<n>/` to one), on
 * one shared store: MONGODB_URI where a MongoDB is given, else the MongoDB wire stand-in (see
 * server/testing/mongoWire), which the processes reach over TCP through the official driver as
 * they would a MongoDB. A world's room lives in one process and is joined through either; counts,
 * rate limits and schedules are site-wide; a process killed mid-step loses the engine to the other,
 * which finishes the run with one webhook delivery; a process that stops closes its rooms with the
 * code clients rejoin on, and the world opens again in the other process as it was.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, joinWorld, until, type TestParticipant } from '../testing/clients';
import { startSite, type Site } from '../testing/site';

const REST_RATE = 200;
let site: Site;
let receiver: Server | undefined;
const deliveries: string[] = [];
let hookUrl = '';
const people: TestParticipant[] = [];
const url = (i: number) => site.processes[i]!.url;

/** A webhook receiver that counts every delivery by its idempotency key. */
async function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries.push(String(req.headers['idempotency-key']));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}

beforeAll(async () => {
  await startReceiver();
  site = await startSite({
    processes: 2,
    env: { REST_RATE: String(REST_RATE), ENGINE_LEASE_SECONDS: '2', WEBHOOK_ALLOW: new URL(hookUrl).host, GUEST_WORKFLOWS: 'all', WORKFLOW_MIN_INTERVAL_SECONDS: '1', LOG_LEVEL: 'info' },
  });
}, 120_000);

afterAll(async () => {
  // a room whose process was stopped or killed never answers a leave: give each a moment
  await Promise.allSettled(people.map((p) => Promise.race([p.room.leave(), new Promise((r) => setTimeout(r, 1000))])));
  await site?.stop();
  receiver?.close();
});

async function post(base: string, route: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/api/v3${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

async function join(i: number, worldId: string, name: string): Promise<TestParticipant> {
  const p = await joinWorld(url(i), worldId, name);
  people.push(p);
  return p;
}

describe('one site, two processes', () => {
  it('SCALE-1: a client joining through process B reaches the world hosted on A and sees the same state as a client on A', async () => {
    // everything through the site's one address; Bob's join is sent to the process that does not host the room
    const world = await createWorld(site.proxy.url, { name: 'Shared world', template: 'office' });
    const ada = await joinWorld(site.proxy.url, world.id, 'Ada');
    const host = await hostOf(ada.room.roomId);
    const bob = await joinWorld(`${site.proxy.url}/p${2 - host}`, world.id, 'Bob');
    people.push(ada, bob);
    // one room: the same room id, and each sees the other
    expect(bob.room.roomId).toBe(ada.room.roomId);
    await until('both see both', () => ada.room.state.participants.size === 2 && bob.room.state.participants.size === 2);
    const id = ada.docIds()[0]!;
    ada.sendRaw('grab', { type: 'grab', docId: id });
    await until('Ada holds it', () => ada.doc(id)?.heldBy === ada.room.sessionId);
    ada.sendRaw('move', { type: 'move', docId: id, position: [1.25, 1.5, -0.75], rotation: [0, 0, 0, 1], scale: 1 });
    await until('Bob sees the move made on A', () => Math.abs((bob.doc(id)?.x ?? 0) - 1.25) < 1e-6, 5000);
    expect(bob.snapshot()).toEqual(ada.snapshot());

    // a change made over REST through the process that does not host the room reaches it (presence bus)
    const room = host;
    const form = new FormData();
    form.set('file', new Blob([Buffer.from('# Minutes\n\nAgreed on the plan.\n')]), 'minutes.md');
    const res = await fetch(`${url(1 - room)}/api/v3/documents?world=${world.id}`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const added = ((await res.json()) as { document: { id: string } }).document.id;
    await until('both see the document uploaded through the other process', () => ada.doc(added) !== undefined && bob.doc(added) !== undefined, 5000);
  });

  it('SCALE-2: the world list and health count people on every process', async () => {
    const world = await createWorld(url(1), { name: 'Counted world', template: 'office' });
    await join(1, world.id, 'Cy');
    await join(0, world.id, 'Di');
    for (const i of [0, 1]) {
      const list = (await (await fetch(`${url(i)}/api/v3/worlds`)).json()) as { worlds: Array<{ id: string; participants: number }> };
      expect(list.worlds.find((w) => w.id === world.id)?.participants).toBe(2);
    }
    const health = (await (await fetch(`${url(0)}/api/v3/health`)).json()) as { rooms: number; clients: number };
    expect(health.rooms).toBe(2);
    expect(health.clients).toBe(4);
  });

  it('SCALE-3: a REST rate limit holds across processes: requests through A and B share one count per address', async () => {
    // one address of its own (through the proxy the processes trust), so the other tests keep theirs
    const from = { 'x-forwarded-for': '203.0.113.7' };
    const statuses: number[] = [];
    // through the proxy, which sends them to each process in turn
    for (let i = 0; i < REST_RATE + 10; i++) statuses.push((await fetch(`${site.proxy.url}/api/v3/worlds/templates`, { headers: from })).status);
    // the allowance is the site's: exactly REST_RATE pass, half through each process, then 429 on both
    expect(statuses.filter((s) => s === 200)).toHaveLength(REST_RATE);
    expect(statuses.slice(REST_RATE)).toEqual(Array(10).fill(429));
  });

  it('SCALE-4: a scheduled workflow starts one run per fire for the whole site, not one per process', async () => {
    const worldId = (await createWorld(url(0))).id;
    const wf = (await post(url(0), '/workflows', { worldId, definition: { name: 'Every second', steps: [{ id: 'd', kind: 'delay', name: 'Pause', params: { ms: 1 } }] } })).json.workflow;
    // set through B: A learns of the schedule from B, and both keep it
    const set = await fetch(`${url(1)}/api/v3/workflows/${wf.id}/schedule`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schedule: { everyMs: 1000 } }) });
    expect(set.status).toBe(200);
    await new Promise((r) => setTimeout(r, 4500));
    await fetch(`${url(0)}/api/v3/workflows/${wf.id}/schedule`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schedule: null }) });
    const runs = ((await (await fetch(`${url(0)}/api/v3/workflows/${wf.id}/runs`)).json()) as { runs: Array<{ createdAt: number }> }).runs;
    // four or five fires in 4.5 s: once each, not twice
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(5);
    const seconds = runs.map((r) => Math.floor(r.createdAt / 1000));
    expect(new Set(seconds).size).toBe(seconds.length);
  });

  it('SCALE-6: kill -9 of the process running a step: the other process finishes the run, and the webhook is delivered once', async () => {
    const worldId = (await createWorld(url(0))).id;
    const wf = (
      await post(url(0), '/workflows', {
        worldId,
        definition: {
          name: 'Slow notify',
          steps: [
            { id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 1500 } },
            { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: hookUrl } },
          ],
        },
      })
    ).json.workflow;
    // started through B; it runs in whichever process holds the engine
    const run = (await post(url(1), `/workflows/${wf.id}/runs`, { input: {} })).json.run as { id: string };
    const holder = await engineHolder();
    await new Promise((r) => setTimeout(r, 300));
    await site.processes[holder]!.stop({ kill: true });
    const other = 1 - holder;
    const deadline = Date.now() + 30_000;
    let status = '';
    while (Date.now() < deadline) {
      status = ((await (await fetch(`${url(other)}/api/v3/runs/${run.id}`)).json()) as { run: { status: string } }).run.status;
      if (status === 'succeeded' || status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('succeeded');
    const mine = deliveries.filter((k) => k === `${run.id}/notify`);
    expect(mine).toHaveLength(1);
    // the site goes on with the other process; a new one takes the dead one's place
    await site.add(holder);
  });

  it('SCALE-7: a process that is stopped closes its rooms with the shutdown code clients rejoin on, and the world opens again in another process as it was', async () => {
    const leaving = site.processes[1]!;
    const world = await createWorld(leaving.url, { name: 'Moving world', template: 'office' });
    const ada = await join(1, world.id, 'Ada');
    const id = ada.docIds()[0]!;
    ada.sendRaw('grab', { type: 'grab', docId: id });
    await until('Ada holds it', () => ada.doc(id)?.heldBy === ada.room.sessionId);
    ada.sendRaw('move', { type: 'move', docId: id, position: [2.5, 1.25, -1.5], rotation: [0, 0, 0, 1], scale: 1 });
    await until('the move is applied', () => Math.abs((ada.doc(id)?.x ?? 0) - 2.5) < 1e-6);
    const closed = new Promise<number>((resolve) => ada.room.onLeave((code) => resolve(code)));
    await leaving.stop();
    expect(await closed).toBe(4001);
    // what the client does on that code: join again, through whichever process answers
    const back = await join(0, world.id, 'Ada again');
    expect(back.doc(id)?.x).toBeCloseTo(2.5, 6);
    expect(back.doc(id)?.heldBy).toBe('');
  });
});

/** Which process hosts a room: the one whose address the Redis driver lists it at. */
async function hostOf(roomId: string): Promise<number> {
  const redis = new Redis(site.redis.url);
  try {
    const listing = JSON.parse((await redis.hget('roomcaches', roomId)) ?? '{}') as { publicAddress?: string };
    const index = site.processes.findIndex((_p, i) => listing.publicAddress === site.proxy.publicAddress(i + 1));
    if (index < 0) throw new Error(`room ${roomId} is listed at ${listing.publicAddress}, no process of the site`);
    return index;
  } finally {
    redis.disconnect();
  }
}

/** Which process runs the site's engine: the one whose log says it took it last. */
async function engineHolder(): Promise<number> {
  const took = (i: number) => site.processes[i]!.output().lastIndexOf('now runs the workflow engine');
  const gave = (i: number) => site.processes[i]!.output().lastIndexOf('no longer runs the workflow engine');
  await until('a process holds the engine', () => [0, 1].some((i) => took(i) > gave(i)), 10_000);
  return took(0) > gave(0) ? 0 : 1;
}
