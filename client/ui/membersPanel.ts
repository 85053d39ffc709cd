/**
 * The owner's members panel: who belongs to this world and as what, a role select and Remove for
 * each, and invite links carrying a role. Changes apply at once to whoever is connected.
 */
import { ApiError, changeRole, createInvite, listMembers, removeMember, type Member } from '../net/api';
import { inviteUrl } from '../route';
import { copyText } from './kit/clipboard';
import { h, replaceChildren } from './kit/dom';
import { inBackground } from './kit/background';
import { cornerPanel } from './kit/onePanel';
import { toast } from './kit/toast';

export interface MembersPanel {
  element: HTMLElement;
  /** Shows or hides the panel's button: only owners manage members. */
  setOwner(owner: boolean): void;
  /** Reloads the list if it is open (someone joined by a link, say). */
  refresh(): void;
}

const message = (err: unknown) => (err instanceof ApiError ? err.message : 'Something went wrong. Try again.');

export function membersPanel(worldId: string): MembersPanel {
  const toggle = h('button', { type: 'button', class: 'secondary', 'data-testid': 'members-button', 'aria-expanded': 'false', hidden: true }, 'Members');
  const list = h('ul', { class: 'members', 'data-testid': 'members-list' });
  const inviteRole = h('select', { 'data-testid': 'invite-role', 'aria-label': 'Role the invite gives' }, h('option', { value: 'viewer' }, 'Viewer'), h('option', { value: 'editor' }, 'Editor'));
  const inviteButton = h('button', { type: 'button', 'data-testid': 'create-invite' }, 'Create invite link');
  const link = h('input', { readonly: true, 'data-testid': 'invite-link', 'aria-label': 'Invite link' });
  const copy = h('button', { type: 'button', class: 'secondary', 'data-testid': 'copy-invite' }, 'Copy');
  copy.addEventListener('click', () => {
    inBackground(copyText(link.value).then((ok) => toast(ok ? 'Invite link copied.' : 'Select the link and copy it.')), 'Copying the invite link');
  });
  const linkRow = h('div', { class: 'row invite-link-row', hidden: true }, link, copy);
  const panel = h(
    'section',
    { class: 'members-panel', 'data-testid': 'members-panel', 'aria-label': 'Members', hidden: true },
    h('h2', {}, 'Members'),
    list,
    h('h2', {}, 'Invite'),
    h('div', { class: 'row invite-row' }, inviteRole, inviteButton),
    linkRow,
    h('p', { class: 'muted' }, 'Viewers look and talk; editors also work on documents and chains. Each link admits one signed-in person with its role.'),
  );
  const element = h('div', { class: 'members-wrap' }, toggle, panel);

  const render = (members: Member[]) => {
    replaceChildren(
      list,
      ...members.map((m) => {
        const row = h('li', { 'data-member': m.username }, h('span', { class: 'member-name' }, m.username), ' ');
        if (m.role === 'owner') {
          row.append(h('span', { class: 'muted' }, 'owner'));
          return row;
        }
        const select = h('select', { 'data-testid': 'member-role', 'aria-label': `Role of ${m.username}` }, h('option', { value: 'viewer' }, 'viewer'), h('option', { value: 'editor' }, 'editor'));
        select.value = m.role;
        select.addEventListener('change', () => {
          changeRole(worldId, m.userId, select.value as 'viewer' | 'editor').then(
            () => toast(`${m.username} is now ${select.value === 'editor' ? 'an editor' : 'a viewer'}.`),
            (err: unknown) => {
              toast(message(err), 'error');
              select.value = m.role;
            },
          );
        });
        const remove = h('button', { type: 'button', class: 'secondary', 'data-testid': 'member-remove' }, 'Remove');
        remove.addEventListener('click', () => {
          removeMember(worldId, m.userId).then(
            () => {
              toast(`${m.username} was removed.`);
              load();
            },
            (err: unknown) => toast(message(err), 'error'),
          );
        });
        row.append(select, ' ', remove);
        return row;
      }),
    );
  };
  const load = () => {
    listMembers(worldId).then(render, (err: unknown) => toast(message(err), 'error'));
  };

  cornerPanel(toggle, panel, load);
  inviteButton.addEventListener('click', () => {
    inviteButton.disabled = true;
    createInvite(worldId, inviteRole.value as 'viewer' | 'editor')
      .then((token) => {
        link.value = inviteUrl(worldId, token);
        linkRow.hidden = false;
        link.select();
      }, (err: unknown) => toast(message(err), 'error'))
      .finally(() => {
        inviteButton.disabled = false;
      });
  });

  return {
    element,
    setOwner(owner) {
      toggle.hidden = !owner;
      if (!owner) panel.hidden = true;
    },
    refresh() {
      if (!panel.hidden) load();
    },
  };
}
