/**
 * The run list: runs of this world's chains (the newest the world keeps), unfinished ones first;
 * clicking one shows its step-by-step log from the server, so finished runs stay browsable.
 */
import { h, replaceChildren } from '../ui/kit/dom';
import { orderRuns } from './stepLook';
import { getRun, type RunDetail } from './workflowApi';
import { inBackground } from '../ui/kit/background';

export interface RunRow {
  id: string;
  workflowName: string;
  status: string;
  documentTitle: string;
  updatedAt: number;
  progress: { done: number; total: number };
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

export interface RunActions {
  cancel(runId: string): void;
  /** Approves or rejects a run waiting at an approval step. */
  answer(runId: string, approved: boolean): void;
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export class RunListPanel {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'wf-runs', 'data-testid': 'run-list' });
  private readonly detail = h('div', { class: 'wf-run-detail', 'data-testid': 'run-detail' });
  private readonly heading = h('summary', {}, 'Runs');
  private shown: string | null = null;

  constructor(private readonly actions: RunActions) {
    this.element = h('details', { class: 'wf-run-panel', 'data-testid': 'run-panel', hidden: true }, this.heading, this.list, this.detail);
  }

  update(rows: readonly RunRow[]): void {
    this.element.hidden = rows.length === 0;
    const active = rows.filter((r) => !FINISHED.has(r.status)).length;
    this.heading.textContent = active ? `Runs · ${active} in progress` : `Runs · ${rows.length}`;
    replaceChildren(
      this.list,
      ...orderRuns(rows).map((r) => {
        const open = h(
          'button',
          { type: 'button', class: 'secondary', 'data-testid': 'run-item', 'data-run-id': r.id, 'data-status': r.status },
          h('span', { class: `wf-dot wf-${r.status}` }),
          `${r.workflowName}${r.documentTitle ? ` on ${r.documentTitle}` : ''} — ${r.status} (${r.progress.done}/${r.progress.total}) ${time(r.updatedAt)}`,
        );
        open.addEventListener('click', () => inBackground(this.show(r.id), 'Opening the run'));
        const item = h('li', {}, open);
        const act = (label: string, title: string, testId: string, fn: () => void) => {
          const b = h('button', { type: 'button', class: 'secondary', title, 'aria-label': title, 'data-testid': testId }, label);
          b.addEventListener('click', fn);
          item.append(b);
        };
        if (r.status === 'waiting') {
          act('✓', 'Approve', 'run-approve', () => this.actions.answer(r.id, true));
          act('✗', 'Reject', 'run-reject', () => this.actions.answer(r.id, false));
        }
        if (!FINISHED.has(r.status)) act('■', 'Cancel this run', 'run-cancel', () => this.actions.cancel(r.id));
        return item;
      }),
    );
    if (this.shown && rows.some((r) => r.id === this.shown)) inBackground(this.show(this.shown), 'Refreshing the run');
  }

  private async show(runId: string): Promise<void> {
    this.shown = runId;
    let run: RunDetail;
    try {
      run = await getRun(runId);
    } catch (err) {
      replaceChildren(this.detail, h('p', { class: 'error' }, err instanceof Error ? err.message : 'Could not load the run.'));
      return;
    }
    if (this.shown !== runId) return;
    replaceChildren(
      this.detail,
      h('p', {}, `Run ${run.id} · version ${run.version} · ${run.status}`),
      h('ol', { class: 'wf-run-steps' }, ...run.steps.map((s) => h('li', { 'data-testid': 'run-step', 'data-status': s.status }, `${s.stepId}: ${s.status}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}${s.error ? ` — ${s.error.message}` : ''}`))),
      h('ul', { class: 'wf-log', 'data-testid': 'run-log' }, ...run.log.map((l) => h('li', {}, `${time(l.at)} ${l.stepId ? `[${l.stepId}] ` : ''}${l.message}`))),
    );
  }

  dispose(): void {
    this.element.remove();
  }
}
