/**
 * The lobby: choose a display name, see the worlds (with who is in them) and the events coming up,
 * create a world, join one.
 * Plain DOM; every string that came from a person goes in as text.
 */
import { ApiError, acceptInvite, createWorld, getWorld, listTemplates, listWorlds, type WorldSummary } from '../net/api';
import { accountCard } from './accountCard';
import { currentAccount, onAccountChange } from '../net/account';
import { h, replaceChildren } from './kit/dom';
import { joinFromDeviceCard } from './joinFromDevice';
import { saveColour, saveName, savedColour, savedName } from './identity';
import { inBackground } from './kit/background';
import { lookEditor } from './lookEditor';
import { graphicsChoice } from './graphicsChoice';
import { lookOrDefault, saveLook, savedLook, syncAccountLook } from '../net/look';
import { defaultLook } from '../../shared/model/avatarLook';
import { eventsCard } from './eventsCard';

const REFRESH_MS = 3000;

export interface LobbyOptions {
  /** Set when a world link was opened before a display name was chosen. */
  pendingWorldId?: string;
  /** Set when an invite link was opened: accepted here, as an account, before joining. */
  pendingInvite?: { worldId: string; token: string };
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
  const nameNote = h('p', { class: 'muted', 'data-testid': 'display-name-note', hidden: true });
  /**
   * Worlds show a signed-in person by their account's name (the server names them so): the field
   * shows that name and cannot be edited, and a guest name typed before says it is not used.
   */
  const renderName = () => {
    const account = currentAccount();
    // a name typed as a guest just before signing in is kept, for after signing out
    if (account && !nameInput.readOnly && nameInput.value.trim()) saveName(nameInput.value);
    const guestName = savedName();
    nameInput.readOnly = account !== null;
    nameInput.value = account ? account.username : guestName;
    nameNote.hidden = account === null;
    if (!account) return;
    nameNote.textContent =
      guestName && guestName !== account.username
        ? `Signed in: worlds show you as ${account.username} (your account's name), not "${guestName}". Sign out to use "${guestName}".`
        : `Signed in: worlds show you as ${account.username} (your account's name).`;
  };
  renderName();
  const colourInput = h('input', { id: 'avatar-colour', 'data-testid': 'avatar-colour', type: 'color', title: 'Avatar colour' });
  colourInput.value = savedColour();
  const lookError = h('p', { class: 'error', role: 'alert', 'data-testid': 'look-error' });
  const look = lookEditor(lookOrDefault(colourInput.value), (chosen) => {
    lookError.textContent = '';
    saveLook(chosen).catch(() => {
      lookError.textContent = 'Your look is kept in this browser, but could not be kept with your account. Try again later.';
    });
  });
  colourInput.addEventListener('change', () => {
    saveColour(colourInput.value);
    // someone who has not chosen a look wears their colour
    if (!savedLook()) look.show(defaultLook(colourInput.value));
  });
  /** Shows the account's look once signed in (or gives the account this browser's). */
  const loadLook = () => {
    if (!currentAccount()) return;
    syncAccountLook()
      .then((kept) => kept && look.show(kept))
      .catch(() => {
        lookError.textContent = "Could not load your account's look; this browser's is shown.";
      });
  };
  loadLook();
  const nameError = h('p', { class: 'error', role: 'alert' });

  /** Checks and remembers the name; false (with the reason shown) when it cannot be used. */
  const confirmName = (): boolean => {
    // the account's name is used, and a guest name remembered here stays for after signing out
    if (currentAccount()) return true;
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
  // only a signed-in creator owns the world, and so only they can keep others out of it
  const guestSelect = h(
    'select',
    { id: 'world-guests', 'data-testid': 'world-guests' },
    h('option', { value: 'none' }, 'Only people I invite'),
    h('option', { value: 'viewer' }, 'Anyone, to look'),
    h('option', { value: 'editor' }, 'Anyone, to work'),
  );
  const guestRow = h('div', { class: 'guest-row' }, h('label', { for: 'world-guests' }, 'Who else may come in'), guestSelect);
  const createButton = h('button', { type: 'submit', 'data-testid': 'create-world' }, 'Create and enter');
  const createError = h('p', { class: 'error', role: 'alert' });
  const createForm = h(
    'form',
    { class: 'create-form' },
    h('label', { for: 'world-name' }, 'World name'),
    worldName,
    h('label', { for: 'world-template' }, 'Template'),
    templateSelect,
    guestRow,
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
    const owned = currentAccount() !== null;
    createWorld({ name: worldName.value, template: templateSelect.value || 'office', ...(owned ? { guestRole: guestSelect.value as 'none' | 'viewer' | 'editor' } : {}) })
      .then((world) => opts.enterWorld(world.id))
      .catch((err: unknown) => {
        createError.textContent = errorText(err);
        createButton.disabled = false;
      });
  });

  const listStatus = h('p', { class: 'muted', 'data-testid': 'world-list-status' }, 'Loading worlds…');
  const list = h('ul', { class: 'world-list', 'data-testid': 'world-list' });

  const pending = opts.pendingWorldId ? h('section', { class: 'card banner' }, 'Opening a world link…') : null;
  const invite = opts.pendingInvite ? h('section', { class: 'card banner', 'data-testid': 'invite-banner' }) : null;
  const account = accountCard({ signedIn: renderName });
  const events = eventsCard({ enterWorld: (worldId) => enter(worldId) });

  replaceChildren(
    root,
    h(
      'main',
      { class: 'lobby' },
      h('header', {}, h('h1', {}, 'Document Workflow Chain'), h('p', { class: 'muted' }, 'Shared 3D rooms where people meet and move documents together.')),
      opts.notice ? h('p', { class: 'card notice', role: 'alert' }, opts.notice) : null,
      pending,
      invite,
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'You'),
        h('label', { for: 'display-name' }, 'Display name'),
        h('div', { class: 'row' }, nameInput, colourInput),
        nameNote,
        nameError,
        h('h3', {}, 'Your look'),
        look.element,
        lookError,
        graphicsChoice(),
      ),
      account.element,
      h('section', { class: 'card' }, h('h2', {}, 'Worlds'), listStatus, list),
      events.element,
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
        replaceChildren(pending, h('span', {}, currentAccount() ? 'Join ' : 'Choose a display name, then join '), h('strong', {}, world.name), ' ', join);
        nameInput.focus();
      })
      .catch((err: unknown) => {
        pending.classList.add('notice');
        pending.textContent = err instanceof ApiError && err.status === 404 ? 'That link points to a world that does not exist. Pick one below or create one.' : errorText(err);
      });
  }

  const renderInvite = () => {
    if (!invite || !opts.pendingInvite) return;
    const { worldId, token } = opts.pendingInvite;
    if (!currentAccount()) {
      replaceChildren(invite, h('span', {}, 'You have been invited to a world. Sign in or sign up below to accept the invite.'));
      return;
    }
    const accept = h('button', { type: 'button', 'data-testid': 'accept-invite' }, 'Accept and join');
    const error = h('p', { class: 'error', role: 'alert' });
    accept.addEventListener('click', () => {
      if (!confirmName()) return;
      accept.disabled = true;
      acceptInvite(worldId, token)
        .then(() => opts.enterWorld(worldId))
        .catch((err: unknown) => {
          error.textContent = errorText(err);
          accept.disabled = false;
        });
    });
    replaceChildren(invite, h('span', {}, `You have been invited to a world. Join it as ${currentAccount()!.username}: `), accept, error);
  };
  renderInvite();
  const renderGuests = () => {
    guestRow.hidden = currentAccount() === null;
  };
  renderGuests();
  const stopAccount = onAccountChange(() => {
    renderName();
    loadLook();
    renderInvite();
    renderGuests();
    inBackground(refreshNow(), 'Refreshing the lobby');
    inBackground(events.refresh(), 'Refreshing the events');
  });

  listTemplates()
    .then((templates) => {
      replaceChildren(templateSelect, ...templates.map((t) => h('option', { value: t.id, title: t.description }, t.name)));
    })
    .catch(() => {
      // the server picks its default template when none is given, so creating still works
      replaceChildren(templateSelect, h('option', { value: 'office' }, 'Virtual office'));
    });

  const renderWorlds = (worlds: WorldSummary[]) => {
    events.setWorlds(worlds);
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

  const refreshNow = async () => {
    try {
      renderWorlds(await listWorlds());
    } catch (err) {
      listStatus.textContent = errorText(err);
    }
  };
  const refresh = async () => {
    await refreshNow();
    if (!stopped) timer = setTimeout(() => inBackground(refresh(), 'Refreshing the lobby'), REFRESH_MS);
  };
  inBackground(refresh(), 'Refreshing the lobby');
  if (!nameInput.value) nameInput.focus();

  return () => {
    stopped = true;
    clearTimeout(timer);
    stopAccount();
    account.dispose();
    events.dispose();
  };
}
