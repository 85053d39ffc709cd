import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChainError, ChainService, loadGanache } from './ChainService';
import { DEV_NETWORK } from './networks';

const dir = mkdtempSync(path.join(tmpdir(), 'dwc-chain-'));
const services: ChainService[] = [];
const make = () => {
  const s = new ChainService({ networks: [DEV_NETWORK], defaultNetwork: 'dev', dataDir: dir, secret: () => undefined, log: pino({ level: 'silent' }) });
  services.push(s);
  return s;
};
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// one process owns the chain's database at a time, as one server does
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('anchoring on the embedded dev chain', () => {
  it('anchors a hash once, answers a repeat with the first proof, and looks it up', async () => {
    const chain = make();
    const hash = sha('contract v1');
    expect(await chain.lookup(hash)).toBeUndefined();
    const proof = await chain.anchor(hash, '{"title":"Contract"}');
    expect(proof).toMatchObject({ network: 'dev', chainId: 1337, hash: `0x${hash}`, meta: '{"title":"Contract"}' });
    expect(proof.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await chain.anchor(hash, 'again')).toEqual(proof);
    expect(await chain.lookup(hash)).toEqual(proof);
    expect(await chain.lookup(sha('something else'))).toBeUndefined();
  }, 60_000);

  it('does not anchor twice when two attempts race', async () => {
    const chain = make();
    const before = await chain.anchorCount();
    const hash = sha('raced');
    const [a, b] = await Promise.all([chain.anchor(hash, 'a'), chain.anchor(hash, 'b')]);
    expect(a.txHash).toBe(b.txHash);
    expect(await chain.anchorCount()).toBe(before + 1);
  }, 60_000);

  it('keeps anchors across a restart, and a step resumed after it does not anchor again', async () => {
    const first = make();
    const hash = sha('kept across restarts');
    const proof = await first.anchor(hash, 'kept');
    const count = await first.anchorCount();
    await first.close();
    const second = make();
    expect(await second.lookup(hash)).toEqual(proof);
    // the resumed step asks again with the same hash: it gets the first transaction back
    expect(await second.anchor(hash, 'kept')).toEqual(proof);
    expect(await second.anchorCount()).toBe(count);
  }, 60_000);
});

describe('the optional ganache package', () => {
  it('loads when installed, and when missing is refused with what to install or configure instead', async () => {
    expect(typeof (await loadGanache()).provider).toBe('function');
    const missing = loadGanache('ganache-that-is-not-installed');
    await expect(missing).rejects.toBeInstanceOf(ChainError);
    await expect(missing).rejects.toThrow(/optional package ganache.*npm install ganache.*CHAIN_RPC_URL/);
  });
});
