/**
 * Watches devices' readings for `iot_trigger` steps: the runs waiting at one (each answered once, when
 * its condition fires, or when its time is up), and the workflows whose first step is one with
 * `startRuns` (a new run each time it fires). Watches are kept by device id, so a reading costs one
 * map look-up plus the few watches on its device; they are found again after a restart from the
 * stored workflows and runs, and a workflow's is re-armed each time the workflow changes.
 */
import { RunStatus } from '../../shared/model/workflow';
import { STEP_KIND } from '../../shared/model/stepKinds';
import type { Reading } from '../../shared/model/iot';
import type { DeviceRecord } from '../adapters/storage/IotStore';
import type { WorkflowRecord, WorkflowStore } from '../adapters/storage/WorkflowStore';
import type { WorkflowQuota } from '../http/workflowQuota';
import type { Logger } from '../log';
import { keyedSerial } from '../serial';
import type { RunEngine } from '../workflows/engine/Engine';
import type { RunRecord } from '../workflows/engine/runMachine';
import { IotTriggerParams, triggerRule, type FiredReading, type IotTriggerAnswer } from '../workflows/steps/iotTrigger';
import type { WorkflowService } from '../workflows/WorkflowService';
import { feed, initialState, type TriggerRule, type TriggerState } from './thresholds';

export interface IotTriggersOptions {
  store: Pick<WorkflowStore, 'listWorkflows' | 'getWorkflow' | 'getVersion' | 'listUnfinishedRuns'>;
  engine: Pick<RunEngine, 'signal' | 'watchRuns'>;
  /** Starts the runs a trigger fires, the way REST and schedules do. */
  workflows: Pick<WorkflowService, 'startRuns'>;
  /** The allowance those runs count against: the world's, as if one account started them. */
  quota: Pick<WorkflowQuota, 'charge'>;
  log: Logger;
  now?(): number;
}

interface Watch {
  deviceId: string;
  metric: string;
  rule: TriggerRule;
  state: TriggerState;
  /** Readings count only from devices of this world; null: the step checked its device before it waited. */
  worldId: string | null;
  /** The parameters it was armed with, so an edit that leaves them alone keeps its state. */
  params: string;
  fire(reading: FiredReading): void;
}

/** Longest a timer is set for at once; longer waits are re-armed (setTimeout overflows past ~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Definitions of workflow versions kept for looking up waiting steps; versions never change, so a cap is all that is needed. */
const DEFINITIONS_KEPT = 500;

export class IotTriggers {
  private readonly byDevice = new Map<string, Map<string, Watch>>();
  private readonly byKey = new Map<string, Watch>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly turns = keyedSerial();
  private readonly definitions = new Map<string, Array<{ id: string; kind: string; params?: unknown }>>();
  private readonly worlds = new Map<string, string | null>();
  private off: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly o: IotTriggersOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Arms every stored workflow's trigger and every waiting run's, then follows the runs as they change. */
  async start(): Promise<void> {
    this.off = this.o.engine.watchRuns((run) => this.runChanged(run));
    // the listing already holds each record: only those in a world can start runs, and none is read twice
    for (const w of await this.o.store.listWorkflows()) if (w.worldId) await this.turns.run(`workflow:${w.id}`, () => this.armWorkflow(w.id, w));
    for (const run of await this.o.store.listUnfinishedRuns()) await this.turns.run(`run:${run.id}`, () => this.watchRun(run));
  }

  stop(): void {
    this.off?.();
    this.off = null;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.byDevice.clear();
    this.byKey.clear();
  }

  /** How many watches are armed (runs and workflows). */
  get size(): number {
    return this.byKey.size;
  }

  /** A stored reading (IotService.onReading). */
  reading(device: Pick<DeviceRecord, 'id' | 'worldId'>, reading: Reading): void {
    const watches = this.byDevice.get(device.id);
    if (!watches) return;
    for (const w of [...watches.values()]) {
      const value = reading.values[w.metric];
      if (value === undefined || (w.worldId !== null && w.worldId !== device.worldId)) continue;
      const r = feed(w.rule, w.state, value);
      w.state = r.state;
      if (r.fired) w.fire({ device: device.id, metric: w.metric, value, at: reading.ts, kind: r.fired });
    }
  }

  /** Re-arms (or disarms) a workflow's trigger after it was created, edited, rolled back or removed. */
  workflowChanged(workflowId: string): Promise<void> {
    return this.turns.run(`workflow:${workflowId}`, async () => this.armWorkflow(workflowId, await this.o.store.getWorkflow(workflowId)));
  }

  /** Arms the workflow's trigger when its first step is an `iot_trigger` that starts runs, disarms it otherwise. */
  private async armWorkflow(workflowId: string, workflow: WorkflowRecord | undefined): Promise<void> {
    const key = `workflow:${workflowId}`;
    const version = workflow && (await this.o.store.getVersion(workflowId, workflow.currentVersion));
    const first = version?.definition.steps[0];
    const parsed = first?.kind === STEP_KIND.IOT_TRIGGER ? IotTriggerParams.safeParse(first.params) : undefined;
    // only a workflow in a world: its devices are that world's, and its changes are announced there
    if (!workflow?.worldId || !first || !parsed?.success || !parsed.data.startRuns) return this.unwatch(key);
    const params = JSON.stringify([first.id, parsed.data]);
    if (this.byKey.get(key)?.params === params) return;
    const worldId = workflow.worldId;
    this.watch(key, {
      deviceId: parsed.data.device,
      metric: parsed.data.metric,
      rule: triggerRule(parsed.data),
      // re-armed while the value is already past: nothing starts until it crosses again
      state: initialState('learn'),
      worldId,
      params,
      fire: (reading) => void this.startRun(workflowId, worldId, first.id, reading).catch((err: unknown) => this.o.log.warn({ err, workflowId }, 'a device trigger could not start a run')),
    });
    this.o.log.info({ workflowId, deviceId: parsed.data.device, metric: parsed.data.metric }, 'device trigger armed to start runs');
  }

  private async startRun(workflowId: string, worldId: string, stepId: string, reading: FiredReading): Promise<void> {
    await this.o.quota.charge({ kind: 'account', userId: `world:${worldId}` }, 1);
    const [run] = await this.o.workflows.startRuns(workflowId, { input: {} });
    // the reading is the first step's answer, not the run's input: a run started by hand cannot forge one
    const answer: IotTriggerAnswer = { type: 'reading', ...reading };
    if (run) await this.o.engine.signal(run.id, stepId, answer, STEP_KIND.IOT_TRIGGER);
    this.o.log.info({ workflowId, runId: run?.id, deviceId: reading.device, kind: reading.kind, value: reading.value }, 'device trigger started a run');
  }

  private runChanged(run: RunRecord): void {
    const key = `run:${run.id}`;
    // every change of every run passes here: only a waiting run, or one that was, is looked at further
    if (run.status !== RunStatus.WAITING && !this.byKey.has(key) && !this.timers.has(run.id)) return;
    this.turns.run(key, () => this.watchRun(run)).catch((err: unknown) => this.o.log.warn({ err, runId: run.id }, 'could not watch a device trigger'));
  }

  private async watchRun(run: RunRecord): Promise<void> {
    const key = `run:${run.id}`;
    const waiting = run.status === RunStatus.WAITING ? await this.waitingTrigger(run) : undefined;
    if (!waiting) {
      this.unwatch(key);
      this.clearTimer(run.id);
      return;
    }
    const { stepId, params } = waiting;
    if (!this.byKey.has(key)) {
      this.watch(key, {
        deviceId: params.device,
        metric: params.metric,
        rule: triggerRule(params),
        // a step waiting for "above 30" goes on at once when the value is already 35
        state: initialState('armed'),
        worldId: await this.worldOf(run.workflowId),
        params: JSON.stringify(params),
        fire: (reading) => {
          this.unwatch(key);
          this.answer(run.id, stepId, { type: 'reading', ...reading });
        },
      });
    }
    if (params.timeoutSeconds !== undefined && !this.timers.has(run.id)) {
      const began = run.steps.find((s) => s.stepId === stepId)?.startedAt ?? run.updatedAt;
      this.arm(run.id, stepId, began + params.timeoutSeconds * 1000);
    }
  }

  /** The iot_trigger step this run waits at with no answer yet, if it waits at one. */
  private async waitingTrigger(run: RunRecord): Promise<{ stepId: string; params: IotTriggerParams } | undefined> {
    const index = run.steps.findIndex((s) => s.status === 'waiting' && !(s.stepId in run.signals));
    if (index < 0) return undefined;
    const spec = (await this.stepsOf(run))?.[index];
    if (!spec || spec.kind !== STEP_KIND.IOT_TRIGGER) return undefined;
    const params = IotTriggerParams.safeParse(spec.params);
    return params.success ? { stepId: spec.id, params: params.data } : undefined;
  }

  private async stepsOf(run: RunRecord): Promise<Array<{ id: string; kind: string; params?: unknown }> | undefined> {
    const key = `${run.workflowId}@${run.version}`;
    let steps = this.definitions.get(key);
    if (!steps) {
      steps = (await this.o.store.getVersion(run.workflowId, run.version))?.definition.steps;
      if (!steps) return undefined;
      if (this.definitions.size >= DEFINITIONS_KEPT) this.definitions.clear();
      this.definitions.set(key, steps);
    }
    return steps;
  }

  /** A workflow's world (null: none); a workflow never moves, so it is kept. */
  private async worldOf(workflowId: string): Promise<string | null> {
    if (!this.worlds.has(workflowId)) {
      if (this.worlds.size >= DEFINITIONS_KEPT) this.worlds.clear();
      this.worlds.set(workflowId, (await this.o.store.getWorkflow(workflowId))?.worldId ?? null);
    }
    return this.worlds.get(workflowId) ?? null;
  }

  private answer(runId: string, stepId: string, answer: IotTriggerAnswer): void {
    this.clearTimer(runId);
    // undefined when the step took another answer first (its timeout): nothing more to do
    this.o.engine.signal(runId, stepId, answer, STEP_KIND.IOT_TRIGGER).catch((err: unknown) => this.o.log.warn({ err, runId }, 'could not answer a device trigger'));
  }

  private arm(runId: string, stepId: string, deadline: number): void {
    const delay = Math.max(0, deadline - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(runId);
      if (delay >= MAX_TIMER_MS) return this.arm(runId, stepId, deadline);
      this.unwatch(`run:${runId}`);
      this.answer(runId, stepId, { type: 'timeout', at: this.now() });
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref?.();
    this.timers.set(runId, timer);
  }

  private clearTimer(runId: string): void {
    const t = this.timers.get(runId);
    if (t) clearTimeout(t);
    this.timers.delete(runId);
  }

  private watch(key: string, w: Watch): void {
    this.unwatch(key);
    this.byKey.set(key, w);
    let watches = this.byDevice.get(w.deviceId);
    if (!watches) this.byDevice.set(w.deviceId, (watches = new Map()));
    watches.set(key, w);
  }

  private unwatch(key: string): void {
    const w = this.byKey.get(key);
    if (!w) return;
    this.byKey.delete(key);
    const watches = this.byDevice.get(w.deviceId);
    watches?.delete(key);
    if (watches?.size === 0) this.byDevice.delete(w.deviceId);
  }
}
