/**
 * The camera source in a real Chromium whose camera is a real photograph of a person: a player with
 * a basketball, from OpenCV's sample pictures (`basketball1.png` in Debian's opencv-doc package,
 * examples/data; Apache-2.0/BSD-3-Clause), kept unchanged in e2e/fixtures. The test cuts that
 * player out of the picture and turns him into a Y4M video, which Chromium plays as its fake camera.
 *
 * Turning the camera on in the neural-input panel loads MediaPipe's wasm and the shipped pose model
 * from our own server, and the landmarks that come back must be those of a standing person. Nothing
 * may leave the machine: not the frames, and not the usage report the library tries to post to a
 * Google host (the page's Content-Security-Policy refuses it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PoseFrame } from '../client/neural/camera/CameraSource';
// declares window.__dwcCamera, which the page functions below read
import type {} from '../client/neural/camera/cameraToggle';
import { POSE } from '../client/neural/camera/poseGestures';
import { fakeCameraArgs, writeFakeCameraVideo } from './support/fakeCamera';
import { createWorld, screenshot, useE2e } from './support/harness';

// the player on the left of the picture, head to feet, without the second person on the right
const PLAYER = { x: 0, y: 0, width: 320, height: 480 };
const video = path.join(mkdtempSync(path.join(tmpdir(), 'dwc-camera-')), 'player.y4m');
writeFakeCameraVideo('e2e/fixtures/basketball1.png', video, { crop: PLAYER, frames: 10 });

// a busy machine can take a while to start the server beside a software-rendering browser
const e2e = useE2e({ timeoutMs: 60_000 }, { extraArgs: fakeCameraArgs(video) });

const cameraStatus = (page: Page) => page.evaluate(() => window.__dwcCamera?.status() ?? 'absent');

interface Refusal {
  uri: string;
  directive: string;
  /** The script that tried, as file:line:column. */
  where: string;
}

/** Records what the page's Content-Security-Policy refuses, to see what the page tried. */
async function watchPolicy(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const refused: Refusal[] = [];
    (window as unknown as { __refused: Refusal[] }).__refused = refused;
    document.addEventListener('securitypolicyviolation', (e) => refused.push({ uri: e.blockedURI, directive: e.effectiveDirective, where: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` }));
  });
}

const refusals = (page: Page) => page.evaluate(() => (window as unknown as { __refused: Refusal[] }).__refused);

describe('camera source', () => {
  it('runs the shipped pose model offline on a photograph of a person and finds his skeleton', { timeout: 420_000 }, async () => {
    const requests: string[] = [];
    const page = await e2e.openLobby('Cam', async (p) => {
      await watchPolicy(p);
      p.on('request', (r) => requests.push(r.url()));
    });
    await createWorld(page, 'Camera e2e');

    // off until the person turns it on: no camera, no model, no library fetched
    expect(await cameraStatus(page)).toBe('off');
    expect(requests.some((u) => u.includes('/neural/') || u.includes('vision_bundle'))).toBe(false);
    await page.getByTestId('neural-toggle').click();
    await page.getByTestId('camera-toggle').click();
    await expect
      .poll(async () => {
        const s = await cameraStatus(page);
        if (s === 'error') throw new Error(`the camera did not start: ${await page.evaluate(() => window.__dwcCamera!.error())}`);
        return s;
      }, { timeout: 240_000, interval: 1000 })
      .toBe('on');
    await expect.poll(() => page.getByTestId('camera-indicator').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('neural-indicator').textContent()).toContain('camera');

    // the model's first frames can take a while on a software-only CPU
    await expect.poll(() => page.evaluate(() => window.__dwcCamera!.lastPose() !== null), { timeout: 240_000, interval: 1000 }).toBe(true);
    const pose = (await page.evaluate(() => window.__dwcCamera!.lastPose())) as PoseFrame;
    await screenshot(page, 'camera-on');

    const p = pose.landmarks;
    expect(p).toHaveLength(33);
    const nose = p[POSE.nose]!;
    const shoulders = [p[POSE.leftShoulder]!, p[POSE.rightShoulder]!];
    const hips = [p[POSE.leftHip]!, p[POSE.rightHip]!];
    const ankles = [p[27]!, p[28]!];
    // a standing person, head up (image y grows downwards): nose above shoulders above hips above ankles
    for (const s of shoulders) expect(nose.y).toBeLessThan(s.y);
    for (const side of [0, 1]) {
      expect(shoulders[side]!.y).toBeLessThan(hips[side]!.y);
      expect(hips[side]!.y).toBeLessThan(ankles[side]!.y);
    }
    // the player stands in the left half of the cut-out, at about a fifth of its width
    expect(nose.x).toBeGreaterThan(0.05);
    expect(nose.x).toBeLessThan(0.6);
    // he faces the camera: his upper body is plainly visible
    for (const i of [POSE.nose, POSE.leftShoulder, POSE.rightShoulder]) expect(p[i]!.visibility ?? 0, `landmark ${i}`).toBeGreaterThan(0.8);

    // wasm and model came from this server
    expect(requests.some((u) => /\/neural\/mediapipe\/[^/]+\/wasm\/vision_wasm\w*\.wasm$/.test(u))).toBe(true);
    expect(requests.some((u) => u.endsWith('/neural/models/pose_landmarker_full.task'))).toBe(true);

    // off again: the indicator goes, and the library's farewell usage report goes nowhere
    await page.getByTestId('camera-toggle').click();
    await expect.poll(() => cameraStatus(page)).toBe('off');
    expect(await page.getByTestId('camera-indicator').isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('neural-indicator').textContent()).not.toContain('camera');
    // closing the model flushes the library's usage report towards a Google host; the policy refuses it
    await expect.poll(async () => (await refusals(page)).some((r) => r.directive === 'connect-src' && r.uri.includes('googleapis.com')), { timeout: 30_000 }).toBe(true);
    const refused = await refusals(page);
    // MediaPipe itself needed nothing the policy forbids: its only refusals are connections elsewhere
    expect(refused.filter((r) => r.where.includes('vision_bundle') && r.directive !== 'connect-src')).toEqual([]);
    expect(refused.filter((r) => r.directive === 'connect-src' && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.uri))).toEqual([]);

    const local = (u: string) => /^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u) || u.startsWith('data:') || u.startsWith('blob:');
    expect(requests.filter((u) => !local(u))).toEqual([]);
    expect(e2e.browser.blocked).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('says what to do when the camera is refused, and shows no indicator', { timeout: 180_000 }, async () => {
    // this browser grants its fake camera to every page; this page's person refuses it instead
    const page = await e2e.openLobby('Refuser', async (p) => {
      await p.addInitScript(() => {
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      });
    });
    await createWorld(page, 'Camera refused');
    await page.getByTestId('neural-toggle').click();
    await page.getByTestId('camera-toggle').click();
    await expect.poll(() => cameraStatus(page), { timeout: 60_000 }).toBe('error');
    const error = page.getByTestId('camera-error');
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain('Allow it for this site');
    expect(await page.getByTestId('camera-indicator').isVisible()).toBe(false);
    expect(await page.getByTestId('neural-indicator').textContent()).not.toContain('camera');
    expect(await page.getByTestId('camera-toggle').textContent()).toBe('Turn camera on');
  });
});
