/**
 * `npm run dev`: the server (restarted on change) and Vite's dev server with hot reload, side by
 * side. Open the URL Vite prints; the client talks to the server on PORT (default 2567).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT || '2567';
const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], { cwd: ROOT, stdio: 'inherit', env: {
      ...process.env,
      PORT: port,
      // the page comes from Vite's dev server, a different origin than the API's
      CORS_ORIGINS: process.env.CORS_ORIGINS || 'http://localhost:5173,http://127.0.0.1:5173',
    },
  }),
  spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, VITE_SERVER_URL: process.env.VITE_SERVER_URL || `http://localhost:${port}` },
  }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', () => { stop(); process.exitCode = c.exitCode ?? 0; });
