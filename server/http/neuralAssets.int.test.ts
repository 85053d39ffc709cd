import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEURAL_ASSETS_PATH, type NeuralAssetsDescription } from '../../shared/neuralAssets';
import { useServer } from '../testing/useServer';
import { shippedPoseModel } from './neuralAssets';

const VISION_VERSION = (JSON.parse(readFileSync('node_modules/@mediapipe/tasks-vision/package.json', 'utf8')) as { version: string }).version;

describe('camera assets with nothing configured', () => {
  const server = useServer();
  const get = (p: string) => fetch(`${server().url}${NEURAL_ASSETS_PATH}${p}`);

  it('describes the versioned wasm folder and only the shipped pose model', async () => {
    const res = await get('/config');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const config = (await res.json()) as NeuralAssetsDescription;
    expect(config.wasmBase).toBe(`${NEURAL_ASSETS_PATH}/mediapipe/${VISION_VERSION}/wasm`);
    expect(config.models).toEqual({ pose: `${NEURAL_ASSETS_PATH}/models/pose_landmarker_full.task` });
  });

  it('serves the wasm binary and its loader from the package, cached for good under the version', async () => {
    const wasm = await get(`/mediapipe/${VISION_VERSION}/wasm/vision_wasm_internal.wasm`);
    expect(wasm.status).toBe(200);
    // instantiateStreaming insists on this type
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect([...new Uint8Array(await wasm.arrayBuffer()).subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
    const loader = await get(`/mediapipe/${VISION_VERSION}/wasm/vision_wasm_internal.js`);
    expect(loader.headers.get('content-type')).toContain('text/javascript');
    expect(await loader.text()).toContain('ModuleFactory');
  });

  it('serves the pose model shipped in assets/', async () => {
    const res = await get('/models/pose_landmarker_full.task');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('etag')).toBeTruthy();
    expect((await res.arrayBuffer()).byteLength).toBe(statSync(shippedPoseModel()).size);
  });

  it('refuses other versions, other files, paths that climb out, and models it has not got', async () => {
    for (const p of [
      '/mediapipe/0.0.1/wasm/vision_wasm_internal.wasm',
      `/mediapipe/${VISION_VERSION}/wasm/README.md`,
      `/mediapipe/${VISION_VERSION}/wasm/..%2F..%2Fpackage.json`,
      `/mediapipe/${VISION_VERSION}/wasm/..%2Fvision_bundle.mjs`,
      '/models/..%2Fpackage.json',
      '/models/hand_landmarker.task',
      '/models/gesture_recognizer.task',
    ]) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, p).toBe('NOT_FOUND');
    }
    const missing = (await (await get('/models/face_landmarker.task')).json()) as { error: { message: string } };
    expect(missing.error.message).toContain('NEURAL_FACE_MODEL');
  });

  it('lets only this origin use the camera and microphone, and lets pages connect to no other host', async () => {
    const page = await fetch(`${server().url}/`);
    expect(page.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(page.headers.get('permissions-policy')).toContain('microphone=(self)');
    expect(page.headers.get('permissions-policy')).toContain('geolocation=()');
    const connect = /connect-src ([^;]*)/.exec(page.headers.get('content-security-policy') ?? '')?.[1] ?? '';
    expect(connect.split(' ').sort()).toEqual(["'self'", 'blob:', 'data:']);
  });
});

describe('camera assets with gesture and face models configured', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dwc-models-'));
  const gestureFile = path.join(dir, 'my-gestures.task');
  const faceBytes = Buffer.from('a stand-in for a face model '.repeat(1000));
  writeFileSync(gestureFile, Buffer.from('a stand-in for a gesture model'));
  let upstream: Server;
  let upstreamHits = 0;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      upstreamHits++;
      if (req.url === '/face.task') return void res.end(faceBytes);
      res.statusCode = 500;
      res.end('broken');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    // filled in before useServer's beforeAll below boots the server with it
    Object.assign(env, { CORS_ORIGINS: 'http://localhost:5173', NEURAL_GESTURE_MODEL: gestureFile, NEURAL_FACE_MODEL: `${base}/face.task`, NEURAL_POSE_MODEL: `${base}/missing.task` });
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  const server = useServer({ env });
  const get = (p: string, init?: RequestInit) => fetch(`${server().url}${NEURAL_ASSETS_PATH}${p}`, init);

  it('lists every configured model at this server', async () => {
    const config = (await (await get('/config')).json()) as NeuralAssetsDescription;
    expect(config.models).toEqual({
      pose: `${NEURAL_ASSETS_PATH}/models/pose_landmarker_full.task`,
      gesture: `${NEURAL_ASSETS_PATH}/models/gesture_recognizer.task`,
      face: `${NEURAL_ASSETS_PATH}/models/face_landmarker.task`,
    });
  });

  it('answers pages from the configured other origins (the dev server) and no others', async () => {
    const loader = `/mediapipe/${VISION_VERSION}/wasm/vision_wasm_internal.js`;
    const dev = await get(loader, { headers: { origin: 'http://localhost:5173' } });
    expect(dev.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await get(loader, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves a model file from its configured path', async () => {
    const res = await get('/models/gesture_recognizer.task');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('a stand-in for a gesture model');
  });

  it('fetches a URL model once, keeps it, and serves it from here', async () => {
    const hitsBefore = upstreamHits;
    for (let i = 0; i < 3; i++) {
      const res = await get('/models/face_landmarker.task');
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(faceBytes)).toBe(true);
    }
    expect(upstreamHits - hitsBefore).toBe(1);
  });

  it('answers a clear error when a URL model cannot be fetched', async () => {
    const res = await get('/models/pose_landmarker_full.task');
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('pose model could not be fetched');
    // the reason goes to the log, which is written a moment later
    await expect.poll(() => server().output()).toContain('could not fetch the configured neural model');
  });
});
