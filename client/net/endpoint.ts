/**
 * Where the server is. In production the server serves this page, so it is the page's own origin;
 * under the Vite dev server the page comes from another port and talks to the server directly.
 */
export function serverUrl(): string {
  // MODE, not DEV: DEV follows NODE_ENV, which a build started from a test runner sets to "test"
  if (import.meta.env.MODE === 'development') {
    const configured = import.meta.env.VITE_SERVER_URL as string | undefined;
    return (configured ?? 'http://localhost:2567').replace(/\/+$/, '');
  }
  return location.origin;
}
