/**
 * Render benchmark: a world of 200 document panels in headless Chromium, drawn by the product's
 * own panel code (shared face atlas, instanced boards and buttons), beside the same panels built
 * the naive way (own meshes, one material and one DynamicTexture per face) in the same run.
 * The product is also drawn as a stereo frame (both eyes in turn, as a headset without multiview
 * does) and held against the 72 Hz budget of a Quest-class headset. Draw calls and JS time per
 * frame come from Babylon's SceneInstrumentation, averaged over BENCH_FRAMES frames after a warm-up. Prints a table and writes bench/results/render.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/support/browser';
import { benchText } from './renderPage/content';
import type { FrameFigures } from './renderPage/main';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PANELS = Number(process.env.BENCH_PANELS ?? 200);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 120);
const WARMUP = 30;
/** Longest a page may take to draw every face before the run gives up. */
const BUILD_LIMIT_MS = 180_000;
/** Both by default; `BENCH_RENDER_MODES=product` measures only the product (while tuning it). */
const MODES = (process.env.BENCH_RENDER_MODES ?? 'product,naive').split(',').filter((m): m is 'product' | 'naive' => m === 'product' || m === 'naive');
/** Aim of the issue: the product draws 200 panels in fewer calls than this. */
const DRAW_CALL_AIM = 50;
/** One frame at 72 Hz, the refresh rate of a Quest-class headset. */
const STEREO_BUDGET_MS = 1000 / 72;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Builds the benchmark page (bench/renderPage) with Vite; it imports the client's panel code. */
async function buildPage(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: false, root: path.join(ROOT, 'bench/renderPage'), base: './', logLevel: 'error', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 8000 } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Serves the built page, and each bench document's content where the client fetches it. */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const doc = /^\/api\/v3\/documents\/doc(\d+)\/content$/.exec(url.pathname);
    if (doc) {
      res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' });
      return void res.end(benchText(Number(doc[1])));
    }
    const file = path.join(dir, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    try {
      if (!file.startsWith(dir)) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function runRenderBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dwc-render-bench-'));
  const shots = process.env.BENCH_SHOTS;
  await buildPage(dir);
  const server = await serve(dir);
  const browser = await launchBrowser();
  const figures: Record<'product' | 'naive' | 'stereo', FrameFigures | null> = { product: null, naive: null, stereo: null };
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // the product once more with both eyes drawn in turn, as a headset without multiview does
    const runs: Array<'product' | 'naive' | 'stereo'> = MODES.includes('product') ? [...MODES, 'stereo'] : [...MODES];
    for (const run of runs) {
      const mode = run === 'stereo' ? 'product' : run;
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}?mode=${mode}&panels=${PANELS}${run === 'stereo' ? '&stereo=1' : ''}`);
      await page.waitForFunction(() => !!window.__bench, null, { timeout: 60_000 });
      // a face that is never drawn fails the run instead of hanging it
      await Promise.race([
        page.evaluate(() => window.__bench!.ready),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`the ${mode} page did not draw every face within ${BUILD_LIMIT_MS / 1000} s`)), BUILD_LIMIT_MS).unref()),
      ]);
      if (errors.length) throw new Error(`the ${mode} page failed: ${errors.join('; ')}`);
      figures[run] = await page.evaluate(([frames, warmup]) => window.__bench!.measure(frames, warmup), [FRAMES, WARMUP] as const);
      if (shots) await page.screenshot({ path: path.join(shots, `render-${run}.png`) });
      if (shots && run === 'product') {
        await page.goto(`${base}?mode=product&panels=4&near=1`);
        await page.waitForFunction(() => !!window.__bench, null, { timeout: 60_000 });
        await page.evaluate(() => window.__bench!.ready);
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(shots, 'render-near.png') });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const product = figures.product;
  const naive = figures.naive;
  const stereo = figures.stereo;
  if (!product || !naive || !stereo) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return figures;
  }
  const result = {
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, renderer: 'headless Chromium, WebGL2 on SwiftShader (CPU)' },
    workload: { panels: PANELS, framesAveraged: FRAMES, warmupFrames: WARMUP, view: 'all panels in view, each a two-page Markdown document at the far resolution' },
    product,
    naive,
    ratio: {
      drawCalls: naive.drawCalls / product.drawCalls,
      frameMs: naive.frameMs / product.frameMs,
      allFacesSeconds: naive.buildSeconds / product.buildSeconds,
      nearestFacesSeconds: naive.nearestSeconds / product.nearestSeconds,
    },
    // a Quest-class headset refreshes at 72 Hz: the whole stereo frame has this long
    stereo: { ...stereo, budgetMs: STEREO_BUDGET_MS, withinBudget: stereo.frameMs < STEREO_BUDGET_MS },
    aim: { drawCallsBelow: DRAW_CALL_AIM, met: product.drawCalls < DRAW_CALL_AIM },
  };
  const gpu = (f: FrameFigures) => (f.gpuMs === null ? 'n/a' : fmt(f.gpuMs, 2));
  const rows: Array<[string, string, string, string]> = [
    ['draw calls per frame', fmt(product.drawCalls, 0), fmt(naive.drawCalls, 0), `${fmt(result.ratio.drawCalls, 1)}×`],
    ['JS time per frame (ms)', fmt(product.frameMs, 2), fmt(naive.frameMs, 2), `${fmt(result.ratio.frameMs, 1)}×`],
    ['  of which choosing meshes (ms)', fmt(product.evaluateMs, 2), fmt(naive.evaluateMs, 2), '—'],
    ['  of which issuing draws (ms)', fmt(product.renderMs, 2), fmt(naive.renderMs, 2), '—'],
    ['time between frames (ms)', fmt(product.interFrameMs, 1), fmt(naive.interFrameMs, 1), '—'],
    ['GPU time per frame (ms)', gpu(product), gpu(naive), '—'],
    ['active meshes', fmt(product.activeMeshes, 0), fmt(naive.activeMeshes, 0), '—'],
    ['textures / materials', `${product.textures} / ${product.materials}`, `${naive.textures} / ${naive.materials}`, '—'],
    ['time to all faces drawn (s)', fmt(product.buildSeconds, 1), fmt(naive.buildSeconds, 1), `${fmt(naive.buildSeconds / product.buildSeconds, 1)}×`],
    [`time to the nearest ${product.nearest} faces drawn (s)`, fmt(product.nearestSeconds, 1), fmt(naive.nearestSeconds, 1), `${fmt(naive.nearestSeconds / product.nearestSeconds, 1)}×`],
  ];
  process.stdout.write(`\nRender: ${PANELS} document panels in view, mean of ${FRAMES} frames after ${WARMUP} warm-up, ${result.machine.renderer}, ${result.machine.cores} cores (${result.machine.cpu})\n`);
  process.stdout.write(`${'figure'.padEnd(34)}${'product'.padStart(12)}${'naive'.padStart(12)}${'naive/product'.padStart(15)}\n`);
  for (const [k, a, b, r] of rows) process.stdout.write(`${k.padEnd(34)}${a.padStart(12)}${b.padStart(12)}${r.padStart(15)}\n`);
  process.stdout.write(
    `stereo frame (both eyes, no multiview): ${fmt(stereo.drawCalls, 0)} draw calls, ${fmt(stereo.frameMs, 2)} ms JS — ${result.stereo.withinBudget ? 'within' : 'OVER'} the ${fmt(STEREO_BUDGET_MS, 1)} ms budget of a 72 Hz headset\n`,
  );
  process.stdout.write(`aim: under ${DRAW_CALL_AIM} draw calls for ${PANELS} panels — ${result.aim.met ? 'met' : 'NOT met'}\n`);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/render.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runRenderBench().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
