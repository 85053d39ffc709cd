/**
 * Schedules known to every process of a site: a schedule set or cleared through one process is put
 * in force in all of them (through the presence bus, which alone is this process only), so that
 * whichever process lives on keeps it. Each fire is claimed once (see Cluster.claimOnce).
 */
import { randomUUID } from 'node:crypto';
import type { Presence } from '@colyseus/core';
import type { WorkflowRecord } from '../adapters/storage/WorkflowStore';
import type { Logger } from '../log';
import type { Scheduler } from '../workflows/Scheduler';

const CHANNEL = 'workflows:schedules';

type Change = { from: string; workflow: Pick<WorkflowRecord, 'id' | 'schedule'> };

export interface SiteSchedules extends Pick<Scheduler, 'set'> {
  close(): Promise<void>;
}

export async function siteSchedules(scheduler: Scheduler, presence: Presence, log: Logger): Promise<SiteSchedules> {
  const me = randomUUID();
  const heard = (change: Change) => {
    if (change?.from === me || typeof change?.workflow?.id !== 'string') return;
    scheduler.set({ id: change.workflow.id, schedule: change.workflow.schedule ?? null });
  };
  await presence.subscribe(CHANNEL, heard);
  return {
    set(workflow) {
      scheduler.set(workflow);
      const change: Change = { from: me, workflow: { id: workflow.id, schedule: workflow.schedule ?? null } };
      Promise.resolve(presence.publish(CHANNEL, change)).catch((err: unknown) => log.warn({ err, workflowId: workflow.id }, 'a schedule change could not be told to the other processes'));
    },
    async close() {
      await presence.unsubscribe(CHANNEL, heard);
    },
  };
}
