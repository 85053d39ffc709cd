/**
 * Talking without voice, in real Chromium against the real server: Ann (the owner, signed in) and
 * Bob chat, and what they write shows as text, hostile or not; Bob's reaction rises over his avatar
 * in Ann's view and his raised hand shows beside his name and over his head; Ann goes over to him;
 * she gives him the megaphone and he sees it; someone joining later reads what was said. On a
 * phone-sized window the chat folds to one row that counts what is new. In an emulated headset the
 * menu's Talk tab does the same with the controllers: reactions, a raised hand, quick replies, the
 * chat's newest lines, push-to-talk on the X button, and Go to from the People tab.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fakeMicrophoneArgs, writeToneWav } from './support/fakeMicrophone';
import { createWorld, participants, SHOTS, screenshot, sessionId, signUp, useE2e, waitReady } from './support/harness';
import { installXrEmulator } from './support/xrEmulator';
import { clickButton, enterXr, moveControllerTo, setButton, xrProbe } from './support/xrDrive';

const tone = path.join(SHOTS, 'social-tone.wav');
mkdirSync(SHOTS, { recursive: true });
writeToneWav(tone, { hz: 330, seconds: 2, amplitude: 0.4 });
const e2e = useE2e({}, { extraArgs: fakeMicrophoneArgs(tone) });

const chatTexts = (page: Page) => page.locator('[data-testid="chat-log"] li .chat-text').allTextContents();
const someone = async (page: Page, id: string) => (await participants(page)).find((p) => p.id === id);
const eye = async (page: Page) => (await page.evaluate(() => window.__dwc!.view())).eye;

describe('chat, reactions, hands and going to someone', () => {
  it('Ann and Bob chat as text, react, raise a hand, go to each other and hand out the megaphone', { timeout: 180_000 }, async () => {
    const ann = await e2e.openLobby('Ann');
    await signUp(ann, 'ann');
    await ann.getByTestId('world-guests').selectOption('editor');
    const worldId = await createWorld(ann, 'Town hall');
    const annId = await sessionId(ann);
    const bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(bob);
    const bobId = await sessionId(bob);

    // what Ann writes reaches Bob as text, markup and all
    const hostile = '<b>Welcome</b> & <img src=x onerror="document.title=1">';
    await ann.getByTestId('chat-input').fill(hostile);
    await ann.getByTestId('chat-input').press('Enter');
    await expect.poll(() => chatTexts(bob), { timeout: 10_000 }).toEqual([hostile]);
    expect(await bob.locator('[data-testid="chat-log"] b, [data-testid="chat-log"] img').count()).toBe(0);
    expect(await ann.getByTestId('chat-input').inputValue()).toBe('');
    await bob.getByTestId('chat-input').fill('Hello Ann');
    await bob.getByTestId('chat-send').click();
    await expect.poll(() => chatTexts(ann), { timeout: 10_000 }).toEqual([hostile, 'Hello Ann']);
    // typing into the chat does not walk the view
    const before = await eye(bob);
    await bob.getByTestId('chat-input').fill('wwwwssss');
    expect(await eye(bob)).toEqual(before);
    await bob.getByTestId('chat-input').fill('');

    // Bob's reaction rises over his avatar in Ann's view; his hand goes up beside his name and over his head
    await bob.getByTestId('react-party').click();
    await expect.poll(async () => (await someone(ann, bobId))?.marks?.bursts ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    await bob.getByTestId('raise-hand').click();
    await expect.poll(async () => (await someone(ann, bobId))?.marks?.badges ?? [], { timeout: 10_000 }).toEqual(['hand']);
    await expect.poll(() => ann.locator(`li[data-participant-id="${bobId}"] [data-testid="person-hand"]`).count(), { timeout: 10_000 }).toBe(1);
    expect(await bob.getByTestId('raise-hand').getAttribute('aria-pressed')).toBe('true');

    // Ann goes over to Bob: she stands a little in front of him, facing him
    await ann.locator(`li[data-participant-id="${bobId}"] [data-testid="go-to"]`).click();
    const bobHead = (await someone(ann, bobId))!.head;
    const [ax, , az] = await eye(ann);
    expect(Math.hypot(ax - bobHead[0], az - bobHead[2])).toBeLessThan(1.8);
    const yaw = (await ann.evaluate(() => window.__dwc!.view())).rotation[1];
    const facing = [-Math.sin(yaw), -Math.cos(yaw)];
    const toBob = [bobHead[0] - ax, bobHead[2] - az].map((v) => v / Math.hypot(bobHead[0] - ax, bobHead[2] - az));
    expect(facing[0]! * toBob[0]! + facing[1]! * toBob[1]!).toBeGreaterThan(0.95);
    // the reaction drawn in the air, the hand over his head, from close by
    await bob.getByTestId('react-heart').click();
    await expect.poll(async () => (await someone(ann, bobId))?.marks?.bursts ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    await ann.waitForTimeout(400);
    await screenshot(ann, 'social-desktop');

    // the owner gives Bob the megaphone; Bob sees it beside his name, Ann over his head
    await ann.locator(`li[data-participant-id="${bobId}"] [data-testid="give-megaphone"]`).click();
    await expect.poll(async () => (await someone(bob, bobId))?.megaphone, { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await someone(ann, bobId))?.marks?.badges ?? [], { timeout: 10_000 }).toEqual(['hand', 'megaphone']);
    expect(await bob.locator(`li[data-participant-id="${bobId}"] img[alt="Bob has the megaphone"]`).count()).toBe(1);
    // Bob is no owner: he has no megaphone to hand out and no mute-all
    expect(await bob.getByTestId('give-megaphone').count()).toBe(0);
    expect(await bob.getByTestId('mute-all').isVisible()).toBe(false);
    expect(await ann.getByTestId('mute-all').isVisible()).toBe(true);
    await bob.getByTestId('raise-hand').click();
    await expect.poll(async () => (await someone(ann, bobId))?.hand, { timeout: 10_000 }).toBe(false);

    // Cat comes later, on a phone-sized window: she reads what was said, the chat folded to one row
    const cat = await e2e.openLobby('Cat');
    await cat.setViewportSize({ width: 390, height: 844 });
    await cat.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(cat);
    expect(await cat.getByTestId('chat-toggle').getAttribute('aria-expanded')).toBe('false');
    await ann.getByTestId('chat-input').fill('Cat is here');
    await ann.getByTestId('chat-input').press('Enter');
    await expect.poll(() => cat.getByTestId('chat-unread').textContent(), { timeout: 10_000 }).toBe('1');
    await screenshot(cat, 'social-phone-folded');
    await cat.getByTestId('chat-toggle').click();
    expect(await chatTexts(cat)).toEqual([hostile, 'Hello Ann', 'Cat is here']);
    expect(await cat.getByTestId('chat-unread').isVisible()).toBe(false);
    await screenshot(cat, 'social-phone-open');
    // on the phone, Talk works as on a desktop: Ann hears her
    const catId = await sessionId(cat);
    await cat.getByTestId('voice-button').click();
    await expect.poll(() => cat.evaluate(() => window.__dwc!.voiceState!()), { timeout: 10_000 }).toBe('talking');
    await expect
      .poll(async () => {
        const call = (await ann.evaluate(() => window.__dwc!.voiceCalls!())).find((c) => c.id === catId);
        return !!call && call.state === 'connected' && call.bytesReceived > 2000 && call.heard > 0.02;
      }, { timeout: 30_000, message: 'Ann hears Cat talking from her phone' })
      .toBe(true);
    expect(annId).not.toBe(bobId);
    expect(e2e.pageErrors).toEqual([]);
  });
});

const menu = async (page: Page) => (await xrProbe(page)).menu ?? null;
/** Points the right controller's ray at a menu button (the menu faces Ann, who looks down -Z) and pulls the trigger. */
async function press(page: Page, label: string): Promise<void> {
  const target = (await menu(page))?.buttons.find((b) => b.label === label);
  expect(target, `the menu shows "${label}"`).toBeTruthy();
  const [x, y, z] = target!.position;
  await moveControllerTo(page, 'right', [x, y, z + 0.25]);
  await page.waitForTimeout(200);
  await clickButton(page, 'right', 'trigger');
}

describe('talking from a headset', () => {
  it('Ann in VR reacts, raises her hand, answers from the menu, reads the chat, talks while X is held and goes to Bob', { timeout: 180_000 }, async () => {
    const ann = await e2e.openLobby('Ann', (page) => installXrEmulator(page));
    const worldId = await createWorld(ann, 'Headset talk');
    const annId = await sessionId(ann);
    const bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(bob);
    const bobId = await sessionId(bob);
    await bob.getByTestId('chat-input').fill('Hi from the desktop');
    await bob.getByTestId('chat-input').press('Enter');

    await enterXr(ann, 'vr');
    await expect.poll(async () => (await xrProbe(ann)).controllers.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await menu(ann)) !== null, { timeout: 20_000 }).toBe(true);
    await moveControllerTo(ann, 'left', [-0.2, 1.2, 1.6]);
    await clickButton(ann, 'left', 'y-button');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(true);
    await press(ann, 'Talk');
    await expect.poll(async () => (await menu(ann))?.rows ?? [], { timeout: 10_000 }).toContain('Bob: Hi from the desktop');

    // a reaction and a raised hand, seen over her avatar on Bob's desktop
    await press(ann, 'Celebrate');
    await expect.poll(async () => (await someone(bob, annId))?.marks?.bursts ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    await press(ann, 'Raise hand');
    await expect.poll(async () => (await someone(bob, annId))?.marks?.badges ?? [], { timeout: 10_000 }).toEqual(['hand']);
    await expect.poll(async () => (await menu(ann))?.buttons.map((b) => b.label) ?? [], { timeout: 10_000 }).toContain('Lower hand');
    // a quick reply reaches the chat
    await press(ann, 'Yes');
    await expect.poll(() => chatTexts(bob), { timeout: 10_000 }).toEqual(['Hi from the desktop', 'Yes']);
    await screenshot(ann, 'social-xr-talk');

    // held, the X button is push-to-talk: Bob, on his desktop nearby, hears her headset's voice;
    // let go, the microphone is muted again
    await bob.getByTestId('world-title').click();
    await setButton(ann, 'left', 'x-button', 1);
    await expect.poll(() => ann.evaluate(() => window.__dwc!.voiceState!()), { timeout: 10_000 }).toBe('talking');
    await expect
      .poll(async () => {
        const call = (await bob.evaluate(() => window.__dwc!.voiceCalls!())).find((c) => c.id === annId);
        return !!call && call.state === 'connected' && call.bytesReceived > 2000 && call.heard > 0.02;
      }, { timeout: 30_000, message: 'Bob hears Ann in VR while she holds X' })
      .toBe(true);
    await setButton(ann, 'left', 'x-button', 0);
    await expect.poll(() => ann.evaluate(() => window.__dwc!.voiceState!()), { timeout: 10_000 }).toBe('muted');

    // Go to from the People tab: she stands in front of Bob, and the menu steps away
    await press(ann, 'People');
    await press(ann, 'Go to');
    await expect.poll(async () => (await menu(ann))?.open, { timeout: 10_000 }).toBe(false);
    const bobHead = (await someone(ann, bobId))!.head;
    const head = (await xrProbe(ann)).head!;
    expect(Math.hypot(head[0] - bobHead[0], head[2] - bobHead[2])).toBeLessThan(1.8);
    expect(e2e.pageErrors).toEqual([]);
  });
});
