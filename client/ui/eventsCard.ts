/**
 * The lobby's events: what is coming up in the worlds one may enter (title, world, local time,
 * seats left), RSVP and taking it back for signed-in people, a calendar file for everyone, and a
 * small form for owners to schedule one in a world of theirs. Text from the server goes in as text.
 */
import { ApiError, cancelEvent, eventCalendar, eventCalendarUrl, listEvents, rsvpEvent, scheduleEvent, type EventSummary, type WorldSummary } from '../net/api';
import { currentAccount } from '../net/account';
import { EVENT_LIMITS } from '../../shared/model/events';
import { h, replaceChildren } from './kit/dom';
import { inBackground } from './kit/background';
import './events.css';

const REFRESH_MS = 15_000;
const DURATIONS: Array<[minutes: number, label: string]> = [
  [30, '30 minutes'],
  [60, '1 hour'],
  [90, '1½ hours'],
  [120, '2 hours'],
  [180, '3 hours'],
  [240, '4 hours'],
  [480, '8 hours'],
];

export interface EventsCard {
  element: HTMLElement;
  /** The worlds the lobby lists: the signed-in person's own are offered for scheduling. */
  setWorlds(worlds: WorldSummary[]): void;
  refresh(): Promise<void>;
  dispose(): void;
}

const errorText = (err: unknown) => (err instanceof ApiError ? err.message : 'Something went wrong. Try again.');

/** "Tue 4 Mar, 09:30 – 11:00" in the reader's own time zone and language. */
export function eventWhen(startsAt: string, endsAt: string): string {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  return `${day.format(start)} – ${start.toDateString() === end.toDateString() ? time.format(end) : day.format(end)}`;
}

/** A `datetime-local` value for the next full hour, in local time. */
function nextHour(): string {
  const d = new Date(Date.now() + 3600_000);
  d.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00`;
}

export function eventsCard(opts: { enterWorld(worldId: string): void }): EventsCard {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = h('p', { class: 'muted', 'data-testid': 'event-list-status' }, 'Loading events…');
  const list = h('ul', { class: 'event-list', 'data-testid': 'event-list' });

  const worldSelect = h('select', { id: 'event-world', 'data-testid': 'event-world', required: true });
  const title = h('input', { id: 'event-title', 'data-testid': 'event-title', maxlength: String(EVENT_LIMITS.titleChars), placeholder: 'e.g. Quarterly review', required: true });
  const start = h('input', { id: 'event-start', 'data-testid': 'event-start', type: 'datetime-local', required: true });
  start.value = nextHour();
  const duration = h('select', { id: 'event-duration', 'data-testid': 'event-duration' }, ...DURATIONS.map(([m, label]) => h('option', { value: String(m), selected: m === 60 }, label)));
  const capacity = h('input', { id: 'event-capacity', 'data-testid': 'event-capacity', type: 'number', min: '1', max: String(EVENT_LIMITS.maxCapacity), value: String(EVENT_LIMITS.defaultCapacity) });
  const description = h('textarea', { id: 'event-description', 'data-testid': 'event-description', maxlength: String(EVENT_LIMITS.descriptionChars), rows: '3', placeholder: 'What it is about, what to bring (optional)' });
  const submit = h('button', { type: 'submit', 'data-testid': 'schedule-event' }, 'Schedule');
  const formError = h('p', { class: 'error', role: 'alert', 'data-testid': 'event-form-error' });
  const form = h(
    'form',
    { class: 'event-form' },
    h('label', { for: 'event-world' }, 'World'),
    worldSelect,
    h('label', { for: 'event-title' }, 'Title'),
    title,
    h('div', { class: 'event-form-row' }, h('div', {}, h('label', { for: 'event-start' }, 'Starts'), start), h('div', {}, h('label', { for: 'event-duration' }, 'Lasts'), duration), h('div', {}, h('label', { for: 'event-capacity' }, 'Seats'), capacity)),
    h('label', { for: 'event-description' }, 'Description'),
    description,
    submit,
    formError,
  );
  const scheduler = h('details', { class: 'event-schedule', 'data-testid': 'event-schedule', hidden: true }, h('summary', {}, 'Schedule an event in one of your worlds'), form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    formError.textContent = '';
    const startsAt = new Date(start.value);
    if (!title.value.trim()) {
      formError.textContent = 'Give the event a title.';
      title.focus();
      return;
    }
    if (Number.isNaN(startsAt.getTime())) {
      formError.textContent = 'Choose when the event starts.';
      start.focus();
      return;
    }
    const endsAt = new Date(startsAt.getTime() + Number(duration.value) * 60_000);
    submit.disabled = true;
    scheduleEvent({ worldId: worldSelect.value, title: title.value, description: description.value, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), capacity: Number(capacity.value) || EVENT_LIMITS.defaultCapacity })
      .then(async () => {
        title.value = '';
        description.value = '';
        scheduler.open = false;
        await refresh();
      })
      .catch((err: unknown) => {
        formError.textContent = errorText(err);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  const element = h('section', { class: 'card events', 'data-testid': 'events-card' }, h('h2', {}, 'Events'), status, list, scheduler);

  const downloadCalendar = async (event: EventSummary) => {
    const { blob, fileName } = await eventCalendar(event.id);
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: fileName, class: 'offscreen' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const item = (e: EventSummary): HTMLElement => {
    const error = h('p', { class: 'error', role: 'alert' });
    const act = (button: HTMLButtonElement, work: () => Promise<unknown>) => {
      button.addEventListener('click', () => {
        error.textContent = '';
        button.disabled = true;
        work()
          .then(() => refresh())
          .catch((err: unknown) => {
            error.textContent = errorText(err);
            button.disabled = false;
          });
      });
      return button;
    };
    const left = Math.max(0, e.capacity - e.rsvpCount);
    const seats = h('span', { class: 'event-seats', 'data-testid': 'event-seats' }, left === 0 ? `Full (${e.capacity} seats)` : `${left} of ${e.capacity} seats left`);
    const actions: Array<HTMLElement> = [seats];
    if (!currentAccount()) actions.push(h('span', { class: 'muted' }, 'Sign in to RSVP'));
    else if (e.going) actions.push(act(h('button', { type: 'button', class: 'secondary', 'data-testid': 'event-unrsvp' }, 'Cancel my RSVP'), () => rsvpEvent(e.id, false)));
    else if (left > 0) actions.push(act(h('button', { type: 'button', 'data-testid': 'event-rsvp' }, "I'm coming"), () => rsvpEvent(e.id, true)));
    const calendar = h('a', { href: eventCalendarUrl(e.id), class: 'event-ics', 'data-testid': 'event-ics' }, 'Add to calendar');
    calendar.addEventListener('click', (ev) => {
      // fetched as the signed-in person: a private world's calendar file needs their token
      ev.preventDefault();
      downloadCalendar(e).catch((err: unknown) => {
        error.textContent = errorText(err);
      });
    });
    actions.push(calendar);
    if (e.live) {
      const join = h('button', { type: 'button', 'data-testid': 'event-join' }, 'Join now');
      join.addEventListener('click', () => opts.enterWorld(e.worldId));
      actions.push(join);
    }
    if (e.canManage) {
      const cancel = h('button', { type: 'button', class: 'secondary danger-text', 'data-testid': 'event-cancel' }, 'Cancel event');
      // a cancelled event cannot be brought back
      actions.push(act(cancel, async () => (window.confirm(`Cancel "${e.title}"? This cannot be undone.`) ? cancelEvent(e.id) : undefined)));
    }
    return h(
      'li',
      { class: 'event', 'data-testid': 'event-item', 'data-event-id': e.id },
      h('div', { class: 'event-head' }, h('span', { class: 'event-title', 'data-testid': 'event-title-text' }, e.title), e.live ? h('span', { class: 'event-live' }, 'Live now') : null, e.going ? h('span', { class: 'event-going' }, 'You are going') : null),
      h('div', { class: 'event-when muted' }, h('time', { datetime: e.startsAt, 'data-testid': 'event-when' }, eventWhen(e.startsAt, e.endsAt)), ' · in ', h('span', { class: 'event-world', 'data-testid': 'event-world-name' }, e.worldName)),
      e.description ? h('p', { class: 'event-description', title: e.description }, e.description) : null,
      h('div', { class: 'event-actions' }, ...actions),
      error,
    );
  };

  const render = (events: EventSummary[]) => {
    status.textContent = events.length ? '' : 'No events coming up.';
    replaceChildren(list, ...events.map(item));
  };

  const refreshNow = async () => {
    try {
      render(await listEvents());
    } catch (err) {
      status.textContent = errorText(err);
    }
  };
  const refresh = async () => {
    clearTimeout(timer);
    await refreshNow();
    if (!stopped) timer = setTimeout(() => inBackground(refresh(), 'Refreshing the events'), REFRESH_MS);
  };

  const setWorlds = (worlds: WorldSummary[]) => {
    const me = currentAccount();
    const mine = me ? worlds.filter((w) => w.ownerId === me.userId) : [];
    scheduler.hidden = mine.length === 0;
    const key = mine.map((w) => `${w.id}\u0000${w.name}`).join('\u0001');
    // rebuilt only when the worlds change, so a choice being made is not taken away
    if (worldSelect.dataset.key === key) return;
    const chosen = worldSelect.value;
    worldSelect.dataset.key = key;
    replaceChildren(worldSelect, ...mine.map((w) => h('option', { value: w.id, selected: w.id === chosen }, w.name)));
  };

  inBackground(refresh(), 'Refreshing the events');
  return {
    element,
    setWorlds,
    refresh,
    dispose() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
