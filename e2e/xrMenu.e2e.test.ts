/**
 * The in-world menu with an emulated headset (iwer, a Meta Quest 3): Ann in VR summons it with the
 * left controller's Y button (and puts it away with the button on her wrist), sees who is here
 * (Bob on a desktop), starts a run of a workflow with an approval step and approves it, all by
 * pointing the right controller's ray at the menu's buttons and pulling the trigger; a refusal
 * (grabbing a document Bob holds) shows in her headset as a toast and buzzes her controllers (as a
 * granted grab does, more briefly); a preset note and a comfort setting are set from the menu; and
 * Leave ends the session and takes her out of the world. Signed in, she owns the world, and its
 * Stats tab shows her who is here and today's runs.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { createWorld, documents, notes, participants, scenarioSteps, screenshot, sessionId, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { clickButton as click, enterXr, moveControllerTo as moveController, setButton as button, xrProbe as xr } from './support/xrDrive';

const e2e = useE2e({}, {}, { pagesOutliveTests: true });
const step = scenarioSteps();

const menu = async (page: Page) => (await xr(page)).menu ?? null;

/**
 * Presses the menu button labelled `label` as a person would: the right controller a quarter of a
 * metre in front of it (the menu opened facing Ann, who looks down -Z), its ray on the button, and
 * a pull of the trigger.
 */
async function pressByRay(page: Page, label: string): Promise<void> {
  const target = (await menu(page))?.buttons.find((b) => b.label === label);
  expect(target, `the menu shows "${label}"`).toBeTruthy();
  const [x, y, z] = target!.position;
  await moveController(page, 'right', [x, y, z + 0.25]);
  await page.waitForTimeout(200);
  await click(page, 'right', 'trigger');
}

const OUTLINE_APPROVE_PRESENT = {
  name: 'Sign-off',
  steps: [
    { id: 'outline', kind: 'transform', name: 'Outline', params: { operation: 'outline' } },
    { id: 'approve', kind: 'approval', name: 'Approve', params: { prompt: 'Approve this document?' } },
    { id: 'present', kind: 'present', name: 'Present', params: { title: 'Signed off' } },
  ],
};

describe('the in-world menu in an emulated headset', () => {
  let ann: Page;
  let bob: Page;
  let annId: string;
  let bobId: string;

  beforeAll(async () => {
    ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    // signed in, Ann owns the world she makes (and sees its Stats tab); anyone may come in to work
    // (signUp's expect.poll may not run outside a test)
    await ann.getByTestId('account-username').fill('ann');
    await ann.getByTestId('account-password').fill('a long enough password');
    await ann.getByTestId('sign-up').click();
    await ann.getByTestId('signed-in-as').waitFor({ timeout: 10_000 });
    await ann.getByTestId('world-guests').selectOption('editor');
    const worldId = await createWorld(ann, 'Menu in VR');
    const token = await ann.evaluate(() => (JSON.parse(localStorage.getItem('dwc.account')!) as { accessToken: string }).accessToken);
    annId = await sessionId(ann);
    bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(bob);
    bobId = await sessionId(bob);
    const res = await fetch(`${e2e.server.url}/api/v3/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ worldId, definition: OUTLINE_APPROVE_PRESENT }),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  });

  step('Ann enters VR and the Y button opens the menu in front of her, listing Bob on his desktop', async () => {
    await enterXr(ann, 'vr');
    await expect.poll(async () => (await xr(ann)).controllers.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await menu(ann))?.wrist !== null && (await menu(ann)) !== null, { timeout: 20_000 }).toBe(true);
    expect((await menu(ann))!.open).toBe(false);
    // the left hand comes up, then the Y button
    await moveController(ann, 'left', [-0.2, 1.2, 1.6]);
    await click(ann, 'left', 'y-button');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(true);
    // it stands about 60 cm ahead of her eyes, where she can read it
    const { head } = await xr(ann);
    const people = (await menu(ann))!;
    const centre = people.buttons.find((b) => b.label === 'People')!.position;
    expect(Math.abs(centre[2] - head![2] + 0.6)).toBeLessThan(0.15);
    // Bob is listed by name, role and device (text drawn on the panel; the people list is in the probe)
    const bobSeen = (await participants(ann)).find((p) => p.id === bobId);
    expect(bobSeen?.name).toBe('Bob');
    await expect.poll(async () => (await menu(ann))!.rows, { timeout: 10_000 }).toEqual(expect.arrayContaining(['Bob', 'editor · desktop']));
    await screenshot(ann, 'xr-menu-people');
  });

  step('the wrist button closes it, and grabbing a document Bob holds is refused: the refusal shows in her headset and her controllers buzz', async () => {
    // the menu button on her left wrist puts it away: the right controller's ray on it, and the trigger
    const wrist = (await menu(ann))!.wrist!;
    await moveController(ann, 'right', [wrist[0], wrist[1], wrist[2] + 0.25]);
    await ann.waitForTimeout(200);
    await click(ann, 'right', 'trigger');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(false);
    const welcome = (await documents(bob)).find((d) => d.title === 'Welcome')!;
    const from = await bob.evaluate((id) => window.__dwc!.screenPointOf(id), welcome.id);
    expect(from, 'the Welcome panel is in front of Bob').not.toBeNull();
    await bob.mouse.move(from!.x, from!.y);
    await bob.mouse.down();
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(bobId);
    const buzzesBefore = await ann.evaluate(() => window.__dwc!.xr!().menu?.haptics ?? 0);
    await moveController(ann, 'right', [welcome.position[0], welcome.position[1], welcome.position[2] + 0.04]);
    await ann.waitForTimeout(200);
    await button(ann, 'right', 'squeeze', 1);
    // the refusal, as a card near her view: under a metre ahead of her eyes, a little below them
    const seen = async () => {
      const now = await xr(ann);
      const card = now.menu?.toasts.find((t) => t.kind === 'error' && /Bob/.test(t.text));
      if (!card) return 'no toast about Bob';
      const [hx, hy, hz] = now.head!;
      const [x, y, z] = card.position;
      return Math.hypot(x - hx, y - hy, z - hz) < 1 && z < hz && y < hy ? 'near the view' : `at ${card.position.join(', ')}`;
    };
    await expect.poll(seen, { timeout: 10_000 }).toBe('near the view');
    await screenshot(ann, 'xr-menu-refusal-toast');
    expect(await ann.evaluate(() => window.__dwc!.xr!().menu?.haptics ?? 0)).toBeGreaterThan(buzzesBefore);
    await button(ann, 'right', 'squeeze', 0);
    await bob.mouse.up();
    expect((await documents(ann)).find((d) => d.id === welcome.id)!.heldBy).not.toBe(annId);
    // once Bob lets go her grab is granted, and that buzzes too (a short one)
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe('');
    const buzzesBeforeGrab = await ann.evaluate(() => window.__dwc!.xr!().menu?.haptics ?? 0);
    await button(ann, 'right', 'squeeze', 1);
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe(annId);
    await expect.poll(() => ann.evaluate(() => window.__dwc!.xr!().menu?.haptics ?? 0), { timeout: 5_000 }).toBeGreaterThan(buzzesBeforeGrab);
    await button(ann, 'right', 'squeeze', 0);
    await expect.poll(async () => (await documents(ann)).find((d) => d.id === welcome.id)!.heldBy, { timeout: 10_000 }).toBe('');
  });

  step('she starts a run of the sign-off workflow from the menu by ray and trigger, and approves it when it waits', async () => {
    await click(ann, 'left', 'y-button');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(true);
    await pressByRay(ann, 'Chains');
    await expect.poll(async () => (await menu(ann))?.tab, { timeout: 10_000 }).toBe('workflows');
    await screenshot(ann, 'xr-menu-workflows');
    await pressByRay(ann, 'Start run');
    await expect.poll(async () => (await ann.evaluate(() => window.__dwc!.runs())).map((r) => r.status), { timeout: 20_000 }).toEqual(['waiting']);
    // "Run started." shows under the open menu, not over it
    const toastUnderMenu = async () => {
      const m = await menu(ann);
      const card = m?.toasts.find((t) => /Run started/.test(t.text));
      if (!m || !card) return 'no toast';
      const lowest = Math.min(...m.buttons.map((b) => b.position[1]));
      return card.position[1] < lowest - 0.05 ? 'under' : `at ${card.position[1].toFixed(2)}, lowest button ${lowest.toFixed(2)}`;
    };
    await expect.poll(toastUnderMenu, { timeout: 5_000 }).toBe('under');
    await pressByRay(ann, 'Runs');
    await expect.poll(async () => (await menu(ann))?.buttons.map((b) => b.label), { timeout: 10_000 }).toContain('Approve');
    await screenshot(ann, 'xr-menu-runs');
    await pressByRay(ann, 'Approve');
    // the same runAnswer the page sends: the run goes on and finishes, for Bob too
    await expect.poll(async () => (await bob.evaluate(() => window.__dwc!.runs())).map((r) => r.status), { timeout: 30_000 }).toEqual(['succeeded']);
    await expect.poll(async () => (await menu(ann))?.buttons.map((b) => b.label), { timeout: 10_000 }).not.toContain('Approve');
  }, 90_000);

  step("as the world's owner she reads its figures on the Stats tab: who is here, and the run of today", async () => {
    await pressByRay(ann, 'Stats');
    await expect.poll(async () => (await menu(ann))?.rows ?? [], { timeout: 10_000 }).toContain('Runs in the last 24 h: 1 (0 failed)');
    const rows = (await menu(ann))!.rows;
    // people are counted by the device they are on now: Ann in VR, Bob on his desktop
    expect(rows).toContain('Here now: 1 VR, 1 desktop');
    expect((await menu(ann))!.buttons.map((b) => b.label)).toContain('Refresh');
    await screenshot(ann, 'xr-menu-stats');
  });

  step('a preset note goes on the nearest document, as the page note dialog would send it, and Remove takes it off', async () => {
    await pressByRay(ann, 'Notes');
    await screenshot(ann, 'xr-menu-notes');
    await pressByRay(ann, 'Looks good');
    await expect.poll(async () => (await notes(bob)).map((n) => n.text), { timeout: 10_000 }).toContain('Looks good');
    // the note is listed on the tab with Remove, which takes it off for everyone
    await expect.poll(async () => (await menu(ann))?.rows ?? [], { timeout: 10_000 }).toContain('ann: Looks good');
    await pressByRay(ann, 'Remove');
    await expect.poll(async () => (await notes(bob)).map((n) => n.text), { timeout: 10_000 }).not.toContain('Looks good');
  });

  step('comfort settings change from the menu and are kept for the next visit', async () => {
    await pressByRay(ann, 'Settings');
    await pressByRay(ann, 'Snap 30°');
    await expect.poll(() => ann.evaluate(() => JSON.parse(localStorage.getItem('dwc.xr.settings') ?? '{}').snapDegrees), { timeout: 10_000 }).toBe(45);
    await expect.poll(async () => (await menu(ann))?.buttons.map((b) => b.label), { timeout: 10_000 }).toContain('Snap 45°');
    // uploading is honest about where it happens
    expect((await menu(ann))?.rows.join(' ')).toMatch(/from a desktop or phone/);
    await screenshot(ann, 'xr-menu-settings');
  });

  step('Leave ends the VR session and takes her back to the lobby', async () => {
    await pressByRay(ann, 'Leave world');
    await expect.poll(() => ann.url(), { timeout: 15_000 }).not.toMatch(/#\/w\//);
    await expect.poll(async () => (await participants(bob)).some((p) => p.id === annId), { timeout: 15_000 }).toBe(false);
    expect(e2e.pageErrors).toEqual([]);
    expect(e2e.browser.blocked, 'requests that tried to leave this machine').toEqual([]);
  });
});
