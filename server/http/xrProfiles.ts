/**
 * Serves the controller and hand models of the WebXR input profiles the client may need, from the
 * npm package, under the path Babylon's controller repository is pointed at. Only the listed
 * profiles, only their profile.json and .glb files, and a profile list trimmed to match.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { XR_PROFILES } from '../../shared/xrProfiles';

const FILE = /^[a-z0-9-]+\.(json|glb)$/;

function profilesDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@webxr-input-profiles/assets/package.json');
  return path.join(path.dirname(pkg), 'dist', 'profiles');
}

/** The profile list Babylon reads first, limited to the profiles this server has. */
export function servedProfilesList(dir: string): Record<string, unknown> {
  const all = JSON.parse(readFileSync(path.join(dir, 'profilesList.json'), 'utf8')) as Record<string, unknown>;
  const served: Record<string, unknown> = {};
  for (const id of XR_PROFILES) {
    if (all[id] && existsSync(path.join(dir, id, 'profile.json'))) served[id] = all[id];
  }
  return served;
}

/** Mount under XR_PROFILES_PATH; answers /profiles/profilesList.json and /profiles/<id>/<file>. */
export function xrProfilesRouter(): Router {
  const dir = profilesDir();
  const list = servedProfilesList(dir);
  const allowed = new Set<string>(Object.keys(list));
  const router = express.Router({ caseSensitive: true });
  router.get('/profiles/profilesList.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.json(list);
  });
  router.get('/profiles/:id/:file', (req, res) => {
    const { id, file } = req.params;
    if (!allowed.has(id) || !FILE.test(file) || !existsSync(path.join(dir, id, file))) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'No such controller model here.' });
      return;
    }
    res.sendFile(path.join(dir, id, file), { maxAge: '1d', headers: { 'Content-Type': file.endsWith('.glb') ? 'model/gltf-binary' : 'application/json' } });
  });
  return router;
}
