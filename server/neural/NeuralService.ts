/**
 * Neural commands on the server: hands a command from a world (or a device bridge) to the runs of
 * that world waiting at a `neural_trigger` step, each of which judges it by its own parameters;
 * fires the timeouts of those steps (from when each began waiting, so they survive a restart);
 * and keeps, in memory, who is streaming which sources right now.
 */
import { ErrorCode, type NeuralSourceKind } from '../../shared/protocol';
import { RunStatus } from '../../shared/model/workflow';
import { STEP_KIND } from '../../shared/model/stepKinds';
import type { WorkflowStore } from '../adapters/storage/WorkflowStore';
import type { RunEngine } from '../workflows/engine/Engine';
import type { RunRecord } from '../workflows/engine/runMachine';
import { NeuralTriggerParams, judgeNeuralCommand, type NeuralAnswer, type NeuralJudgement, type NeuralSpeaker } from '../workflows/steps/neuralTrigger';
import type { Logger } from '../log';

export interface NeuralCommandInput {
  worldId: string;
  /** Only this run; absent: every run of the world waiting for a neural command. */
  runId?: string;
  who: NeuralSpeaker;
  command: string;
  confidence: number;
  source: NeuralSourceKind;
}

export type NeuralCommandResult = { ok: true; runIds: string[] } | { ok: false; code: ErrorCode; message: string };

export interface NeuralSession {
  worldId: string;
  /** The participant's session id in the world, or `bridge:<user id>` for a device bridge. */
  participantId: string;
  name: string;
  userId?: string;
  sources: NeuralSourceKind[];
  since: string;
  updatedAt: string;
}

interface Waiting {
  run: RunRecord;
  stepId: string;
  params: NeuralTriggerParams;
}

export interface NeuralServiceOptions {
  store: WorkflowStore;
  /** The id of the account with this username or id; null when there is none. */
  accountOf(nameOrId: string): Promise<string | null>;
  engine: Pick<RunEngine, 'signal' | 'watchRuns'>;
  log: Logger;
  now?(): number;
  /** Told of each command's outcome, for the metrics. */
  observe?(source: string, outcome: 'accepted' | 'refused'): void;
}

/** Longest a timer is set for at once; longer waits are re-armed (setTimeout overflows past ~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class NeuralService {
  private readonly sessions = new Map<string, NeuralSession>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private off: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly o: NeuralServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Arms the timeouts of every run already waiting, and of each run that starts waiting later. */
  async start(): Promise<void> {
    this.off = this.o.engine.watchRuns((run) => void this.watch(run).catch((err: unknown) => this.o.log.warn({ err, runId: run.id }, 'could not arm a neural timeout')));
    for (const run of await this.o.store.listUnfinishedRuns()) await this.watch(run);
  }

  stop(): void {
    this.off?.();
    this.off = null;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Hands a command to the waiting runs; refused with the reason of the first that would not take it. */
  async command(input: NeuralCommandInput): Promise<NeuralCommandResult> {
    const result = await this.hand(input);
    this.o.observe?.(input.source, result.ok ? 'accepted' : 'refused');
    return result;
  }

  private async hand(input: NeuralCommandInput): Promise<NeuralCommandResult> {
    const waiting = (await this.waitingIn(input.worldId)).filter((w) => input.runId === undefined || w.run.id === input.runId);
    if (!waiting.length) {
      return { ok: false, code: ErrorCode.RUN_NOT_WAITING, message: input.runId ? 'That run is not waiting for a neural command.' : 'No run in this world is waiting for a neural command.' };
    }
    const accepted: string[] = [];
    let refusal: Extract<NeuralJudgement, { ok: false }> | null = null;
    for (const w of waiting) {
      const account = w.params.participant === undefined ? null : await this.o.accountOf(w.params.participant);
      const verdict = judgeNeuralCommand(w.params, input.who, input, account);
      if (!verdict.ok) {
        refusal ??= verdict;
        continue;
      }
      const answer: NeuralAnswer = {
        type: 'command',
        command: input.command,
        confidence: input.confidence,
        source: input.source,
        participant: input.who.name,
        ...(input.who.userId ? { userId: input.who.userId } : {}),
        at: this.now(),
      };
      // undefined when another command got there first
      if (await this.o.engine.signal(w.run.id, w.stepId, answer, STEP_KIND.NEURAL_TRIGGER)) accepted.push(w.run.id);
    }
    if (accepted.length) {
      this.o.log.info({ worldId: input.worldId, runs: accepted, command: input.command, source: input.source, who: input.who.name }, 'neural command accepted');
      return { ok: true, runIds: accepted };
    }
    return refusal ?? { ok: false, code: ErrorCode.RUN_NOT_WAITING, message: 'The run took another command first.' };
  }

  /** Records which sources a participant has on; an empty list ends their session. */
  reportSources(s: Omit<NeuralSession, 'since' | 'updatedAt'>): void {
    const key = `${s.worldId}/${s.participantId}`;
    if (!s.sources.length) {
      this.sessions.delete(key);
      return;
    }
    const at = new Date(this.now()).toISOString();
    const before = this.sessions.get(key);
    this.sessions.set(key, { ...s, since: before?.since ?? at, updatedAt: at });
  }

  /** Forgets a participant who left the world. */
  forget(worldId: string, participantId: string): void {
    this.sessions.delete(`${worldId}/${participantId}`);
  }

  listSessions(worldId?: string): NeuralSession[] {
    return [...this.sessions.values()].filter((s) => worldId === undefined || s.worldId === worldId);
  }

  /** Runs of the world's workflows waiting at a neural step: the world a run's input names counts for nothing. */
  private async waitingIn(worldId: string): Promise<Waiting[]> {
    const out: Waiting[] = [];
    const inWorld = new Map<string, boolean>();
    for (const run of await this.o.store.listUnfinishedRuns()) {
      if (run.status !== RunStatus.WAITING) continue;
      if (!inWorld.has(run.workflowId)) inWorld.set(run.workflowId, (await this.o.store.getWorkflow(run.workflowId))?.worldId === worldId);
      if (!inWorld.get(run.workflowId)) continue;
      const w = await this.waitingStep(run);
      if (w) out.push(w);
    }
    return out;
  }

  /** The neural_trigger step this run waits at, if it waits at one with no answer yet. */
  private async waitingStep(run: RunRecord): Promise<Waiting | undefined> {
    const index = run.steps.findIndex((s) => s.status === 'waiting' && !(s.stepId in run.signals));
    if (index < 0) return undefined;
    const version = await this.o.store.getVersion(run.workflowId, run.version);
    const spec = version?.definition.steps[index];
    if (!spec || spec.kind !== STEP_KIND.NEURAL_TRIGGER) return undefined;
    const params = NeuralTriggerParams.safeParse(spec.params);
    return params.success ? { run, stepId: spec.id, params: params.data } : undefined;
  }

  private async watch(run: RunRecord): Promise<void> {
    const w = run.status === RunStatus.WAITING ? await this.waitingStep(run) : undefined;
    const key = run.id;
    if (!w || w.params.timeoutSeconds === undefined) {
      const t = this.timers.get(key);
      if (t) clearTimeout(t);
      this.timers.delete(key);
      return;
    }
    if (this.timers.has(key) || !this.off) return;
    const step = run.steps.find((s) => s.stepId === w.stepId);
    const deadline = (step?.startedAt ?? run.updatedAt) + w.params.timeoutSeconds * 1000;
    this.arm(key, run.id, w.stepId, deadline);
  }

  private arm(key: string, runId: string, stepId: string, deadline: number): void {
    const delay = Math.max(0, deadline - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (delay >= MAX_TIMER_MS) return this.arm(key, runId, stepId, deadline);
      const answer: NeuralAnswer = { type: 'timeout', at: this.now() };
      this.o.engine.signal(runId, stepId, answer, STEP_KIND.NEURAL_TRIGGER).catch((err: unknown) => this.o.log.warn({ err, runId }, 'could not time out a neural step'));
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref?.();
    this.timers.set(key, timer);
  }
}
