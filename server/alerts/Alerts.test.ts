/**
 * The alerts service on the real embedded store, with minute rows written as analytics would and a
 * receiver that stands in for a webhook's far end (it answers what each test tells it to).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../adapters/storage/AlertStore';
import { LevelStore } from '../adapters/storage/LevelStore';
import { createLogger } from '../log';
import { EgressPolicy } from '../workflows/net/egress';
import { egressFetch } from '../workflows/net/egressFetch';
import { Alerts } from './Alerts';
import { DEFAULT_RULES } from './defaults';
import { RuleInput } from './rules';
import { WebhookDelivery } from './WebhookDelivery';

const M = 60_000;
const T0 = Date.UTC(2026, 6, 1, 9, 0, 0);
const HOOK = 'https://hooks.example/alerts';

let dir: string;
let level: LevelStore;
let clock: number;
/** What the receiver got: each POST's idempotency key, body and the answer it gave. */
let received: Array<{ key: string; body: Record<string, unknown>; status: number; storedAs?: AlertEvent['delivery'] }>;
let answers: number[];
const services: Array<{ alerts: Alerts; delivery: WebhookDelivery }> = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dwc-alerts-'));
  level = new LevelStore(dir);
  await level.open();
  clock = T0;
  received = [];
  answers = [];
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.alerts.stop();
  await level.close();
  rmSync(dir, { recursive: true, force: true });
});

const receiver: typeof fetch = async (input, init) => {
  const key = new Headers(init?.headers).get('idempotency-key')!;
  // what the history said of this notification when it arrived: it must already be there
  const storedAs = (await level.alertStore().recentEvents(100)).find((e) => e.id === key)?.delivery;
  const status = answers.shift() ?? 200;
  received.push({ key, body: JSON.parse(String(init?.body)), status, storedAs });
  return new Response(status === 200 ? 'ok' : 'no', { status });
};

function service(opts: { fetch?: typeof fetch; attempts?: number; retentionDays?: number } = {}) {
  const log = createLogger('silent');
  const store = level.alertStore();
  const delivery = new WebhookDelivery({ fetch: opts.fetch ?? receiver, store, log, attempts: opts.attempts ?? 4, backoffMs: () => 5 });
  const alerts = new Alerts({ store, rows: level.analyticsStore(), delivery, log, retentionDays: opts.retentionDays ?? 90, now: () => clock });
  services.push({ alerts, delivery });
  return { alerts, delivery };
}

/** `failed` failed runs in the minute starting at T0 + minute. */
const failedRuns = (minute: number, failed: number) =>
  level.analyticsStore().addPoints([
    { resolution: 'minute', series: 'workflow_runs', labels: 'outcome=failed', bucket: T0 + minute * M, count: 1, sum: failed, min: failed, max: failed },
    { resolution: 'minute', series: 'workflow_runs', labels: 'outcome=succeeded', bucket: T0 + minute * M, count: 1, sum: 5, min: 5, max: 5 },
  ]);
const failedRule = { kind: 'threshold', name: 'Failures', series: 'workflow_runs', labels: { outcome: 'failed' }, aggregate: 'sum', windowMinutes: 2, op: '>=', value: 3, webhookUrl: HOOK };

describe('alerts service', () => {
  it('ALERTS-1: creates the built-in rules on the first start only, even once all are deleted', async () => {
    const { alerts } = service();
    await alerts.start();
    const rules = await alerts.listRules();
    expect(rules.map((r) => r.name).sort()).toEqual(DEFAULT_RULES.map((r) => r.name).sort());
    // they pass the same checks as a rule sent over REST, labels included (runs end as succeeded, failed or cancelled)
    expect(DEFAULT_RULES.map((r) => RuleInput.safeParse(r).error?.message)).toEqual(DEFAULT_RULES.map(() => undefined));
    expect(DEFAULT_RULES.find((r) => r.series === 'workflow_runs')?.labels).toEqual({ outcome: 'failed' });
    for (const r of rules) await alerts.deleteRule(r.id);
    await service().alerts.start();
    expect(await alerts.listRules()).toEqual([]);
  });

  it('ALERTS-1: refuses a bad rule naming what is wrong, and a rule past the hundredth', async () => {
    const { alerts } = service();
    const refusal = (body: unknown) => alerts.createRule(body).then(() => 'accepted', (err: Error) => err.message);
    expect(await refusal({ ...failedRule, series: 'nope' })).toMatch(/series: one of the analytics series: people/);
    expect(await refusal({ ...failedRule, labels: { colour: 'red' } })).toMatch(/labels.colour: workflow_runs has no label "colour"/);
    expect(await refusal({ ...failedRule, windowMinutes: 1441 })).toMatch(/windowMinutes: at most 1440/);
    expect(await refusal({ ...failedRule, name: 'x'.repeat(81) })).toMatch(/name: at most 80 characters/);
    expect(await refusal({ ...failedRule, webhookUrl: 'ftp://x.example/' })).toMatch(/webhookUrl: an http\(s\) URL/);
    expect(await refusal({ kind: 'anomaly', name: 'a', series: 'intents', k: 11, minDeviation: 1 })).toMatch(/k: between 1 and 10/);
    expect(await refusal({ ...failedRule, kind: 'guess' })).toMatch(/kind: "threshold" or "anomaly"/);
    for (let i = 0; i < 100; i++) await alerts.createRule({ ...failedRule, name: `r${i}` });
    expect(await refusal(failedRule)).toMatch(/already 100 alert rules/);
  });

  it('ALERTS-4: records a notification before sending it, and delivers it once however often the receiver fails first', async () => {
    const { alerts, delivery } = service();
    const rule = await alerts.createRule(failedRule);
    await failedRuns(0, 1);
    await alerts.evaluateNow();
    expect(await alerts.active()).toEqual([]);
    answers = [500, 503];
    await failedRuns(1, 2);
    clock = T0 + M + 1000;
    await alerts.evaluateNow();
    // still firing a minute on: nothing more to say
    clock += 20_000;
    await alerts.evaluateNow();
    await delivery.idle();
    expect(received.map((r) => r.status)).toEqual([500, 503, 200]);
    expect(new Set(received.map((r) => r.key)).size).toBe(1);
    expect(received.every((r) => r.storedAs?.state === 'pending')).toBe(true);
    expect(received[0]!.body).toMatchObject({ kind: 'fired', severity: 'warning', rule: { id: rule.id, name: 'Failures' }, value: 3, id: received[0]!.key });
    const [fired] = await alerts.history(10);
    expect(fired).toMatchObject({ id: received[0]!.key, kind: 'fired', notified: true, delivery: { state: 'delivered', attempts: 3 } });
    expect((await alerts.active()).map((a) => [a.ruleId, a.severity, a.value])).toEqual([[rule.id, 'warning', 3]]);

    // the failures age out of the window: resolved, told once, under a key of its own
    clock = T0 + 3 * M;
    await alerts.evaluateNow();
    await delivery.idle();
    expect(received.map((r) => r.body.kind)).toEqual(['fired', 'fired', 'fired', 'resolved']);
    expect(received[3]!.key).not.toBe(received[0]!.key);
    expect((await alerts.history(10)).map((e) => e.kind)).toEqual(['resolved', 'fired']);
  });

  it('ALERTS-4: gives up after the last attempt or at an answer not worth repeating, and never sends where the egress policy refuses', async () => {
    const { alerts, delivery } = service({ attempts: 3 });
    await alerts.createRule(failedRule);
    answers = [500, 500, 500];
    await failedRuns(0, 4);
    await alerts.evaluateNow();
    await delivery.idle();
    const entries = await alerts.history(10);
    expect(received).toHaveLength(3);
    expect(entries.find((e) => e.ruleName === 'Failures')?.delivery).toMatchObject({ state: 'failed', attempts: 3, lastError: 'the receiver answered 500' });

    // a private address the policy does not open: refused before anything is sent, once
    const strict = service({ fetch: egressFetch(new EgressPolicy()) });
    const refused = strict.delivery;
    await level.alertStore().putEvent({ ...entries[0]!, id: 'x1', delivery: { url: 'http://10.0.0.1/', state: 'pending', attempts: 0 } });
    await refused.resume();
    await refused.idle();
    expect((await alerts.history(10)).find((e) => e.id === 'x1')?.delivery).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringMatching(/^will not send there/) });
    // a 400 says the receiver will never take it: one attempt
    answers = [400];
    await level.alertStore().putEvent({ ...entries[0]!, id: 'x2', delivery: { url: HOOK, state: 'pending', attempts: 0 } });
    await delivery.resume();
    await delivery.idle();
    expect((await alerts.history(10)).find((e) => e.id === 'x2')?.delivery).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('ALERTS-4: takes up a delivery left pending by a stop, under the same key', async () => {
    // a receiver that never answers: the stop aborts the POST, whether it arrived unknown
    const hanging: typeof fetch = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const first = service({ fetch: hanging });
    await first.alerts.createRule(failedRule);
    await failedRuns(0, 3);
    await first.alerts.evaluateNow();
    await first.alerts.stop();
    const [pending] = await level.alertStore().pendingDeliveries(10);
    expect(pending?.delivery).toMatchObject({ state: 'pending', attempts: 0 });
    const second = service();
    await second.alerts.start();
    await second.delivery.idle();
    expect(received.map((r) => r.key)).toEqual([pending!.id]);
    expect(await level.alertStore().pendingDeliveries(10)).toEqual([]);
  });

  it('ALERTS-5: keeps history newest first and removes what is older than the retention, nothing newer', async () => {
    const { alerts } = service({ retentionDays: 1 });
    await alerts.createRule({ ...failedRule, webhookUrl: null });
    await failedRuns(0, 3);
    await alerts.evaluateNow();
    clock = T0 + 3 * M;
    await alerts.evaluateNow();
    clock = T0 + 2 * 86_400_000;
    await failedRuns(2 * 24 * 60, 3);
    await alerts.evaluateNow();
    expect((await alerts.history(10)).map((e) => [e.kind, e.at])).toEqual([
      ['fired', new Date(T0 + 2 * 86_400_000).toISOString()],
      ['resolved', new Date(T0 + 3 * M).toISOString()],
      ['fired', new Date(T0).toISOString()],
    ]);
    expect(await alerts.prune()).toBe(2);
    expect((await alerts.history(10)).map((e) => e.kind)).toEqual(['fired']);
  });

  it('ALERTS-5: a change to what a rule judges closes its alert quietly and starts afresh; a new name does not', async () => {
    const { alerts, delivery } = service();
    const rule = await alerts.createRule(failedRule);
    await failedRuns(0, 3);
    await alerts.evaluateNow();
    await alerts.updateRule(rule.id, { name: 'Renamed' });
    expect((await alerts.active()).map((a) => a.ruleName)).toEqual(['Renamed']);
    await alerts.updateRule(rule.id, { value: 10 });
    expect(await alerts.active()).toEqual([]);
    await delivery.idle();
    expect((await alerts.history(10)).map((e) => [e.kind, e.notified])).toEqual([
      ['resolved', false],
      ['fired', true],
    ]);
    expect(received.map((r) => r.body.kind)).toEqual(['fired']);
  });
});
