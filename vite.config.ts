import { defineConfig } from 'vite';
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from './server/http/hardening';

/**
 * The server's policy for pages served by the dev server too, so what the product refuses (the
 * usage reports MediaPipe posts to another host, any other stray request) is refused while
 * developing as well. The page also talks to the API server on its own port.
 */
function devPolicy(apiUrl: string): string {
  const api = new URL(apiUrl);
  const socket = `${api.protocol === 'https:' ? 'wss' : 'ws'}://${api.host}`;
  const directives: Record<string, readonly string[] | null> = { ...CONTENT_SECURITY_POLICY, connectSrc: [...CONTENT_SECURITY_POLICY.connectSrc, api.origin, socket] };
  return Object.entries(directives)
    .filter((entry): entry is [string, readonly string[]] => entry[1] !== null)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join('; ');
}

// The client lives in client/ and imports shared/ from the repository root.
export default defineConfig({
  root: 'client',
  publicDir: false,
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    sourcemap: true,
  },
  server: {
    port: 5173,
    // In development the client talks to the server directly (see client/net/endpoint.ts), and
    // `npm run dev` lets this origin through the server's CORS, so the port must not wander.
    strictPort: true,
    headers: {
      'Content-Security-Policy': devPolicy(process.env.VITE_SERVER_URL || 'http://localhost:2567'),
      'Permissions-Policy': PERMISSIONS_POLICY,
    },
  },
});
