/**
 * Neural input in two browsers: a run waits at a neural_trigger step for Ann. Bob turns on his
 * EEG (the built-in simulator) and focuses: his channel's policy lets `confirm` through and sends
 * it, and the server refuses it — the run waits on. Ann does the same; her command releases the
 * run, which finishes, with who, how and how sure recorded on it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorld, screenshot, useE2e, waitReady } from './support/harness';

const e2e = useE2e();

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
});
