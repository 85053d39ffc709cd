import { describe, expect, it } from 'vitest';
import type { Logger } from '../log';
import { Readiness, type DependencyCheck } from './Readiness';

/** A logger that keeps what it was told. */
function keptLog() {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields, message });
  return { lines, log: { warn: at('warn'), info: at('info') } as unknown as Logger };
}

describe('readiness', () => {
  it('gives up on a dependency that does not answer in time, and says so in a word', async () => {
    const { log } = keptLog();
    let aborted = false;
    const hangs: DependencyCheck = {
      name: 'slow',
      required: true,
      check: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const r = new Readiness({ checks: [hangs], log, timeoutMs: 50 });
    const report = await r.report();
    expect(report).toMatchObject({ status: 'not ready', ready: false });
    expect(report.dependencies[0]).toMatchObject({ name: 'slow', ok: false, error: 'timeout' });
    expect(report.dependencies[0]!.latencyMs).toBeGreaterThanOrEqual(45);
    expect(aborted).toBe(true);
  });

  it('tells a refused connection from another failure, and is degraded when only an optional one fails', async () => {
    const { log } = keptLog();
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:8545'), { code: 'ECONNREFUSED' });
    const r = new Readiness({
      log,
      checks: [
        { name: 'store', required: true, check: async () => undefined },
        { name: 'ai:a', required: false, check: () => Promise.reject(new Error('request failed', { cause: refused })) },
        { name: 'ai:b', required: false, check: () => Promise.reject(new Error('HTTP 500')) },
      ],
    });
    const report = await r.report();
    expect(report).toMatchObject({ status: 'degraded', ready: true });
    expect(report.dependencies.map((d) => d.error)).toEqual([undefined, 'unreachable', 'failed']);
    // the reason in full (with its address) is for the log only
    expect(JSON.stringify(report)).not.toContain('10.0.0.5');
  });

  it('logs a dependency failing once, and once more when it is back', async () => {
    const { log, lines } = keptLog();
    let up = false;
    let clock = 0;
    const r = new Readiness({ log, reuseMs: 10, now: () => clock, checks: [{ name: 'chain:rpc', required: true, check: async () => {
          if (!up) throw new Error('down');
        } }] });
    const check = async () => {
      clock += 20;
      return (await r.report()).ready;
    };
    expect([await check(), await check(), await check()]).toEqual([false, false, false]);
    up = true;
    expect([await check(), await check()]).toEqual([true, true]);
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'a dependency is not ready'],
      ['info', 'a dependency is ready again'],
    ]);
    expect(lines[0]!.fields).toMatchObject({ dependency: 'chain:rpc', reason: 'down' });
  });
});
