/**
 * What a new person meets first, checked as they would meet it: the owner's members panel fits the
 * window on a laptop and on a phone without covering its own button, and letters typed into a note
 * go into the note, not into walking.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createWorld, documents, notes, participants, screenshot, sessionId, signUp, useE2e } from './support/harness';

const e2e = useE2e();

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The panel and every control in it, with where they are on screen. */
const panelBoxes = (page: Page) =>
  page.evaluate(() => {
    const panel = document.querySelector('[data-testid="members-panel"]')!;
    const named = (el: Element) => el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent ?? el.tagName;
    return [panel, ...panel.querySelectorAll('button, select, input')].map((el) => {
      const r = el.getBoundingClientRect();
      return { name: named(el), x: r.x, y: r.y, width: r.width, height: r.height };
    });
  });

describe('a new person finds their way', () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    it(`the members panel fits a ${width} px window and leaves its button free`, { timeout: 120_000 }, async () => {
      const page = await e2e.openLobby('Ann');
      await page.setViewportSize({ width, height });
      await signUp(page, `ann${width}`);
      await createWorld(page, 'Team room');
      await page.getByTestId('members-button').click();
      await page.getByTestId('create-invite').click();
      await expect.poll(() => page.getByTestId('invite-link').inputValue(), { timeout: 10_000 }).toMatch(/invite=inv_/);
      await expect.poll(() => page.locator('[data-member]').count(), { timeout: 10_000 }).toBe(1);
      await screenshot(page, `members-panel-${width}`);

      const toggle = (await page.getByTestId('members-button').boundingBox())!;
      const boxes = await panelBoxes(page);
      for (const b of boxes) {
        expect(b.width, `${b.name} is shown`).toBeGreaterThan(0);
        expect(b.x, `${b.name} starts inside the window`).toBeGreaterThanOrEqual(0);
        expect(b.y, `${b.name} starts inside the window`).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `${b.name} ends inside the window`).toBeLessThanOrEqual(width);
        expect(b.y + b.height, `${b.name} ends inside the window`).toBeLessThanOrEqual(height);
        expect(overlaps(b, { name: 'toggle', ...toggle }), `${b.name} leaves the Members button free`).toBe(false);
      }
      expect(boxes.map((b) => b.name)).toEqual(expect.arrayContaining(['members-panel', 'invite-role', 'create-invite', 'invite-link', 'copy-invite']));
      // the button still answers: a second click closes the panel
      await page.getByTestId('members-button').click();
      expect(await page.getByTestId('members-panel').isHidden()).toBe(true);
    });
  }

  it('the neural HUD leaves the buttons free and says once, quietly, that nothing waits', { timeout: 120_000 }, async () => {
    const page = await e2e.openLobby('Ann');
    await createWorld(page, 'Quiet room');
    await page.getByTestId('neural-toggle').click();
    await page.getByTestId('neural-source-eeg').check();
    await page.getByTestId('eeg-sim-state').selectOption('focus');
    await page.getByLabel('Close neural input').click();
    const idle = page.locator('[data-testid="neural-sent"] li[data-state="idle"]');
    await expect.poll(() => idle.count(), { timeout: 30_000 }).toBe(1);
    // the focus goes on sending `confirm`: still one quiet line, and nothing shown as refused
    await page.waitForTimeout(5_000);
    expect(await idle.count()).toBe(1);
    expect(await page.locator('[data-testid="neural-sent"] li[data-state="refused"]').count()).toBe(0);
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      const hud = (await page.getByTestId('neural-hud').boundingBox())!;
      for (const id of ['upload-button', 'add-note', 'copy-link', 'leave', 'workflows-toggle', 'neural-toggle']) {
        const button = (await page.getByTestId(id).boundingBox())!;
        expect(overlaps({ name: 'hud', ...hud }, { name: id, ...button }), `the HUD leaves ${id} free at ${width} px`).toBe(false);
      }
      await screenshot(page, `neural-hud-${width}`);
    }
  });

  it('the workflow builder speaks in words and offers real inputs', { timeout: 120_000 }, async () => {
    const page = await e2e.openLobby('Ann');
    await createWorld(page, 'Builder room');
    await page.getByTestId('workflows-toggle').click();
    await expect.poll(() => page.getByTestId('wf-template').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByTestId('wf-create').click();
    await expect.poll(() => page.getByTestId('wf-step-kind').allTextContents(), { timeout: 15_000 }).toEqual(['Analyse', 'Anchor on chain', 'Present']);

    // labels are tags: type one, Enter adds it, × takes it out
    const labels = page.getByTestId('wf-param-analyse-labels');
    await labels.click();
    await page.keyboard.type('urgent');
    await page.keyboard.press('Enter');
    await page.keyboard.type('invoice');
    await page.keyboard.press('Enter');
    const tags = page.getByTestId('wf-param-analyse-labels-tags').locator('li');
    await expect.poll(() => tags.evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')))).toEqual(['urgent', 'invoice']);
    await tags.first().getByRole('button', { name: 'Remove urgent' }).click();
    await expect.poll(() => tags.count()).toBe(1);
    await expect.poll(() => page.getByTestId('wf-version').textContent()).toContain('unsaved changes');

    // the network is a choice of the configured ones, the default first
    const network = page.getByTestId('wf-param-anchor-network');
    expect(await network.evaluate((el) => el.tagName)).toBe('SELECT');
    const options = await network.locator('option').allTextContents();
    expect(options[0]).toMatch(/^Default/);
    expect(options.length).toBeGreaterThan(1);

    // every button in the builder is at least 32 px each way
    const small = await page.getByTestId('workflow-panel').evaluate((panel) =>
      [...panel.querySelectorAll('button')].filter((b) => b.offsetParent).map((b) => [b.textContent, b.getBoundingClientRect()] as const).filter(([, r]) => r.width < 32 || r.height < 32).map(([t]) => t),
    );
    expect(small).toEqual([]);
    await screenshot(page, 'workflow-builder');
  });

  it('typing into a note writes the note and does not walk', { timeout: 120_000 }, async () => {
    const page = await e2e.openLobby('Ann');
    await createWorld(page, 'Notes room');
    const me = await sessionId(page);
    const head = async () => (await participants(page)).find((p) => p.id === me)!.head;
    const welcome = (await documents(page)).find((d) => d.title === 'Welcome')!;
    await page.getByTestId('add-note').click();
    const spot = await page.evaluate((id) => window.__dwc!.pagePoint(id, 0.5, 0.6), welcome.id);
    expect(spot).not.toBeNull();
    await page.mouse.click(spot!.x, spot!.y);
    await page.getByTestId('note-text').waitFor();
    const before = await head();

    // straight away, as a person would: the dialog's field has the keyboard
    await page.keyboard.type('wasd hello', { delay: 60 });
    // and holding a walking key in the field moves nothing either
    await page.keyboard.down('ArrowUp');
    await page.waitForTimeout(600);
    await page.keyboard.up('ArrowUp');
    await page.waitForTimeout(800);
    expect(await page.getByTestId('note-text').inputValue()).toBe('wasd hello');
    const after = await head();
    expect(Math.hypot(after[0]! - before[0]!, after[2]! - before[2]!), 'the camera stayed where it was').toBeLessThan(0.01);

    await page.getByTestId('note-save').click();
    await expect.poll(async () => (await notes(page)).map((n) => n.text), { timeout: 10_000 }).toEqual(['wasd hello']);
    expect(e2e.pageErrors).toEqual([]);
  });
});
