/**
 * What every e2e file needs: a built client, a real server process, the system Chromium, and a way
 * to open the lobby as a named person while collecting that page's errors. One harness per file;
 * `restart()` stops the server and boots a new one on the same data and port.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ensureClientBuild } from '../../scripts/ensureClientBuild.mjs';
import { bootServer, type BootedServer, type BootOptions } from '../../server/testing/bootServer';
import type { DocumentProbe, NoteProbe, ParticipantProbe } from '../../client/testing/testHook';
import { launchBrowser, type LaunchOptions, type TestBrowser } from './browser';
import { colourStats, decodePng } from './png';

export const SHOTS = path.resolve('test-results/e2e');

export interface Harness {
  readonly server: BootedServer;
  readonly browser: TestBrowser;
  /** Uncaught errors from every page opened through `openLobby`, prefixed with the person's name. */
  readonly pageErrors: string[];
  /** console.error lines from those pages. */
  readonly consoleErrors: string[];
  /** `prepare` runs on the new page before it loads (e.g. to add init scripts such as an XR emulator). */
  openLobby(name: string, prepare?: (page: Page) => Promise<void>): Promise<Page>;
  /** Stops the server (`kill`: like a crash) and boots another on the same data directory and port. */
  restart(opts?: { kill?: boolean }): Promise<BootedServer>;
}

export interface HarnessOptions {
  /**
   * Keep the pages open from one test to the next, closing them when the file ends: for a
   * scenario told as steps (see `scenarioSteps`), where each step goes on from the pages the
   * one before left.
   */
  pagesOutliveTests?: boolean;
}

/** Registers beforeAll/afterAll for the calling file and returns the harness they fill in. */
export function useE2e(boot: BootOptions = {}, launch: LaunchOptions = {}, opts: HarnessOptions = {}): Harness {
  let server: BootedServer | undefined;
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const dataDirs = new Set<BootedServer>();
  // pages of a finished test would go on rendering in software GL and starve the next test's server
  const contexts = new Set<BrowserContext>();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureClientBuild({ quiet: true });
    server = await bootServer(boot);
    dataDirs.add(server);
    browser = await launchBrowser(launch);
  });

  const closePages = async () => {
    const open = [...contexts];
    contexts.clear();
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  };
  if (!opts.pagesOutliveTests) afterEach(closePages);

  afterAll(async () => {
    await closePages();
    await browser?.close();
    await server?.stop();
    for (const s of dataDirs) s.cleanup();
  });

  const harness: Harness = {
    get server() {
      if (!server) throw new Error('the e2e server is not up yet');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the e2e browser is not up yet');
      return browser;
    },
    pageErrors,
    consoleErrors,
    async openLobby(name, prepare) {
      const context = await harness.browser.newContext();
      contexts.add(context);
      const page = await context.newPage();
      await prepare?.(page);
      page.on('pageerror', (e) => {
        pageErrors.push(`${name}: ${e.message}`);
        // where it was thrown, for the log of a failed run: the assertion compares the messages only
        process.stderr.write(`page error in ${name}'s page: ${e.stack ?? e.message}\n`);
      });
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(`${name}: ${m.text()}`);
      });
      await page.goto(harness.server.url);
      await page.getByTestId('display-name').fill(name);
      return page;
    },
    async restart({ kill = false } = {}) {
      const old = harness.server;
      await old.stop({ kill });
      server = await bootServer({ ...boot, dataDir: old.dataDir, env: { ...boot.env, PORT: String(old.port) } });
      return server;
    },
  };
  return harness;
}

export const waitReady = (page: Page) => page.waitForFunction(() => window.__dwc?.ready() === true, null, { timeout: 30_000 });
export const sessionId = (page: Page) => page.evaluate(() => window.__dwc!.sessionId());
export const participants = (page: Page) => page.evaluate(() => window.__dwc!.participants()) as Promise<ParticipantProbe[]>;
export const documents = (page: Page) => page.evaluate(() => window.__dwc!.documents()) as Promise<DocumentProbe[]>;
export const notes = (page: Page) => page.evaluate(() => window.__dwc!.notes()) as Promise<NoteProbe[]>;

/** Saves a screenshot under test-results/e2e and returns its colour statistics. */
export async function screenshot(page: Page, name: string) {
  const png = await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  return colourStats(decodePng(png));
}

/** Creates a world from the lobby and waits until the page is in it; returns the world id. */
export async function createWorld(page: Page, name: string): Promise<string> {
  await page.getByTestId('world-name').fill(name);
  await page.getByTestId('create-world').click();
  // the lobby either moves to the new world or shows why it could not create it
  const outcome = await page.waitForFunction(
    () => (/^#\/w\/[A-Za-z0-9_-]+$/.test(location.hash) ? 'entered' : document.querySelector('.create-form .error')?.textContent || false),
    null,
    { timeout: 30_000 },
  );
  const result = (await outcome.jsonValue()) as string;
  if (result !== 'entered') throw new Error(`the lobby could not create "${name}": ${result}`);
  await waitReady(page);
  return /#\/w\/([A-Za-z0-9_-]+)$/.exec(page.url())![1]!;
}

/** Signs up from the lobby's account card and waits until the page says who is signed in. */
export async function signUp(page: Page, username: string, password = 'a long enough password'): Promise<void> {
  await page.getByTestId('account-username').fill(username);
  await page.getByTestId('account-password').fill(password);
  await page.getByTestId('sign-up').click();
  await expect.poll(() => page.getByTestId('signed-in-as').textContent().catch(() => ''), { timeout: 10_000 }).toBe(`Signed in as ${username} `);
}

/**
 * One scenario told as named steps: each step is a test of its own, so a failure names what
 * broke. Steps run in the order given (tests in a file run one after another) and go on from
 * what the earlier ones left, so once one fails the rest are skipped rather than failing for it.
 */
export function scenarioSteps() {
  let failed: string | undefined;
  return (title: string, body: () => Promise<void>, timeoutMs?: number) =>
    it(title, { timeout: timeoutMs }, async (ctx) => {
      if (failed) ctx.skip(`it goes on from "${failed}", which failed`);
      try {
        await body();
      } catch (err) {
        failed = title;
        throw err;
      }
    });
}
