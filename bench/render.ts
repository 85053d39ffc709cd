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
/** The issue's aim for a 3D world to load on the LAN: time to the first frame with its kit. */
const WORLD_LOAD_AIM_S = 2;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.glb': 'model/gltf-binary', '.png': 'image/png' };
const KITS = path.join(ROOT, 'assets/kits');
type Run = 'product' | 'naive' | 'stereo' | 'office' | 'officeStereo' | 'officeAlone';
/** Each run: the page's mode and what else its address asks for. */
const RUNS: Record<Run, { mode: 'product' | 'naive'; query: string }> = {
  product: { mode: 'product', query: '' },
  naive: { mode: 'naive', query: '' },
  stereo: { mode: 'product', query: '&stereo=1' },
  office: { mode: 'product', query: '&world=office' },
  officeStereo: { mode: 'product', query: '&world=office&stereo=1' },
  // the world's own load, with no documents drawing on the same thread
  officeAlone: { mode: 'product', query: '&world=office&panels=0' },
};

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

/** Serves the built page, each bench document's content where the client fetches it, and the prop kits as the server does. */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const doc = /^\/api\/v3\/documents\/doc(\d+)\/content$/.exec(url.pathname);
    if (doc) {
      res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' });
      return void res.end(benchText(Number(doc[1])));
    }
    const kit = url.pathname.startsWith('/assets/kits/');
    const from = kit ? KITS : dir;
    const file = path.join(from, path.normalize(kit ? url.pathname.slice('/assets/kits'.length) : url.pathname === '/' ? '/index.html' : url.pathname));
    try {
      if (!file.startsWith(from)) throw new Error('outside');
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

/** The bare room and the furnished office side by side, with the office's load and what it draws. */
function printWorld(bare: FrameFigures, bareStereo: FrameFigures, office: FrameFigures, officeStereo: FrameFigures, alone: NonNullable<FrameFigures['world']>): void {
  const load = office.world!;
  const seconds = (w: NonNullable<FrameFigures['world']>) => (w.loadSeconds === null ? 'never' : fmt(w.loadSeconds, 2));
  const rows: Array<[string, string, string]> = [
    ['draw calls per frame, mono', fmt(bare.drawCalls, 0), fmt(office.drawCalls, 0)],
    ['draw calls per frame, stereo', fmt(bareStereo.drawCalls, 0), fmt(officeStereo.drawCalls, 0)],
    ['JS time per frame, mono (ms)', fmt(bare.frameMs, 2), fmt(office.frameMs, 2)],
    ['JS time per frame, stereo (ms)', fmt(bareStereo.frameMs, 2), fmt(officeStereo.frameMs, 2)],
    ['active meshes', fmt(bare.activeMeshes, 0), fmt(office.activeMeshes, 0)],
    ['time to all faces drawn (s)', fmt(bare.buildSeconds, 1), fmt(office.buildSeconds, 1)],
    ['world load time, with the panels (s)', '—', seconds(load)],
    [`  slowest model (s): ${load.slowestModel}`, '—', fmt(load.slowestModelMs / 1000, 2)],
    ['world load time, no panels (s)', '—', seconds(alone)],
    [`  slowest model (s): ${alone.slowestModel}`, '—', fmt(alone.slowestModelMs / 1000, 2)],
  ];
  process.stdout.write(`\nWorld: ${PANELS} panels in the bare room, and in the office with its environment (${load.environmentMeshes} meshes) and ${load.props} props of ${load.kinds} kinds\n`);
  process.stdout.write(`${'figure'.padEnd(40)}${'bare room'.padStart(12)}${'office'.padStart(12)}\n`);
  for (const [k, a, b] of rows) process.stdout.write(`${k.padEnd(40)}${a.padStart(12)}${b.padStart(12)}\n`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  process.stdout.write(
    `aims for the office: under ${DRAW_CALL_AIM} draw calls mono ${verdict(office.drawCalls < DRAW_CALL_AIM)}, stereo ${verdict(officeStereo.drawCalls < DRAW_CALL_AIM)}; ` +
      `stereo JS ${fmt(officeStereo.frameMs, 2)} ms ${officeStereo.frameMs < STEREO_BUDGET_MS ? 'within' : 'OVER'} the ${fmt(STEREO_BUDGET_MS, 1)} ms budget; ` +
      `world alone loaded ${alone.loadSeconds !== null && alone.loadSeconds < WORLD_LOAD_AIM_S ? 'within' : 'OVER'} ${WORLD_LOAD_AIM_S} s\n`,
  );
  const boxes = [...new Set([...load.boxes, ...alone.boxes])];
  if (boxes.length) process.stdout.write(`models that did not load (drawn as boxes): ${boxes.join(', ')}\n`);
  const drawn = office.drawn.map((m) => `${m.name}${m.subMeshes > 1 ? ` (${m.subMeshes} draws)` : ''}${m.instances ? ` ×${m.instances}` : ''}`);
  process.stdout.write(`office meshes drawn, one draw call each per eye unless said: ${drawn.join(', ')}\n`);
}

export async function runRenderBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dwc-render-bench-'));
  const shots = process.env.BENCH_SHOTS;
  await buildPage(dir);
  const server = await serve(dir);
  const browser = await launchBrowser();
  const figures: Record<Run, FrameFigures | null> = { product: null, naive: null, stereo: null, office: null, officeStereo: null, officeAlone: null };
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // the product once more with both eyes drawn in turn, as a headset without multiview does, then
    // the same in the furnished office
    const runs: Run[] = MODES.includes('product') ? [...MODES, 'stereo', 'office', 'officeStereo', 'officeAlone'] : [...MODES];
    for (const run of runs) {
      const { mode, query } = RUNS[run];
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const missing: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) missing.push(`${r.status()} ${new URL(r.url()).pathname}`);
      });
      await page.goto(`${base}?mode=${mode}${query.includes('panels=') ? '' : `&panels=${PANELS}`}${query}`);
      await page.waitForFunction(() => !!window.__bench, null, { timeout: 60_000 });
      // a face that is never drawn fails the run instead of hanging it
      await Promise.race([
        page.evaluate(() => window.__bench!.ready),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`the ${mode} page did not draw every face within ${BUILD_LIMIT_MS / 1000} s`)), BUILD_LIMIT_MS).unref()),
      ]);
      if (errors.length) throw new Error(`the ${run} page failed: ${errors.join('; ')}`);
      if (missing.length) throw new Error(`the ${run} page asked for what the bench does not serve: ${missing.join(', ')}`);
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
  const office = figures.office;
  const officeStereo = figures.officeStereo;
  const alone = figures.officeAlone?.world;
  if (!product || !naive || !stereo || !office || !officeStereo || !office.world || !alone) {
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
    // the same panels in the office template with its environment and props, beside the bare room
    world: {
      bare: { mono: product, stereo: stereo },
      office: { mono: office, stereo: officeStereo },
      load: { withPanels: office.world, alone, aimSeconds: WORLD_LOAD_AIM_S, met: alone.loadSeconds !== null && alone.loadSeconds < WORLD_LOAD_AIM_S },
      aims: {
        drawCallsBelow: DRAW_CALL_AIM,
        monoMet: office.drawCalls < DRAW_CALL_AIM,
        stereoMet: officeStereo.drawCalls < DRAW_CALL_AIM,
        stereoWithinBudget: officeStereo.frameMs < STEREO_BUDGET_MS,
      },
    },
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
  printWorld(product, stereo, office, officeStereo, alone);
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
