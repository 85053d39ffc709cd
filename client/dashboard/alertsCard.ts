/**
 * The administrators' alerts: what is firing now, by severity, with Acknowledge (stops escalation
 * notices) and Silence for an hour (no notices; still evaluated), and what alerts did lately.
 */
import { h, replaceChildren } from '../ui/kit/dom';
import { acknowledgeAlert, activeAlerts, alertHistory, silenceRule, type ActiveAlert } from './analyticsApi';
import { errorText } from './parts';

const when = (iso: string) => new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function alertsCard(): { element: HTMLElement; refresh(): Promise<void> } {
  const active = h('ul', { class: 'alert-list', 'data-testid': 'alerts-active' });
  const history = h('ul', { class: 'dash-list', 'data-testid': 'alerts-history' });
  const status = h('p', { class: 'muted', role: 'status' });
  const element = h('section', { class: 'card dash-wide', 'data-testid': 'alerts-card' }, h('h2', {}, 'Alerts'), active, status, h('h3', {}, 'Lately'), history);

  const act = (work: Promise<unknown>, done: string) => {
    work
      .then(async () => {
        status.textContent = done;
        await refresh();
      })
      .catch((err: unknown) => {
        status.textContent = errorText(err);
      });
  };
  const row = (a: ActiveAlert) => {
    const ack = h('button', { type: 'button', class: 'secondary', 'data-testid': 'alert-ack', disabled: a.ackedBy !== null }, a.ackedBy ? `Acknowledged by ${a.ackedBy}` : 'Acknowledge');
    ack.addEventListener('click', () => act(acknowledgeAlert(a.alertId), `Acknowledged: ${a.ruleName}.`));
    const silence = h('button', { type: 'button', class: 'secondary', 'data-testid': 'alert-silence' }, a.silencedUntil ? `Silenced until ${when(a.silencedUntil)}` : 'Silence for an hour');
    silence.addEventListener('click', () => act(silenceRule(a.ruleId, 60), `${a.ruleName}: no notices for an hour.`));
    return h(
      'li',
      { class: `alert ${a.severity}`, 'data-testid': 'alert-item', 'data-severity': a.severity },
      h('strong', {}, a.severity === 'critical' ? 'Critical' : 'Warning'),
      ' ',
      h('span', {}, a.message),
      h('span', { class: 'muted' }, ` since ${when(a.since)}`),
      h('span', { class: 'row alert-actions' }, ack, silence),
    );
  };
  const refresh = async () => {
    const [now, lately] = await Promise.all([activeAlerts(), alertHistory(8)]);
    replaceChildren(active, ...(now.length ? now.map(row) : [h('li', { class: 'muted' }, 'Nothing is firing.')]));
    replaceChildren(history, ...(lately.length ? lately.map((e) => h('li', {}, h('span', { class: 'muted' }, `${when(e.at)} `), `${e.kind}: ${e.message}`, e.by ? ` (by ${e.by})` : '')) : [h('li', { class: 'muted' }, 'No alert has fired yet.')]));
  };
  return { element, refresh };
}
