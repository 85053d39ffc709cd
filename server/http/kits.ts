/**
 * The prop catalogue's models (`assets/kits/*.glb` and their palette), served at `/assets/kits` so
 * every world can be furnished with nothing fetched from elsewhere. They change only with a
 * release, so browsers may keep them a day; files outside the folder cannot be reached.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

export const KITS_PATH = '/assets/kits';
const KITS_DIR = fileURLToPath(new URL('../../assets/kits', import.meta.url));

const TYPES: Record<string, string> = { '.glb': 'model/gltf-binary', '.png': 'image/png' };

export function kitsRouter(dir: string = KITS_DIR): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  // only the kinds of file the catalogue is made of: anything else in the folder stays private
  router.use((req, res, next) => {
    if (!TYPES[path.extname(req.path).toLowerCase()]) return void res.status(404).end();
    next();
  });
  router.use(
    express.static(dir, {
      index: false,
      dotfiles: 'deny',
      fallthrough: false,
      maxAge: '1d',
      setHeaders: (res, file) => res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'),
    }),
  );
  return router;
}
