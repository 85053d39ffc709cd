/**
 * The lobby: choose a display name, see the worlds (with who is in them), create one, join one.
 * Plain DOM; every string that came from a person goes in as text.
 */
import { ApiError, createWorld, getWorld, listTemplates, listWorlds, type WorldSummary } from '../net/api';
import { h, replaceChildren } from './dom';
import { joinFromDeviceCard } from './joinFromDevice';
import { saveColour, saveName, savedColour, savedName } from './identity';

const REFRESH_MS = 3000;

export interface LobbyOptions {
  /** Set when a world link was opened before a display name was chosen. */
  pendingWorldId?: string;
  /** Shown at the top, e.g. why the last world could not be joined. */
  notice?: string;
  enterWorld(worldId: string): void;
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

/** Renders the lobby into `root`; returns a function that stops its timers. */
export function mountLobby(root: HTMLElement, opts: LobbyOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const nameInput = h('input', { id: 'display-name', 'data-testid': 'display-name', maxlength: '32', autocomplete: 'nickname', placeholder: 'e.g. Ann', required: true });
  nameInput.value = savedName();
  const colourInput = h('input', { id: 'avatar-colour', 'data-testid': 'avatar-colour', type: 'color', title: 'Avatar colour' });
  colourInput.value = savedColour();
  colourInput.addEventListener('change', () => saveColour(colourInput.value));
  const nameError = h('p', { class: 'error', role: 'alert' });

  /** Checks and remembers the name; false (with the reason shown) when it cannot be used. */
  const confirmName = (): boolean => {
    const result = saveName(nameInput.value);
    nameError.textContent = result.ok ? '' : result.message;
    if (!result.ok) nameInput.focus();
    else nameInput.value = result.name;
    return result.ok;
  };
  const enter = (worldId: string) => {
    if (confirmName()) opts.enterWorld(worldId);
  };

  const worldName = h('input', { id: 'world-name', 'data-testid': 'world-name', maxlength: '64', placeholder: 'e.g. Contract review', required: true });
  const templateSelect = h('select', { id: 'world-template', 'data-testid': 'world-template' });
  const createButton = h('button', { type: 'submit', 'data-testid': 'create-world' }, 'Create and enter');
  const createError = h('p', { class: 'error', role: 'alert' });
  const createForm = h(
    'form',
    { class: 'create-form' },
    h('label', { for: 'world-name' }, 'World name'),
    worldName,
    h('label', { for: 'world-template' }, 'Template'),
    templateSelect,
    createButton,
    createError,
  );
  createForm.addEventListener('submit', (e) => {
    e.preventDefault();
    createError.textContent = '';
    if (!confirmName()) return;
    if (!worldName.value.trim()) {
      createError.textContent = 'Give the world a name.';
      worldName.focus();
      return;
    }
    createButton.disabled = true;
    createWorld({ name: worldName.value, template: templateSelect.value || 'office' })
      .then((world) => opts.enterWorld(world.id))
      .catch((err: unknown) => {
        createError.textContent = errorText(err);
        createButton.disabled = false;
      });
  });

  const listStatus = h('p', { class: 'muted', 'data-testid': 'world-list-status' }, 'Loading worlds…');
  const list = h('ul', { class: 'world-list', 'data-testid': 'world-list' });

  const pending = opts.pendingWorldId ? h('section', { class: 'card banner' }, 'Opening a world link…') : null;

  replaceChildren(
    root,
    h(
      'main',
      { class: 'lobby' },
      h('header', {}, h('h1', {}, 'Document Workflow Chain'), h('p', { class: 'muted' }, 'Shared 3D rooms where people meet and move documents together.')),
      opts.notice ? h('p', { class: 'card notice', role: 'alert' }, opts.notice) : null,
      pending,
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'You'),
        h('label', { for: 'display-name' }, 'Display name'),
        h('div', { class: 'row' }, nameInput, colourInput),
        nameError,
      ),
      h('section', { class: 'card' }, h('h2', {}, 'Worlds'), listStatus, list),
      h('section', { class: 'card' }, h('h2', {}, 'New world'), createForm),
      joinFromDeviceCard(),
    ),
  );

  if (pending && opts.pendingWorldId) {
    const worldId = opts.pendingWorldId;
    getWorld(worldId)
      .then((world) => {
        const join = h('button', { type: 'button', 'data-testid': 'join-pending' }, 'Join');
        join.addEventListener('click', () => enter(world.id));
        replaceChildren(pending, h('span', {}, 'Choose a display name, then join '), h('strong', {}, world.name), ' ', join);
        nameInput.focus();
      })
      .catch((err: unknown) => {
        pending.classList.add('notice');
        pending.textContent = err instanceof ApiError && err.status === 404 ? 'That link points to a world that does not exist. Pick one below or create one.' : errorText(err);
      });
  }

  listTemplates()
    .then((templates) => {
      replaceChildren(templateSelect, ...templates.map((t) => h('option', { value: t.id, title: t.description }, t.name)));
    })
    .catch(() => {
      // the server picks its default template when none is given, so creating still works
      replaceChildren(templateSelect, h('option', { value: 'office' }, 'Virtual office'));
    });

  const renderWorlds = (worlds: WorldSummary[]) => {
    listStatus.textContent = worlds.length ? '' : 'No worlds yet. Create the first one below.';
    replaceChildren(
      list,
      ...worlds.map((w) => {
        const button = h(
          'button',
          { type: 'button', class: 'world', 'data-testid': 'world-item', 'data-world-id': w.id },
          h('span', { class: 'world-name' }, w.name),
          h('span', { class: 'muted' }, w.template),
          h('span', { class: 'count', 'data-testid': 'participants' }, `${w.participants} here`),
        );
        button.addEventListener('click', () => enter(w.id));
        return h('li', {}, button);
      }),
    );
  };

  const refresh = async () => {
    try {
      renderWorlds(await listWorlds());
    } catch (err) {
      listStatus.textContent = errorText(err);
    }
    if (!stopped) timer = setTimeout(() => void refresh(), REFRESH_MS);
  };
  void refresh();
  if (!nameInput.value) nameInput.focus();

  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
