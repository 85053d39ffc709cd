/**
 * Readiness against a real server: a chain on its own JSON-RPC port (ganache, as a remote node
 * would be) and an OpenAI-compatible endpoint are its dependencies. Stopping the AI endpoint leaves
 * the server degraded but serving; stopping the chain it anchors on makes it not ready (503); the
 * chain coming back makes it ready again. A flood of probes costs one round of checks.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import ganache from 'ganache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../testing/bootServer';
import { startFakeOpenAi, type FakeOpenAi } from '../testing/fakeOpenAi';

const KEY = `0x${randomBytes(32).toString('hex')}`;
/** How long the server reuses an answer (Readiness' default), and a little more. */
const REUSE_MS = 5_200;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

type Chain = ReturnType<typeof ganache.server>;
async function startChain(port: number): Promise<Chain> {
  const chain = ganache.server({
    wallet: { accounts: [{ secretKey: KEY, balance: '0x3635C9ADC5DEA00000' }] },
    chain: { chainId: 31_337 },
    miner: { instamine: 'eager' },
    logging: { quiet: true },
  });
  await chain.listen(port, '127.0.0.1');
  return chain;
}

interface Report {
  status: string;
  ready: boolean;
  checkedAt: string;
  dependencies: Array<{ name: string; required: boolean; ok: boolean; latencyMs: number; error?: string }>;
}

let server: BootedServer;
let fake: FakeOpenAi;
let chain: Chain;
let chainPort: number;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  chainPort = await freePort();
  chain = await startChain(chainPort);
  server = await bootServer({
    timeoutMs: 40_000,
    env: {
      CHAIN_RPC_URL: `http://127.0.0.1:${chainPort}`,
      CHAIN_PRIVATE_KEY: KEY,
      CHAIN_DEFAULT_NETWORK: 'rpc',
      AI_PROVIDERS: JSON.stringify([{ name: 'fake', baseURL: fake.baseURL, model: 'fake-1', maxRetries: 0 }]),
    },
  });
});
afterAll(async () => {
  await server?.stop();
  server?.cleanup();
  await fake?.close();
  await chain?.close().catch(() => undefined);
});

async function ready(): Promise<{ status: number; body: Report }> {
  const res = await fetch(`${server.url}/api/v3/health/ready`);
  return { status: res.status, body: (await res.json()) as Report };
}
const dependency = (r: Report, name: string) => r.dependencies.find((d) => d.name === name);
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('readiness', () => {
  it('HEALTH-1: says ready when the store, both chains and the AI provider answer, each with its latency', async () => {
    // the first round connects to the chain and deploys the registry there: give it a moment
    let first = await ready();
    for (let i = 0; i < 10 && !first.body.ready; i++) {
      await later(REUSE_MS);
      first = await ready();
    }
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('ready');
    expect(first.body.dependencies.map((d) => [d.name, d.required, d.ok])).toEqual([
      ['store', true, true],
      ['chain:dev', false, true],
      ['chain:rpc', true, true],
      ['ai:fake', false, true],
    ]);
    for (const d of first.body.dependencies) expect(d.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.modelListings).toBeGreaterThan(0);
    // nothing about the hosts behind them is said to an anonymous caller
    expect(JSON.stringify(first.body)).not.toMatch(/127\.0\.0\.1|http:/);
    // the liveness route stays as cheap as it was
    expect((await fetch(`${server.url}/api/v3/health`)).status).toBe(200);
  });

  it('HEALTH-2: a flood of probes runs one round of checks', async () => {
    await later(REUSE_MS);
    const before = fake.modelListings;
    const all = await Promise.all(Array.from({ length: 40 }, () => ready()));
    expect(new Set(all.map((r) => r.body.checkedAt)).size).toBe(1);
    expect(fake.modelListings - before).toBe(1);
  });

  it('HEALTH-3: an AI provider gone leaves the server degraded but serving; the chain it anchors on gone makes it not ready', async () => {
    await fake.close();
    await later(REUSE_MS);
    const degraded = await ready();
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(dependency(degraded.body, 'ai:fake')).toMatchObject({ ok: false, error: 'unreachable' });

    await chain.close();
    await later(REUSE_MS);
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'not ready', ready: false });
    expect(dependency(down.body, 'chain:rpc')).toMatchObject({ ok: false, required: true });
    expect(['unreachable', 'timeout']).toContain(dependency(down.body, 'chain:rpc')!.error);
    expect(dependency(down.body, 'store')).toMatchObject({ ok: true });
  });

  it('HEALTH-4: the chain back on its port makes the server ready again, without a restart', async () => {
    chain = await startChain(chainPort);
    await later(REUSE_MS);
    const back = await ready();
    expect(back.status).toBe(200);
    expect(dependency(back.body, 'chain:rpc')).toMatchObject({ ok: true });
    expect(back.body.status).toBe('degraded');
  });
});
