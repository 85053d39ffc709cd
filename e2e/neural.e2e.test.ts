/**
 * Neural input in two browsers: a run waits at a neural_trigger step for Ann. Bob turns on his
 * EEG (the built-in simulator) and focuses: his channel's policy lets `confirm` through and sends
 * it, and the server refuses it — the run waits on. Ann does the same; her command releases the
 * run, which finishes, with who, how and how sure recorded on it.
 */
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { EegSimulator } from '../client/neural/eeg/EegSimulator';
import { createWorld, screenshot, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';

/** Where the test's headband bridge listens; the server lets pages reach it and nothing else. */
const BRIDGE_PORT = 18765;
const e2e = useE2e({ env: { EEG_BRIDGE_ORIGINS: `ws://127.0.0.1:${BRIDGE_PORT}` } });

async function api(method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${e2e.server.url}/api/v3${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

const runStatus = (page: Page, runId: string) => page.evaluate((id) => window.__dwc!.runs().find((r) => r.id === id)?.status ?? null, runId);

/** Turns on the EEG simulator and has it imitate a focused mind. */
async function focus(page: Page) {
  await page.getByTestId('neural-toggle').click();
  await page.getByTestId('neural-source-eeg').check();
  await page.getByTestId('eeg-sim-state').selectOption('focus');
  await expect.poll(() => page.getByTestId('neural-indicator').textContent()).toContain('eeg');
}

describe('neural input', () => {
  it("a run waiting for Ann's command is not released by Bob's, and is by hers", { timeout: 240_000 }, async () => {
    const ann = await e2e.openLobby('Ann');
    const worldId = await createWorld(ann, 'Neural e2e');
    const bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click();
    await waitReady(bob);

    const { workflow } = await api('POST', '/workflows', {
      worldId,
      definition: {
        name: 'Wait for Ann',
        steps: [
          { id: 'focus', kind: 'neural_trigger', name: 'Ann focuses', params: { participant: 'Ann', commands: ['confirm'], minConfidence: 0.6 } },
          { id: 'after', kind: 'delay', name: 'After', params: { ms: 10 } },
        ],
      },
    });
    const { run } = await api('POST', `/workflows/${workflow.id}/runs`, { input: { worldId } });
    for (const page of [ann, bob]) await expect.poll(() => runStatus(page, run.id), { timeout: 20_000 }).toBe('waiting');

    // Bob focuses: his channel sends confirm, and the server refuses it with the reason
    await focus(bob);
    const bobRefused = bob.locator('[data-testid="neural-sent"] li[data-state="refused"]').first();
    await expect.poll(() => bobRefused.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await bobRefused.textContent()).toMatch(/waits for Ann, not for Bob/);
    const seen = await bob.getByTestId('neural-seen').textContent();
    expect(seen).toMatch(/confirm \d+% · eeg/);
    expect(Number(await bob.getByTestId('eeg-chart').getAttribute('data-points'))).toBeGreaterThan(10);
    await screenshot(bob, 'neural-bob-refused');
    expect(await runStatus(ann, run.id)).toBe('waiting');
    const sessions = (await api('GET', `/neural/sessions?world=${worldId}`)).sessions as Array<{ name: string; sources: string[] }>;
    expect(sessions.map((s) => [s.name, s.sources])).toEqual([['Bob', ['eeg']]]);

    // Ann focuses: her command releases the run, which finishes
    await focus(ann);
    const annAccepted = ann.locator('[data-testid="neural-sent"] li[data-state="accepted"]');
    await expect.poll(() => annAccepted.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    for (const page of [ann, bob]) await expect.poll(() => runStatus(page, run.id), { timeout: 20_000 }).toBe('succeeded');
    await screenshot(ann, 'neural-ann-accepted');
    const done = (await api('GET', `/runs/${run.id}`)).run;
    expect(done.steps[0].output).toMatchObject({ command: 'confirm', source: 'eeg', participant: 'Ann', timedOut: false });
    expect(done.steps[0].output.confidence).toBeGreaterThanOrEqual(0.6);

    // turning EEG off ends the indicator and the session
    await ann.getByTestId('neural-source-eeg').uncheck();
    await expect.poll(() => ann.getByTestId('neural-indicator').isHidden()).toBe(true);
    await expect.poll(async () => ((await api('GET', `/neural/sessions?world=${worldId}`)).sessions as Array<{ name: string }>).map((s) => s.name)).toEqual(['Bob']);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('reads a headband bridge over a WebSocket: a bad message is named and skipped, the stream goes on', { timeout: 180_000 }, async () => {
    // a bridge as a headband owner would run it beside the browser: relaxed EEG, 4 channels at 256 Hz
    const bridge = new WebSocketServer({ host: '127.0.0.1', port: BRIDGE_PORT });
    const sim = new EegSimulator(9);
    sim.state = 'relax';
    bridge.on('connection', (socket) => {
      socket.send('{"type":"samples","rate":256,"channels":[[1,2],[3]]}');
      const timer = setInterval(() => socket.send(JSON.stringify(sim.next(32))), 125);
      socket.on('close', () => clearInterval(timer));
    });
    try {
      await new Promise((resolve) => bridge.once('listening', resolve));
      const port = (bridge.address() as AddressInfo).port;
      const ann = await e2e.openLobby('Ann');
      await createWorld(ann, 'Neural bridge e2e');
      await ann.getByTestId('neural-toggle').click();
      await ann.getByTestId('eeg-input').selectOption('websocket');
      await ann.getByTestId('eeg-url').fill(`ws://127.0.0.1:${port}`);
      await ann.getByTestId('neural-source-eeg').check();
      await expect.poll(() => ann.getByTestId('eeg-error').textContent(), { timeout: 20_000 }).toMatch(/same number of samples/);
      await expect.poll(async () => Number(await ann.getByTestId('eeg-chart').getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(5);
      const readout = (await ann.getByTestId('eeg-readout').textContent())!;
      // both on a stated 0–100 % scale, with what each level means
      const [, attention, relaxation] = /Attention (\d+) % \(confirm above 50 % for 3 s\)Relaxation (\d+) % \(relax above 50 % for 3 s\)/.exec(readout)!;
      expect(Number(relaxation)).toBeGreaterThan(Number(attention));
      // relaxation held for 3 s is recognised as `relax`; no run waits, which is said once and
      // quietly, not as a red refusal each time the command goes out again
      await expect.poll(() => ann.getByTestId('neural-seen').textContent(), { timeout: 30_000 }).toMatch(/relax \d+% · eeg/);
      const sentLines = () => ann.locator('[data-testid="neural-sent"] li').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-state')}: ${e.textContent}`));
      await expect.poll(sentLines, { timeout: 20_000 }).toContainEqual(expect.stringMatching(/^idle: Nothing in this world is waiting for a command/));
      // the held relaxation goes on sending `relax` every couple of seconds
      await ann.waitForTimeout(5_000);
      const lines = await sentLines();
      expect(lines.filter((l) => l.startsWith('idle:'))).toHaveLength(1);
      expect(lines.filter((l) => l.startsWith('refused:'))).toEqual([]);
      // a bridge the server does not let the page reach is reported, and the switch stays off
      await ann.getByTestId('neural-source-eeg').uncheck();
      await ann.getByTestId('eeg-url').fill('ws://127.0.0.1:9');
      // click, not check(): the switch turns itself back off as soon as the connection fails
      await ann.getByTestId('neural-source-eeg').click();
      await expect.poll(() => ann.locator('.toast-error', { hasText: 'Could not connect to the EEG bridge' }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await ann.getByTestId('neural-source-eeg').isChecked()).toBe(false);
      expect(e2e.pageErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => bridge.close(resolve));
    }
  });

  it("recognises a pinch from an emulated headset's tracked hand joints", { timeout: 180_000 }, async () => {
    const eve = await e2e.openLobby('Eve', (page) => installXrEmulator(page));
    await createWorld(eve, 'Neural hands e2e');
    await eve.evaluate(() => ((window as any).__iwer.primaryInputMode = 'hand'));
    await eve.getByTestId('neural-toggle').click();
    await eve.getByTestId('neural-source-xr-hands').check();
    await eve.getByTestId('enter-vr').click();
    await expect.poll(() => eve.evaluate(() => window.__dwc!.xr!().controllers.filter((c) => c.hand).length), { timeout: 20_000 }).toBe(2);
    // iwer moves its recorded hand joints from a relaxed pose to a pinch as the value goes to 1
    await eve.waitForTimeout(1000);
    expect(await eve.getByTestId('neural-seen').textContent()).not.toMatch(/pinch/);
    await eve.evaluate(() => (window as any).__iwer.hands.right.updatePinchValue(1));
    await expect.poll(() => eve.getByTestId('neural-seen').textContent(), { timeout: 20_000 }).toMatch(/pinch \d+% · xr-hands/);
    await screenshot(eve, 'neural-xr-pinch');
    expect(e2e.pageErrors).toEqual([]);
  });
});
