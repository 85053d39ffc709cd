/**
 * Where a workflow loses time: pick one of the workflows you may look at, and see its runs, success
 * rate, each step's p50/p95 and share of run time (as a bar), its failures by code, the commonest
 * reasons runs failed, and what the server suggests doing about them.
 */
import { h, replaceChildren } from '../ui/kit/dom';
import { workflowInsight, workflows, type WorkflowInsight } from './analyticsApi';
import { duration, errorText, figure } from './parts';
import type { Range } from './range';

export function workflowCard(): { element: HTMLElement; refresh(range: Range): Promise<void> } {
  const picker = h('select', { id: 'dash-workflow', 'data-testid': 'dash-workflow' });
  const body = h('div', { 'data-testid': 'workflow-insight' });
  const label = h('label', { for: 'dash-workflow' }, 'Workflow');
  const element = h('section', { class: 'card dash-wide' }, h('h2', {}, 'Workflows: where time goes'), label, picker, body);
  let range: Range | null = null;
  let listed = false;

  const show = async () => {
    if (!range || !picker.value) return;
    try {
      render(await workflowInsight(picker.value, range.from, range.to));
    } catch (err) {
      replaceChildren(body, h('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  };
  picker.addEventListener('change', () => {
    replaceChildren(body, h('p', { class: 'muted' }, 'Loading…'));
    show().catch(() => undefined);
  });

  const render = (w: WorkflowInsight) => {
    const rate = w.successRate === null ? '—' : `${Math.round(w.successRate * 100)} %`;
    const figures = h(
      'dl',
      { class: 'dash-figures' },
      figure('Runs', String(w.runs.total), 'runs'),
      figure('Succeeded', rate, 'success-rate'),
      figure('Failed', String(w.runs.failed), 'failed'),
      figure('Run time p50', duration(w.durationMs.p50), 'p50'),
      figure('Run time p95', duration(w.durationMs.p95), 'p95'),
    );
    const rows = w.steps.map((s) =>
      h(
        'tr',
        { 'data-testid': 'step-row', 'data-step': s.stepId },
        h('td', {}, s.name),
        h('td', { class: 'muted' }, s.kind),
        h('td', { class: 'num' }, duration(s.p50Ms)),
        h('td', { class: 'num' }, duration(s.p95Ms)),
        h('td', {}, h('span', { class: 'share', style: `--share:${Math.round(s.shareOfTime * 100)}%` }, `${Math.round(s.shareOfTime * 100)} %`)),
        h('td', { class: 'num' }, s.attempts ? `${s.failedAttempts} of ${s.attempts}` : '—'),
        h('td', {}, s.failureCodes.map((c) => `${c.code} ×${c.count}`).join(', ')),
      ),
    );
    const table = h(
      'table',
      { class: 'dash-table' },
      h('thead', {}, h('tr', {}, ...['Step', 'Kind', 'p50', 'p95', 'Share of run time', 'Failed attempts', 'Failures by code'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows),
    );
    const reasons = w.failureReasons.length
      ? h('ul', { class: 'dash-list', 'data-testid': 'failure-reasons' }, ...w.failureReasons.map((r) => h('li', {}, h('strong', {}, `${r.name}: ${r.code}`), ` ×${r.count} — ${r.message}`)))
      : h('p', { class: 'muted' }, 'No run failed in this range.');
    const suggestions = w.suggestions.length
      ? h('ul', { class: 'dash-list suggestions', 'data-testid': 'suggestions' }, ...w.suggestions.map((s) => h('li', { class: s.severity }, s.text)))
      : h('p', { class: 'muted', 'data-testid': 'suggestions' }, w.runs.total ? 'Nothing to suggest: its steps neither fail often nor take most of the time.' : 'No runs in this range yet.');
    replaceChildren(
      body,
      figures,
      h('div', { class: 'table-wrap' }, table),
      h('h3', {}, 'Why runs failed'),
      reasons,
      h('h3', {}, 'Suggestions'),
      suggestions,
      w.truncated ? h('p', { class: 'muted' }, 'Only the newest 1,000 runs were read.') : null,
    );
  };

  return {
    element,
    async refresh(r) {
      range = r;
      if (!listed) {
        const all = await workflows();
        listed = true;
        if (all.length === 0) {
          picker.hidden = label.hidden = true;
          replaceChildren(body, h('p', { class: 'muted' }, 'No workflows in your worlds yet.'));
          return;
        }
        replaceChildren(picker, ...all.map((w) => h('option', { value: w.id }, w.worldName ? `${w.name} — ${w.worldName}` : w.name)));
      }
      await show();
    },
  };
}
