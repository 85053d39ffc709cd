import { describe, expect, it } from 'vitest';
import { XR_PROFILES_PATH } from '../../shared/xrProfiles';
import { useServer } from '../testing/useServer';

const server = useServer();
const get = (p: string) => fetch(`${server().url}${XR_PROFILES_PATH}${p}`);

describe('controller models for VR, served by this server', () => {
  it('lists only the profiles it serves, and serves their profile and models', async () => {
    const list = (await (await get('/profiles/profilesList.json')).json()) as Record<string, { path: string }>;
    expect(Object.keys(list)).toContain('meta-quest-touch-plus');
    expect(Object.keys(list)).toContain('generic-hand');
    expect(Object.keys(list)).not.toContain('htc-vive');
    const profile = (await (await get('/profiles/meta-quest-touch-plus/profile.json')).json()) as { profileId: string };
    expect(profile.profileId).toBe('meta-quest-touch-plus');
    const model = await get('/profiles/meta-quest-touch-plus/left.glb');
    expect(model.status).toBe(200);
    expect(model.headers.get('content-type')).toContain('model/gltf-binary');
    // a glb starts with the ASCII magic "glTF"
    expect(Buffer.from(await model.arrayBuffer()).subarray(0, 4).toString('ascii')).toBe('glTF');
  });

  it('refuses profiles it does not serve and anything that is not a profile file', async () => {
    for (const p of ['/profiles/htc-vive/profile.json', '/profiles/generic-hand/..%2F..%2Fpackage.json', '/profiles/generic-hand/README.md', '/profiles/generic-hand/nope.glb']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
    }
  });
});
