/**
 * Two people talk in a world: Ann presses Talk (a fake microphone plays a steady tone) and Bob,
 * standing near her, receives her voice over WebRTC and hears it through the panner at her avatar;
 * muted, it is silent; out of earshot the call is hung up. Real
 * Chromium, real WebRTC between two pages, signalled through the real server.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fakeMicrophoneArgs, writeToneWav } from './support/fakeMicrophone';
import { createWorld, SHOTS, screenshot, sessionId, useE2e, waitReady } from './support/harness';

const tone = path.join(SHOTS, 'voice-tone.wav');
mkdirSync(SHOTS, { recursive: true });
writeToneWav(tone, { hz: 440, seconds: 2, amplitude: 0.5 });
const e2e = useE2e({}, { extraArgs: fakeMicrophoneArgs(tone) });

const calls = (page: Page) => page.evaluate(() => window.__dwc!.voiceCalls!());
const eye = async (page: Page) => (await page.evaluate(() => window.__dwc!.view())).eye;

/** Holds a key until the eye has got past `z` (in the direction of travel), or a while passes. */
async function walkTo(page: Page, key: string, past: (z: number) => boolean): Promise<void> {
  // the view walks on keys while it has the focus (a button pressed last keeps it otherwise)
  await page.locator('canvas').first().focus();
  await page.keyboard.down(key);
  const until = Date.now() + 20_000;
  while (!past((await eye(page))[2]) && Date.now() < until) await page.waitForTimeout(50);
  await page.keyboard.up(key);
}

/** Bob's view of Ann's voice: the one call's bytes and level, polled until `ok`. */
async function heardUntil(bob: Page, annId: string, ok: (c: { bytesReceived: number; heard: number; state: string }) => boolean, what: string) {
  await expect
    .poll(
      async () => {
        const c = (await calls(bob)).find((x) => x.id === annId);
        // the call as last seen, when it is not yet as wanted
        return c && ok(c) ? 'as wanted' : `not yet: ${JSON.stringify(c ?? null)}`;
      },
      { timeout: 30_000, message: what },
    )
    .toBe('as wanted');
  return (await calls(bob)).find((x) => x.id === annId)!;
}

describe('voice', () => {
  it('Bob hears Ann near her, hears nothing while she is muted, and the call ends out of earshot', async () => {
    const ann = await e2e.openLobby('Ann');
    const worldId = await createWorld(ann, 'Talking room');
    const annId = await sessionId(ann);
    const bob = await e2e.openLobby('Bob');
    await bob.locator(`[data-testid="world-item"][data-world-id="${worldId}"]`).click({ timeout: 15_000 });
    await waitReady(bob);
    // sound starts only after the person does something on the page
    await bob.getByTestId('world-title').click();
    expect(await bob.evaluate(() => window.__dwc!.voiceState!())).toBe('listening');

    await ann.getByTestId('voice-button').click();
    await expect.poll(() => ann.evaluate(() => window.__dwc!.voiceState!()), { timeout: 10_000 }).toBe('talking');
    expect(await ann.getByTestId('voice-button').textContent()).toBe('Mute');
    await heardUntil(bob, annId, (c) => c.state === 'connected' && c.bytesReceived > 2000 && c.heard > 0.02, 'Ann heard near Bob');
    await screenshot(bob, 'voice-near');

    // muted: the call stays, the voice goes quiet
    await ann.getByTestId('voice-button').click();
    expect(await ann.getByTestId('voice-button').textContent()).toBe('Unmute');
    await heardUntil(bob, annId, (c) => c.heard < 0.002, 'silence while Ann is muted');
    await ann.getByTestId('voice-button').click();
    await heardUntil(bob, annId, (c) => c.heard > 0.02, 'Ann heard again once unmuted');
    // each walks away from the other (people arrive facing -z; s walks to +z)
    const apart = async () => {
      const [a, b] = [await eye(ann), await eye(bob)];
      return Math.hypot(a[0] - b[0], a[2] - b[2]);
    };
    const away = { key: (await eye(bob))[2] >= (await eye(ann))[2] ? 's' : 'w' };
    // each walks to the wall on their side: out of earshot, the call is hung up on both sides
    const back = away.key === 's';
    await walkTo(bob, away.key, (z) => (back ? z > 6.5 : z < -6.5));
    await walkTo(ann, back ? 'w' : 's', (z) => (back ? z < -6.5 : z > 6.5));
    expect(await apart(), 'Ann and Bob out of earshot').toBeGreaterThan(12.5);
    await expect.poll(async () => (await calls(bob)).length, { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await calls(ann)).length, { timeout: 15_000 }).toBe(0);
    expect(e2e.pageErrors).toEqual([]);
  });
});
