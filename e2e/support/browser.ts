/**
 * The system Chromium, driven by playwright-core (it cannot download browsers here), headless with
 * WebGL2 through SwiftShader. Every request that leaves this machine is aborted and recorded, so a
 * test can assert that the product works offline and phones home to no one.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own storage, like a separate person) that may only talk to this machine. */
  newContext(): Promise<BrowserContext>;
  /** Requests to other hosts that were attempted and aborted. */
  blocked: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Flags added to the usual ones, e.g. a fake camera (see fakeCamera.ts). */
  extraArgs?: readonly string[];
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}. The e2e tests drive a real browser: install it ` +
        '(Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  // launch() gives the browser a fresh temporary profile of its own, removed when it closes
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...(opts.extraArgs ?? [])], headless: true });
  const blocked: string[] = [];
  return {
    browser,
    blocked,
    async newContext() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname)) return route.continue();
        blocked.push(url.href);
        return route.abort('blockedbyclient');
      });
      return context;
    },
    async close() {
      await browser.close();
    },
  };
}
