/**
 * The dashboard in Chromium: an administrator opens `#/dashboard` from the lobby, acknowledges the
 * alert that failing runs fired, and sees live
 * charts drawn from the analytics (people online by device, sessions, runs, requests), the busiest
 * worlds, their world's figures, where a failing workflow loses its runs with a suggestion, and
 * downloads a CSV report; an owner who is no administrator sees only their own world; a guest is
 * asked to sign in. A narrow (phone) window folds the charts into one column that still fits. In
 * her world, the owner's Stats panel shows its figures.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { joinWorld } from '../server/testing/clients';
import { screenshot, signUp, useE2e, waitReady } from './support/harness';

const e2e = useE2e({ env: { ADMIN_USERS: 'root', ANALYTICS_SAMPLE_SECONDS: '1', WEBHOOK_ALLOW: '127.0.0.1' } });

/** A REST call as the page's signed-in person. */
function api(page: Page, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  return page.evaluate(
    async ([m, r, b]) => {
      const account = JSON.parse(localStorage.getItem('dwc.account')!) as { accessToken: string };
      const res = await fetch(`/api/v3${r}`, { method: m, headers: { 'content-type': 'application/json', authorization: `Bearer ${account.accessToken}` }, ...(b === undefined ? {} : { body: JSON.stringify(b) }) });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    [method, route, body] as const,
  );
}
const tokenOf = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('dwc.account')!) as { accessToken: string }).accessToken);

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Points drawn by a chart, as the dashboard marks them. */
const pointsOf = async (page: Page, id: string) => Number((await page.getByTestId(`chart-${id}`).getAttribute('data-points')) ?? 0);

describe('dashboard', () => {
  it('INSIGHTS-4: an administrator sees the alert failing runs fired and acknowledges it, live charts, a world, where a workflow fails and why, and downloads a CSV report', { timeout: 240_000 }, async () => {
    const root = await e2e.openLobby('Root');
    await signUp(root, 'root');
    const world = (await api(root, 'POST', '/worlds', { name: 'Ops <b>room</b>', template: 'office', guestRole: 'viewer' })).json.world as { id: string };
    const port = await closedPort();
    const definition = {
      name: 'Notify the team',
      steps: [
        { id: 'draft', kind: 'transform', name: 'Draft', params: { operation: 'template', template: 'hello' } },
        { id: 'notify', kind: 'webhook', name: 'Notify', params: { url: `http://127.0.0.1:${port}/hook` }, retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, factor: 1, jitter: 0 } },
      ],
    };
    const workflow = (await api(root, 'POST', '/workflows', { worldId: world.id, definition })).json.workflow as { id: string };
    for (let i = 0; i < 3; i++) expect((await api(root, 'POST', `/workflows/${workflow.id}/runs`, { input: { n: i } })).status).toBe(201);
    // someone in VR and someone on a phone come and go: two sessions
    const token = await tokenOf(root);
    for (const device of ['vr', 'mobile']) {
      const p = await joinWorld(e2e.server.url, world.id, `Visitor ${device}`, { device, token });
      await p.room.leave();
    }
    const staying = await joinWorld(e2e.server.url, world.id, 'Stays', { device: 'vr', token });

    await root.getByTestId('dashboard-link').click();
    await expect.poll(() => root.getByTestId('dashboard').isVisible(), { timeout: 10_000 }).toBe(true);
    // live: the charts fill in as samples are taken, without a reload
    await expect.poll(() => pointsOf(root, 'people'), { timeout: 60_000, interval: 1000 }).toBeGreaterThan(0);
    await expect.poll(() => root.getByTestId('chart-people').getAttribute('data-lines'), { timeout: 30_000 }).toContain('vr');
    await expect.poll(() => pointsOf(root, 'requests'), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => root.getByTestId('chart-runs').getAttribute('data-lines'), { timeout: 30_000 }).toContain('failed');
    await expect.poll(() => root.getByTestId('chart-sessions').getAttribute('data-lines'), { timeout: 30_000 }).toBe('mobile,vr');
    expect(await root.locator('[data-testid="chart-people"] canvas').count()).toBe(1);
    const refreshesBefore = Number(await root.getByTestId('dash-updated').getAttribute('data-refreshes'));
    await expect.poll(async () => Number(await root.getByTestId('dash-updated').getAttribute('data-refreshes')), { timeout: 30_000 }).toBeGreaterThan(refreshesBefore);

    // the world's figures, its name shown as text
    expect(await root.getByTestId('busiest-worlds').textContent()).toContain('Ops <b>room</b> — 2 sessions');
    expect(await root.locator('.dashboard b').count()).toBe(0);
    await expect.poll(() => root.getByTestId('figure-here-now').textContent(), { timeout: 20_000 }).toBe('1 VR');
    expect(await root.getByTestId('figure-sessions-day').textContent()).toBe('2');

    // where the workflow fails, and what to do about it
    await expect.poll(() => root.getByTestId('figure-failed').textContent(), { timeout: 30_000 }).toBe('3');
    expect(await root.getByTestId('figure-success-rate').textContent()).toBe('0 %');
    const notifyRow = root.locator('[data-testid="step-row"][data-step="notify"]');
    expect(await notifyRow.textContent()).toContain('UNREACHABLE ×6');
    expect(await root.getByTestId('failure-reasons').textContent()).toContain('Notify: UNREACHABLE ×3');
    expect(await root.getByTestId('suggestions').textContent()).toContain('Step "Notify" fails 100 % of its attempts with UNREACHABLE: raise its retries or check the receiver.');

    // three failed runs in 15 minutes fire the built-in alert; acknowledging it says by whom
    const alert = root.getByTestId('alert-item').filter({ hasText: 'Failed workflow runs' });
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
    expect(await alert.getAttribute('data-severity')).toBe('warning');
    await screenshot(root, 'dashboard-admin');
    await alert.getByTestId('alert-ack').click();
    await expect.poll(() => alert.getByTestId('alert-ack').textContent(), { timeout: 10_000 }).toBe('Acknowledged by root');
    await expect.poll(() => root.getByTestId('alerts-history').textContent(), { timeout: 10_000 }).toContain('acked:');
    await root.getByTestId('workflow-insight').screenshot({ path: 'test-results/e2e/dashboard-workflow.png' });

    // a report of the ticked series downloads as CSV
    const [download] = await Promise.all([root.waitForEvent('download'), root.getByTestId('download-report').click()]);
    expect(download.suggestedFilename()).toMatch(/^dwc-report-.+\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('series,labels,at,count,sum,min,max,avg');
    expect(lines.some((l) => l.startsWith('people,device=vr,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('workflow_runs,outcome=failed,'))).toBe(true);
    expect(await root.getByTestId('report-status').textContent()).toMatch(/^Downloaded dwc-report-/);

    // on a phone the cards fold into one column and nothing runs off the side
    await root.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => root.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), { timeout: 5000 }).toBe(true);
    await screenshot(root, 'dashboard-phone');
    await staying.room.leave();
    expect(e2e.pageErrors).toEqual([]);
  });

  it('INSIGHTS-5: an owner who is no administrator sees only their world, and its figures in the world; a guest is asked to sign in', { timeout: 120_000 }, async () => {
    const olive = await e2e.openLobby('Olive');
    await signUp(olive, 'olive');
    const world = (await api(olive, 'POST', '/worlds', { name: 'Olive’s studio', template: 'office' })).json.world as { id: string };
    await olive.evaluate(() => {
      location.hash = '#/dashboard';
    });
    await expect.poll(() => olive.getByTestId('dash-world').inputValue(), { timeout: 15_000 }).toBe(world.id);
    expect(await olive.getByTestId('chart-people').count()).toBe(0);
    expect(await olive.getByTestId('download-report').count()).toBe(0);
    await expect.poll(() => olive.getByTestId('figure-here-now').textContent(), { timeout: 15_000 }).toBe('nobody');
    // each card loads on its own: wait for the workflows card's answer, not only the world's
    await expect.poll(() => olive.getByTestId('workflow-insight').textContent(), { timeout: 15_000 }).toContain('No workflows in your worlds yet.');
    await screenshot(olive, 'dashboard-owner');

    // in her world, the Stats button beside Members shows her its figures, where Members' panel goes
    await olive.evaluate((id) => {
      location.hash = `#/w/${id}`;
    }, world.id);
    await waitReady(olive);
    await olive.getByTestId('stats-button').click({ timeout: 15_000 });
    await expect.poll(() => olive.getByTestId('stats-lines').textContent(), { timeout: 15_000 }).toContain('Here now: 1 desktop');
    expect(await olive.getByTestId('stats-lines').textContent()).toContain('Runs in the last 24 h: 0');
    await screenshot(olive, 'world-stats-panel');
    await olive.getByTestId('members-button').click();
    expect(await olive.getByTestId('stats-panel').isHidden()).toBe(true);
    expect(await olive.getByTestId('members-panel').isVisible()).toBe(true);

    const guest = await e2e.openLobby('Gus');
    await guest.evaluate(() => {
      location.hash = '#/dashboard';
    });
    await expect.poll(() => guest.getByTestId('dashboard').textContent(), { timeout: 10_000 }).toContain('Sign in (in the lobby) as an administrator or as the owner of a world');
    expect(e2e.pageErrors).toEqual([]);
  });
});
