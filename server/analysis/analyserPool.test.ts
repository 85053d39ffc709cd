import { afterAll, describe, expect, it } from 'vitest';
import { AnalyserPool } from './analyserPool';
import { MAX_ANALYSED_CHARS, analyse } from './OfflineAnalyser';
import { PoolError } from './workerPool';

const CONTRACT = `# Supply agreement

Acme Corporation and Northwind Traders signed the supply agreement in Berlin on 12 March 2026.
Maria Schmidt, the procurement lead at Northwind Traders, approved the delivery schedule.`;

/** About a second of work for the analyser, even capped. */
const LONG = 'Maria Schmidt met Acme Corporation in Berlin on 12 March 2026 for $250,000. '.repeat(2500);

const pools: AnalyserPool[] = [];
const makePool = (o: ConstructorParameters<typeof AnalyserPool>[0] = {}) => {
  const pool = new AnalyserPool(o);
  pools.push(pool);
  return pool;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('the analyser in worker threads', () => {
  it('gives the same result as the analyser itself, while the main thread keeps turning', async () => {
    const pool = makePool({ size: 1 });
    expect(await pool.analyse(CONTRACT, { summarySentences: 2 })).toEqual(analyse(CONTRACT, { summarySentences: 2 }));
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      const long = await pool.analyse(LONG, {});
      expect(long.keywords.length).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(5);
  }, 60_000);

  it('says how much of a long document it read', async () => {
    const pool = makePool({ size: 1 });
    const text = 'word '.repeat(MAX_ANALYSED_CHARS / 2);
    const { coverage } = await pool.analyse(text, {});
    expect(coverage?.totalCharacters).toBe(text.length);
    expect(coverage?.analysedCharacters).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
    expect(coverage?.analysedCharacters).toBeGreaterThan(MAX_ANALYSED_CHARS / 2);
    expect((await pool.analyse(CONTRACT, {})).coverage).toBeUndefined();
  }, 60_000);

  it('stops a job that runs too long with a clear error, and the next job runs on a fresh worker', async () => {
    const pool = makePool({ size: 1 });
    await pool.analyse(CONTRACT, {});
    expect(pool.workersStarted).toBe(1);
    const err = await pool.analyse(LONG, {}, { timeoutMs: 5 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PoolError);
    expect((err as PoolError).code).toBe('TIMEOUT');
    expect((err as PoolError).message).toMatch(/offline analysis took longer than .* and was stopped/);
    const after = await pool.analyse(CONTRACT, { summarySentences: 1 });
    expect(after.summary).toHaveLength(1);
    expect(pool.workersStarted).toBe(2);
  }, 60_000);

  it('stops a job its caller gave up on, and refuses work beyond its queue', async () => {
    const pool = makePool({ size: 1, queueLimit: 1 });
    await pool.analyse(CONTRACT, {});
    const controller = new AbortController();
    const running = pool.analyse(LONG, {}, { signal: controller.signal });
    const waiting = pool.analyse(CONTRACT, {});
    const refused = await pool.analyse(CONTRACT, {}).then(() => null, (e: unknown) => e);
    expect((refused as PoolError).code).toBe('BUSY');
    controller.abort(new Error('the run was cancelled'));
    await expect(running).rejects.toThrow('the run was cancelled');
    expect((await waiting).summary.length).toBeGreaterThan(0);
  }, 60_000);
});
