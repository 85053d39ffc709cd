/**
 * Two people talk in a world: Ann presses Talk (a fake microphone plays a steady tone) and Bob,
 * standing near her, receives her voice over WebRTC and hears it through the panner at her avatar,
 * less of it from further off; muted, it is silent; out of earshot the call is hung up; with the
 * megaphone she is heard across the room at full strength; her "mute all" silences Bob. Real
 * Chromium, real WebRTC between two pages, signalled through the real server.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { VoiceCallProbe } from '../client/voice/VoiceChat';
import { describe, expect, it } from 'vitest';
import { fakeMicrophoneArgs, writeToneWav } from './support/fakeMicrophone';
import { createWorld, SHOTS, screenshot, sessionId, signUp, useE2e, waitReady } from './support/harness';

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
async function heardUntil(bob: Page, annId: string, ok: (c: VoiceCallProbe) => boolean, what: string) {
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
  it('Bob hears Ann near her, quieter further off, nothing while she is muted, the call ends out of earshot; the megaphone carries her across the room; mute all', { timeout: 180_000 }, async () => {
    const ann = await e2e.openLobby('Ann');
    // signed in, Ann owns the world: she hands out the megaphone and mutes everyone later
    await signUp(ann, 'ann');
    await ann.getByTestId('world-guests').selectOption('editor');
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
    const near = await heardUntil(bob, annId, (c) => c.state === 'connected' && c.bytesReceived > 2000 && c.heard > 0.02, 'Ann heard near Bob');
    await screenshot(bob, 'voice-near');
    // how much of her voice reaches his ears (after the panner) of what arrives: the same stream, so
    // the microphone's own gain control does not enter into it
    const reach = (c: { heard: number; spoken: number }) => c.heard / Math.max(1e-6, c.spoken);
    const nearReach = reach(near);

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
    // Ann steps back too, to some 8 m apart: still within earshot, further off, and quieter
    const bobZ = (await eye(bob))[2];
    await walkTo(ann, back ? 'w' : 's', (z) => (back ? z < bobZ - 8 : z > bobZ + 8));
    const farOff = await apart();
    expect(farOff).toBeGreaterThan(5);
    expect(farOff).toBeLessThan(10);
    await bob.waitForTimeout(600);
    const far = await heardUntil(bob, annId, (c) => c.spoken > 0.02, 'Ann still heard from further off');
    expect(reach(far), `reach near ${nearReach.toFixed(3)}, ${farOff.toFixed(1)} m off ${reach(far).toFixed(3)}`).toBeLessThan(nearReach * 0.75);
    await walkTo(ann, back ? 'w' : 's', (z) => (back ? z < -6.5 : z > 6.5));
    expect(await apart(), 'Ann and Bob out of earshot').toBeGreaterThan(12.5);
    await expect.poll(async () => (await calls(bob)).length, { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await calls(ann)).length, { timeout: 15_000 }).toBe(0);

    // with the megaphone, Ann is heard across the room, at full strength
    await ann.locator(`li[data-participant-id="${annId}"] [data-testid="give-megaphone"]`).click();
    const loud = await heardUntil(bob, annId, (c) => c.state === 'connected' && c.everywhere && c.spoken > 0.02 && c.heard > 0.02, 'Ann heard across the room through the megaphone');
    expect(reach(loud)).toBeGreaterThan(nearReach * 0.75);

    // Bob talks too; Ann mutes everyone: his microphone goes quiet and he is told why
    await bob.getByTestId('voice-button').click();
    await expect.poll(() => bob.evaluate(() => window.__dwc!.voiceState!()), { timeout: 10_000 }).toBe('talking');
    await ann.getByTestId('mute-all').click();
    await expect.poll(() => bob.evaluate(() => window.__dwc!.voiceState!()), { timeout: 10_000 }).toBe('muted');
    expect(await bob.getByTestId('voice-button').textContent()).toBe('Unmute');
    expect(await ann.evaluate(() => window.__dwc!.voiceState!())).toBe('talking');
    expect(e2e.pageErrors).toEqual([]);
  });
});
