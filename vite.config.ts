import { defineConfig } from 'vite';

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
  },
});
