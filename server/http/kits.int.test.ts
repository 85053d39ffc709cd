import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROP_CATALOGUE } from '../../shared/model/props';
import { KITS_PATH, kitsRouter } from './kits';

let server: Server;
let base = '';

beforeAll(async () => {
  const app = express();
  app.use(KITS_PATH, kitsRouter());
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${KITS_PATH}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('the prop kit route', () => {
  it('serves every catalogue model as a binary glTF that browsers may keep', async () => {
    for (const { file } of Object.values(PROP_CATALOGUE)) {
      const res = await fetch(`${base}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toBe('model/gltf-binary');
      expect(res.headers.get('cache-control')).toMatch(/max-age=86400/);
      expect(new Uint8Array(await res.arrayBuffer()).subarray(0, 4)).toEqual(new Uint8Array([0x67, 0x6c, 0x54, 0x46]));
    }
  });

  it('serves the palette as a PNG and nothing else in or outside the folder', async () => {
    expect((await fetch(`${base}/palette.png`)).headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${base}/missing.glb`)).status).toBe(404);
    expect((await fetch(`${base}/../../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/README.md`)).status).toBe(404);
  });
});
