/** A report to keep: the series you tick, over the dashboard's range, downloaded as a CSV file. */
import { h } from '../ui/kit/dom';
import { report } from './analyticsApi';
import { errorText } from './parts';
import type { Range } from './range';

const OFFERED = [
  ['people', 'People online'],
  ['sessions', 'Sessions'],
  ['session_seconds', 'Time in worlds'],
  ['workflow_runs', 'Workflow runs'],
  ['workflow_steps', 'Workflow steps'],
  ['ai_calls', 'AI calls'],
  ['ai_cost', 'AI cost'],
  ['http_requests', 'REST requests'],
  ['intents', 'Intents'],
] as const;

export function reportCard(range: () => Range): HTMLElement {
  const boxes = OFFERED.map(([name, label], i) => {
    const box = h('input', { type: 'checkbox', id: `report-${name}`, value: name, 'data-testid': `report-${name}`, checked: i < 4 });
    return { box, row: h('label', { class: 'check', for: `report-${name}` }, box, ` ${label}`) };
  });
  const button = h('button', { type: 'button', 'data-testid': 'download-report' }, 'Download CSV');
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'report-status' });
  button.addEventListener('click', () => {
    const names = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    if (names.length === 0) {
      status.textContent = 'Tick at least one series.';
      return;
    }
    const r = range();
    button.disabled = true;
    status.textContent = 'Preparing the report…';
    report(names, r.resolution, r.from, r.to)
      .then(({ blob, fileName }) => {
        const link = h('a', { href: URL.createObjectURL(blob), download: fileName });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        status.textContent = `Downloaded ${fileName}.`;
      })
      .catch((err: unknown) => {
        status.textContent = errorText(err);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return h('section', { class: 'card dash-wide' }, h('h2', {}, 'Report'), h('p', { class: 'muted' }, 'The series you tick, over the range above, one row per bucket, as a CSV file.'), h('div', { class: 'checks' }, ...boxes.map((b) => b.row)), button, status);
}
