/**
 * Tells the workflow views which part of the room state changed, from the state's own change
 * callbacks: nothing is compared on a timer, and poses, which change the state far more often,
 * wake nothing here.
 */
import type { StateCallbacks } from '../net/session';

export type WatchedPart = 'workflows' | 'runs' | 'documents';

export interface StateWatchListener {
  changed(part: WatchedPart): void;
  /** A step of a run has this status now; called for every patch that touches the step. */
  stepStatus(runId: string, stepId: string, status: string): void;
}

/** Unsubscribe functions per watched object, so a removed one stops being heard. */
class Subscriptions {
  private readonly byItem = new Map<object, (() => void)[]>();

  add(item: object, ...offs: (() => void)[]): void {
    this.byItem.set(item, [...(this.byItem.get(item) ?? []), ...offs]);
  }

  drop(item: object): void {
    for (const off of this.byItem.get(item) ?? []) off();
    this.byItem.delete(item);
  }

  dropAll(): void {
    for (const item of [...this.byItem.keys()]) this.drop(item);
  }
}

/** Watches the workflows, runs and document titles of the room state; returns the unsubscribe function. */
export function watchWorkflowState(callbacks: StateCallbacks, listener: StateWatchListener): () => void {
  const subs = new Subscriptions();
  const changed = (part: WatchedPart) => () => listener.changed(part);
  const offs = [
    callbacks.onAdd('workflows', (w) => {
      subs.add(w, callbacks.onChange(w, changed('workflows')));
      listener.changed('workflows');
    }),
    callbacks.onRemove('workflows', (w) => {
      subs.drop(w);
      listener.changed('workflows');
    }),
    callbacks.onAdd('documents', (d) => {
      subs.add(d, callbacks.listen(d, 'title', changed('documents'), false));
      listener.changed('documents');
    }),
    callbacks.onRemove('documents', (d) => {
      subs.drop(d);
      listener.changed('documents');
    }),
    callbacks.onAdd('runs', (r, runId) => {
      subs.add(
        r,
        callbacks.onChange(r, changed('runs')),
        callbacks.onAdd(r, 'steps', (s) => {
          const seen = () => {
            listener.stepStatus(runId, s.id, s.status);
            listener.changed('runs');
          };
          seen();
          subs.add(r, callbacks.onChange(s, seen));
        }),
      );
      listener.changed('runs');
    }),
    callbacks.onRemove('runs', (r) => {
      subs.drop(r);
      listener.changed('runs');
    }),
  ];
  return () => {
    for (const off of offs) off();
    subs.dropAll();
  };
}
