import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { createWorld } from '../testing/clients';

const RUNS = 50;
const servers: BootedServer[] = [];
let receiver: Server | undefined;

afterAll(async () => {
  for (const s of servers) await s.stop({ kill: true });
  servers[0]?.cleanup();
  receiver?.close();
});

/** A webhook receiver that, like a well-behaved real one, applies each idempotency key once. */
function startReceiver() {
  const deliveries: string[] = [];
  const applied = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      deliveries.push(key);
      if (!applied.has(key)) applied.set(key, JSON.parse(body).outputs.wait.waitedMs);
      // answer a little later, so some deliveries are in flight when the server is killed
      setTimeout(() => res.writeHead(200).end('ok'), 40);
    });
  });
  return new Promise<{ server: Server; url: string; deliveries: string[]; applied: Map<string, number> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, deliveries, applied })),
  );
}

async function post(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}/api/v3${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as any;
}

describe('crash safety', () => {
  it(`RUN-10, IDEM-1: finishes all ${RUNS} runs after a SIGKILL mid-flight, applying no webhook twice and losing no run`, async () => {
    const hook = await startReceiver();
    receiver = hook.server;
    // the receiver is on the loopback interface, which webhooks may reach only when the operator allows it
    const env = { WORKFLOW_CONCURRENCY: '10', LOG_LEVEL: 'warn', WEBHOOK_ALLOW: new URL(hook.url).host, GUEST_RUNS_PER_MINUTE: String(RUNS) };
    const first = await bootServer({ env });
    servers.push(first);
    const wf = (
      await post(first.url, '/workflows', {
        // a guest's workflow stands in a world: one in no world belongs to an account
        worldId: (await createWorld(first.url)).id,
        definition: {
          name: 'Slow notify',
          steps: [
            { id: 'wait', kind: 'delay', name: 'Wait', params: { ms: 150 } },
            { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: hook.url }, retry: { maxAttempts: 5, initialDelayMs: 50 } },
            { id: 'settle', kind: 'delay', name: 'Settle', params: { ms: 100 } },
          ],
        },
      })
    ).workflow;
    const runs = (await post(first.url, `/workflows/${wf.id}/runs`, { inputs: Array.from({ length: RUNS }, (_, n) => ({ n })) })).runs as Array<{ id: string }>;
    expect(runs).toHaveLength(RUNS);

    // kill it while some runs are done, some are mid-step and some have not started
    const deadline = Date.now() + 20_000;
    while (hook.deliveries.length < 12) {
      if (Date.now() > deadline) throw new Error(`only ${hook.deliveries.length} deliveries before the kill`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await first.stop({ kill: true });
    const atKill = hook.applied.size;
    expect(atKill).toBeLessThan(RUNS);

    const second = await bootServer({ dataDir: first.dataDir, env });
    servers.push(second);
    const finished = new Map<string, any>();
    const until = Date.now() + 60_000;
    while (finished.size < RUNS) {
      if (Date.now() > until) throw new Error(`${finished.size}/${RUNS} runs finished after the restart`);
      for (const { id } of runs) {
        if (finished.has(id)) continue;
        const { run } = (await (await fetch(`${second.url}/api/v3/runs/${id}`)).json()) as { run: { status: string } };
        if (['succeeded', 'failed', 'cancelled'].includes(run.status)) finished.set(id, run);
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    expect([...finished.values()].map((r) => r.status)).toEqual(Array(RUNS).fill('succeeded'));
    // every run's webhook was applied exactly once, under that run's own key
    expect(hook.applied.size).toBe(RUNS);
    expect(new Set(hook.applied.keys())).toEqual(new Set(runs.map((r) => `${r.id}/notify`)));
    // a delivery was only ever repeated with the same key (the receiver's dedupe is what applies once)
    for (const key of hook.deliveries) expect(hook.applied.has(key)).toBe(true);
    // and runs that finished their webhook before the kill did not send it again
    const repeats = hook.deliveries.length - RUNS;
    expect(repeats).toBeLessThanOrEqual(10);
  });
});
