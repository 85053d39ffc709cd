/**
 * Benchmark probe: what a load test needs to see from inside a server process, at no cost when it
 * is off. It records how long each state fan-out took and watches event-loop delay; the benchmark
 * reads and resets both through {@link probeRoute} between its warm-up and measured windows.
 * Also used by the benchmark's baseline servers, so every server is measured the same way.
 */
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Request, Response } from 'express';

/** Fan-out timings kept between two reads; enough for minutes at 60 patches a second. */
const MAX_SAMPLES = 50_000;

export interface ProbeReading {
  /** Milliseconds each fan-out (encode + send to every client) took, in order. */
  fanoutMs: number[];
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

export class BenchProbe {
  private samples: number[] = [];
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
  }

  /** Times one fan-out and returns what it returned. */
  time<T>(fanout: () => T): T {
    const start = performance.now();
    try {
      return fanout();
    } finally {
      if (this.samples.length < MAX_SAMPLES) this.samples.push(performance.now() - start);
    }
  }

  /** Everything since the last read, then starts afresh. */
  read(): ProbeReading {
    const ns = (v: number) => (Number.isFinite(v) ? v / 1e6 : 0);
    const reading = {
      fanoutMs: this.samples,
      eventLoopP50Ms: ns(this.loop.percentile(50)),
      eventLoopP99Ms: ns(this.loop.percentile(99)),
      eventLoopMaxMs: ns(this.loop.max),
    };
    this.samples = [];
    this.loop.reset();
    return reading;
  }
}

/**
 * A CPU profile of this process over a window the benchmark chooses (the V8 sampling profiler,
 * through the inspector: nothing runs while it is off). One at a time.
 */
export class CpuProfiler {
  private session: Session | null = null;
  private giveUp: NodeJS.Timeout | undefined;

  /** A profile nobody stops is given up after `maxMs`, so its samples cannot grow without end. */
  constructor(private readonly maxMs = 120_000) {}

  async start(): Promise<void> {
    if (this.session) throw new Error('a profile is already being recorded');
    const session = new Session();
    session.connect();
    this.session = session;
    await session.post('Profiler.enable');
    // one sample every 250 µs: at 1,000 people a tick's work is a few milliseconds
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
    this.giveUp = setTimeout(() => {
      this.stop().catch(() => undefined);
    }, this.maxMs);
    this.giveUp.unref();
  }

  /** The profile since start, in the `.cpuprofile` format Chrome's DevTools open. */
  async stop(): Promise<unknown> {
    const session = this.session;
    if (!session) throw new Error('no profile is being recorded');
    this.session = null;
    clearTimeout(this.giveUp);
    try {
      return (await session.post('Profiler.stop')).profile;
    } finally {
      session.disconnect();
    }
  }
}

/** POST handlers starting and stopping a profile (the stop answers with the profile). */
export function profileRoutes(profiler: CpuProfiler) {
  const answer = (res: Response, work: Promise<unknown>) =>
    work.then(
      (body) => res.json(body ?? { started: true }),
      (err: unknown) => res.status(409).json({ error: String((err as Error)?.message ?? err) }),
    );
  return {
    start: (_req: Request, res: Response) => answer(res, profiler.start()),
    stop: (_req: Request, res: Response) => answer(res, profiler.stop()),
  };
}

/** GET handler serving a probe's reading as JSON (and resetting it). */
export function probeRoute(probe: BenchProbe) {
  return (_req: Request, res: Response) => {
    res.json(probe.read());
  };
}
