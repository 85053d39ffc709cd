/**
 * The load generator process: runs the bots of one scenario in worker threads, drives the phases
 * (join, warm up, measure, stop) and prints what the bots measured as one `RESULT {json}` line.
 * The orchestrator runs it as its own process, pinned away from the server, and samples the
 * server's CPU around the `WINDOW_START` / `WINDOW_END` lines it prints.
 */
import { Worker } from 'node:worker_threads';
import { newLedgerBuffers, Ledger, now } from './ledger';
import type { BotResult, BotSpec, TargetKind, WorkerInput } from './bots';
import { deliveryRatio, perSecond, spread, type Spread } from './stats';

export interface GeneratorInput {
  target: TargetKind;
  url: string;
  worldId?: string;
  bots: number;
  decoders: number;
  workers: number;
  sendHz: number;
  dragHz: number;
  /** The server's tick, for the delivery ratio (Infinity for a relay). */
  tickHz: number;
  areaHalf: number;
  /** Spread the joins over this many ms. */
  joinSpreadMs: number;
  warmupMs: number;
  measureMs: number;
  docs?: string[];
  workflow?: { id: string; everyMs: number };
  /** One bot sends poses as fast as it can instead of at the normal rate, until the server cuts it off. */
  flood?: boolean;
}

export interface GeneratorResult {
  joined: number;
  joinFailures: string[];
  joinMs: Spread;
  latencyMs: Spread;
  docLatencyMs: Spread;
  delivery: number;
  /** Time between two near poses of the same person while near: the promise is every patch for the nearest, every second for the rest. */
  nearGapMs: Spread;
  /** Millimetres between the drawn (interpolated) and the real position at each near pose not received. */
  interpolationErrorMm: Spread;
  /** How many others a decoder saw at full rate (median over decoders). */
  fullRatePeers: number;
  unmatched: number;
  stateErrors: string[];
  /** Bots whose connection the server closed during the run. */
  cutOff: number;
  downBytesPerClientPerSec: number;
  upBytesPerClientPerSec: number;
  maxDownBytesPerClientPerSec: number;
  framesPerClientPerSec: number;
  windowMs: number;
}

const line = (s: string) => process.stdout.write(`${s}\n`);

export async function generate(cfg: GeneratorInput): Promise<GeneratorResult> {
  const docs = cfg.docs ?? [];
  const ledgerBuffers = newLedgerBuffers(cfg.bots + docs.length);
  const ledger = new Ledger(ledgerBuffers);
  const docSlots = Object.fromEntries(docs.map((id, i) => [id, cfg.bots + i]));
  const specs: BotSpec[][] = Array.from({ length: cfg.workers }, () => []);
  // decoders are spread over the crowd (and the workers) so they see it from different places
  const decoderEvery = Math.max(1, Math.floor(cfg.bots / Math.max(1, cfg.decoders)));
  for (let slot = 0; slot < cfg.bots; slot++) {
    const spec: BotSpec = {
      slot,
      decoder: slot % decoderEvery === 0 && slot / decoderEvery < cfg.decoders,
      joinDelayMs: (slot / cfg.bots) * cfg.joinSpreadMs,
    };
    // the last bots drag the documents (they are not decoders unless the crowd is tiny)
    const d = cfg.bots - 1 - slot;
    if (d < docs.length) spec.dragDoc = { id: docs[d]!, ledgerSlot: cfg.bots + d };
    if (cfg.flood && slot === cfg.bots - 1) spec.flood = true;
    if (cfg.workflow && slot === cfg.bots - 1 - docs.length) spec.runs = { workflowId: cfg.workflow.id, everyMs: cfg.workflow.everyMs };
    specs[slot % cfg.workers]!.push(spec);
  }
  const workers = specs.map(
    (bots) =>
      new Worker(new URL('./botWorker.mjs', import.meta.url), {
        workerData: {
          target: cfg.target,
          url: cfg.url,
          worldId: cfg.worldId,
          bots,
          ledger: ledgerBuffers,
          sendHz: cfg.sendHz,
          dragHz: cfg.dragHz,
          areaHalf: cfg.areaHalf,
          docSlots,
          // a flooding client that was cut off keeps its seat for the reconnection window
          expectedBots: cfg.bots,
        } satisfies WorkerInput,
      }),
  );
  const next = (w: Worker, type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        w.off('message', onMessage);
        resolve(m);
      };
      w.on('message', onMessage);
      w.once('error', reject);
    });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  await Promise.all(workers.map((w) => (w.postMessage({ type: 'join' }), next(w, 'joined'))));
  line('JOINED');
  for (const w of workers) w.postMessage({ type: 'go' });
  await sleep(cfg.warmupMs);
  const sentBefore = Array.from({ length: cfg.bots }, (_, s) => ledger.sentBy(s));
  for (const w of workers) w.postMessage({ type: 'measure' });
  const start = now();
  line('WINDOW_START');
  await sleep(cfg.measureMs);
  const results = workers.map((w) => next(w, 'results'));
  const closed = workers.map((w) => next(w, 'closed'));
  for (const w of workers) w.postMessage({ type: 'stop' });
  const windowMs = now() - start;
  line('WINDOW_END');
  const sentInWindow = Array.from({ length: cfg.bots }, (_, s) => ledger.sentBy(s) - sentBefore[s]!);
  const bots = (await Promise.all(results)).flatMap((m) => m.results as BotResult[]);
  for (const w of workers) w.postMessage({ type: 'close' });
  await Promise.race([Promise.all(closed), sleep(5000)]);
  await Promise.all(workers.map((w) => w.terminate()));

  const ok = bots.filter((b) => !b.joinError);
  const decoders = ok.filter((b) => b.decoder);
  // each decoder could see the poses of every bot it saw at full rate: all the others, or in a
  // crowded world with interest management, those near it
  const possible = decoders.reduce((sum, d) => sum + (d.seenSlots ?? []).reduce((s, slot) => s + sentInWindow[slot]!, 0), 0);
  const fullRatePeers = spread(decoders.map((d) => d.seenSlots?.length ?? 0));
  const seen = decoders.reduce((sum, d) => sum + (d.seen ?? 0), 0);
  const down = ok.map((b) => perSecond(b.bytesDown, windowMs));
  return {
    joined: ok.length,
    joinFailures: bots.filter((b) => b.joinError).map((b) => b.joinError!).slice(0, 5),
    joinMs: spread(ok.map((b) => b.joinMs)),
    latencyMs: spread(decoders.flatMap((d) => d.latencies ?? [])),
    docLatencyMs: spread(decoders.flatMap((d) => d.docLatencies ?? [])),
    delivery: deliveryRatio(seen, possible, cfg.sendHz, cfg.tickHz),
    nearGapMs: spread(decoders.flatMap((d) => d.nearGaps ?? [])),
    interpolationErrorMm: spread(decoders.flatMap((d) => d.interpolationErrorsMm ?? [])),
    fullRatePeers: fullRatePeers.p50,
    unmatched: decoders.reduce((sum, d) => sum + (d.unmatched ?? 0), 0),
    stateErrors: decoders.flatMap((d) => d.stateErrors ?? []).slice(0, 10),
    cutOff: ok.filter((b) => b.cutOff).length,
    downBytesPerClientPerSec: down.reduce((a, b) => a + b, 0) / Math.max(1, down.length),
    maxDownBytesPerClientPerSec: Math.max(0, ...down),
    upBytesPerClientPerSec: ok.reduce((a, b) => a + perSecond(b.bytesUp, windowMs), 0) / Math.max(1, ok.length),
    framesPerClientPerSec: ok.reduce((a, b) => a + perSecond(b.framesDown, windowMs), 0) / Math.max(1, ok.length),
    windowMs,
  };
}

// run as a process: the scenario comes as JSON in argv[2]
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const cfg = JSON.parse(process.argv[2]!) as GeneratorInput;
  generate({ ...cfg, tickHz: cfg.tickHz || Infinity })
    .then((r) => {
      line(`RESULT ${JSON.stringify(r)}`);
      process.exit(0);
    })
    .catch((err) => {
      process.stderr.write(`generator failed: ${(err as Error)?.stack ?? err}\n`);
      process.exit(1);
    });
}
