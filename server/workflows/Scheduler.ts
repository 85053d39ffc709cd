/**
 * Starts runs of workflows on a schedule: a cron pattern (croner) or a fixed interval. Schedules
 * live on the workflow record, so they survive restarts; a time missed while the server was down
 * is not made up (the next one runs).
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { PRIORITIES } from '../../shared/model/workflow';
import type { WorkflowRecord } from '../adapters/storage/WorkflowStore';
import type { Logger } from '../log';
import { boundedJsonObject } from './boundedJson';

export const Schedule = z
  .strictObject({
    cron: z.string().min(9).max(120).optional(),
    everyMs: z.number().int().min(1000).max(31 * 86_400_000).optional(),
    input: boundedJsonObject().default({}),
    priority: z.enum(PRIORITIES).default('normal'),
  })
  .superRefine((s, ctx) => {
    if ((s.cron === undefined) === (s.everyMs === undefined)) ctx.addIssue({ code: 'custom', message: 'give either "cron" or "everyMs", not both' });
    const error = s.cron === undefined ? undefined : cronError(s.cron);
    if (error) ctx.addIssue({ code: 'custom', path: ['cron'], message: `the cron pattern is not valid: ${error}` });
  });
export type Schedule = z.output<typeof Schedule>;

function cronError(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true }).stop();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Fires looked at to find how close together a cron pattern starts runs. */
const SAMPLED_FIRES = 300;

/**
 * The shortest time a schedule leaves between two runs. For a cron pattern, the smallest gap
 * between its next few hundred fires: a pattern that fires in bursts (0,1 * * * * *) counts by its
 * bursts, not its average, and the fields repeat, so the closest gaps show up within that many.
 */
export function shortestGap(schedule: Schedule, from = new Date()): number {
  if (schedule.everyMs !== undefined) return schedule.everyMs;
  const cron = new Cron(schedule.cron!, { paused: true });
  const fires = cron.nextRuns(SAMPLED_FIRES, from);
  cron.stop();
  let gap = Infinity;
  for (let i = 1; i < fires.length; i++) gap = Math.min(gap, fires[i]!.getTime() - fires[i - 1]!.getTime());
  return gap;
}

/**
 * When a schedule next fires after `from`, or undefined if never. An interval fires at the clock's
 * multiples of it (every 5 minutes: :00, :05 …), so every process of a site names the same moments.
 */
export function nextFire(schedule: Schedule, from: Date): Date | undefined {
  if (schedule.everyMs !== undefined) return new Date((Math.floor(from.getTime() / schedule.everyMs) + 1) * schedule.everyMs);
  const cron = new Cron(schedule.cron!, { paused: true });
  const next = cron.nextRun(from) ?? undefined;
  cron.stop();
  return next;
}

export class Scheduler {
  private readonly jobs = new Map<string, { stop(): void }>();

  constructor(
    /** `at`: the moment this fire was due, the same in every process that keeps the schedule. */
    private readonly fire: (workflowId: string, schedule: Schedule, at: Date) => Promise<void>,
    private readonly log: Logger,
    /** Schedules that would start runs closer together than this are not put in force. */
    private readonly minIntervalMs = 0,
  ) {}

  /** Puts a workflow's schedule in force (or removes it when it has none). */
  set(workflow: Pick<WorkflowRecord, 'id' | 'schedule'>): void {
    this.jobs.get(workflow.id)?.stop();
    this.jobs.delete(workflow.id);
    const parsed = workflow.schedule ? Schedule.safeParse(workflow.schedule) : undefined;
    if (!parsed?.success) return;
    const schedule = parsed.data;
    // one stored before the limit existed, or under a lower one, does not run more often than allowed now
    if (shortestGap(schedule) < this.minIntervalMs) {
      this.log.warn({ workflowId: workflow.id, minIntervalMs: this.minIntervalMs }, 'schedule fires more often than allowed; not running it');
      return;
    }
    const run = (at: Date): void => {
      this.fire(workflow.id, schedule, at).catch((err: unknown) => this.log.error({ err, workflowId: workflow.id }, 'scheduled run could not start'));
    };
    if (schedule.cron !== undefined) {
      const cron = new Cron(schedule.cron, { protect: true }, (self: Cron) => run(self.currentRun() ?? new Date()));
      this.jobs.set(workflow.id, { stop: () => cron.stop() });
    } else {
      let timer: NodeJS.Timeout;
      // from the moment just fired, not the clock: a timer woken a millisecond early must not name it again
      const next = (after: number) => {
        const at = nextFire(schedule, new Date(Math.max(Date.now(), after)))!;
        timer = setTimeout(() => {
          run(at);
          next(at.getTime());
        }, at.getTime() - Date.now());
      };
      next(0);
      this.jobs.set(workflow.id, { stop: () => clearTimeout(timer) });
    }
  }

  stopAll(): void {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
  }
}
