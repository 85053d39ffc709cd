/**
 * The world's chat on the page, with the reactions and the raised hand beside it: a panel at the
 * bottom left that folds down to one row (open on a wide window, folded on a phone). It lives as
 * long as the page, so a rejoin keeps what was said; messages are matched by id. Everything people
 * wrote is shown as text, never as markup.
 */
import { MAX_CHAT_CHARS, REACTIONS, type ChatMessage, type Reaction } from '../../shared/protocol';
import { ICON_LABELS } from '../scene/socialIcons';
import { h, replaceChildren } from './kit/dom';
import { iconImage } from './hud';

export interface ChatPanelActions {
  say(text: string): void;
  react(reaction: Reaction): void;
  raiseHand(raised: boolean): void;
}

export interface ChatPanel {
  element: HTMLElement;
  /** Shows the chat (the whole of it as a session has it); `live` ones are counted as new while folded. */
  show(messages: readonly ChatMessage[], live: boolean): void;
  /** Whether this person's hand is up (as the world has it). */
  setHand(raised: boolean): void;
  /** Shows a reaction of one's own rising from the button row (others see it over the avatar). */
  echo(reaction: Reaction): void;
  /** Opens or folds the chat. */
  setOpen(open: boolean): void;
  readonly open: boolean;
}

/** Messages kept on the page. */
const KEEP = 200;

const timeOf = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function createChatPanel(actions: ChatPanelActions, opts: { openAtStart: boolean }): ChatPanel {
  const byId = new Map<string, ChatMessage>();
  let unread = 0;
  let open = opts.openAtStart;
  let hand = false;

  const badge = h('span', { class: 'chat-unread', 'data-testid': 'chat-unread', hidden: true });
  const toggle = h('button', { type: 'button', class: 'secondary small chat-toggle', 'data-testid': 'chat-toggle', 'aria-expanded': String(open) }, 'Chat', badge);
  const handButton = h('button', { type: 'button', class: 'icon-button', 'data-testid': 'raise-hand', 'aria-pressed': 'false', title: 'Raise your hand' }, iconImage('hand', 'Raise your hand'));
  const reactions = REACTIONS.map((r) => {
    const b = h('button', { type: 'button', class: 'icon-button', 'data-testid': `react-${r}`, title: ICON_LABELS[r] }, iconImage(r));
    b.addEventListener('click', () => {
      actions.react(r);
      echo(r);
    });
    return b;
  });
  const echoes = h('div', { class: 'chat-echoes', 'aria-hidden': 'true' });
  const log = h('ol', { class: 'chat-log', 'data-testid': 'chat-log', 'aria-live': 'polite', 'aria-label': 'Chat' });
  const empty = h('p', { class: 'chat-empty muted' }, 'Nobody has written yet. Say hello to everyone here.');
  const input = h('input', { type: 'text', class: 'chat-input', 'data-testid': 'chat-input', maxlength: String(MAX_CHAT_CHARS), placeholder: 'Write to everyone here', 'aria-label': 'Chat message', autocomplete: 'off' });
  const send = h('button', { type: 'submit', class: 'small', 'data-testid': 'chat-send' }, 'Send');
  const form = h('form', { class: 'chat-form' }, input, send);
  const body = h('div', { class: 'chat-body' }, log, empty, form);
  const element = h('section', { class: 'chat-panel', 'data-testid': 'chat-panel' }, h('div', { class: 'chat-head' }, toggle, handButton, ...reactions), echoes, body);

  const render = () => {
    body.hidden = !open;
    element.classList.toggle('folded', !open);
    toggle.setAttribute('aria-expanded', String(open));
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = unread === 0 || open;
    toggle.title = open ? 'Fold the chat away' : unread ? `${unread} new message${unread === 1 ? '' : 's'}` : 'Open the chat';
  };
  const setOpen = (on: boolean) => {
    open = on;
    if (open) unread = 0;
    render();
    if (open) log.scrollTop = log.scrollHeight;
  };
  toggle.addEventListener('click', () => setOpen(!open));
  handButton.addEventListener('click', () => actions.raiseHand(!hand));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    actions.say(text);
    input.value = '';
  });

  function echo(r: Reaction) {
    const img = iconImage(r);
    img.classList.add('chat-echo');
    echoes.append(img);
    setTimeout(() => img.remove(), 1600);
  }

  render();
  return {
    element,
    get open() {
      return open;
    },
    setOpen,
    echo,
    setHand(raised) {
      // called on every state change: touch the page only when it changes
      if (raised === hand) return;
      hand = raised;
      handButton.setAttribute('aria-pressed', String(raised));
      handButton.title = raised ? 'Lower your hand' : 'Raise your hand';
      handButton.querySelector('img')?.setAttribute('alt', raised ? 'Lower your hand' : 'Raise your hand');
    },
    show(messages, live) {
      const fresh = messages.filter((m) => !byId.has(m.id));
      if (!fresh.length) return;
      for (const m of fresh) byId.set(m.id, m);
      const all = [...byId.values()].sort((a, b) => a.at - b.at);
      for (const gone of all.splice(0, Math.max(0, all.length - KEEP))) byId.delete(gone.id);
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
      replaceChildren(
        log,
        ...all.map((m) => {
          const who = h('span', { class: 'chat-who' }, m.name);
          who.style.color = m.colour;
          return h('li', { 'data-message-id': m.id }, who, ' ', h('span', { class: 'chat-text' }, m.text), ' ', h('time', { class: 'muted', datetime: new Date(m.at).toISOString() }, timeOf(m.at)));
        }),
      );
      empty.hidden = all.length > 0;
      if (!open && live) unread += fresh.length;
      render();
      if (atBottom || open) log.scrollTop = log.scrollHeight;
    },
  };
}
