/**
 * The desktop world editor: an "Edit world" button for owners and editors that opens a panel with
 * the prop catalogue by category (press one to place it on the floor ahead), Upload model (.glb),
 * Undo (also Ctrl+Z), Remove for the selected prop, and Done. While it is open, props can be
 * dragged along the floor (see input/PropEditor.ts).
 */
import { catalogueGroups } from '../scene/props/propMaths';
import { uploadPropModel } from '../net/propModels';
import { ApiError } from '../net/api';
import { h, replaceChildren } from './kit/dom';
import { inBackground } from './kit/background';
import { toast } from './kit/toast';
import './worldEditor.css';

export interface WorldEditorHost {
  worldId: string;
  /** The world's uploaded models, for the catalogue. */
  uploaded(): { id: string; name: string }[];
  /** Places a prop of `kind` ahead of the person. */
  add(kind: string): void;
  undo(): void;
  removeSelected(): void;
  setEditing(on: boolean): void;
}

export interface WorldEditorUi {
  element: HTMLElement;
  /** Owners and editors see the button; viewers do not (the server refuses them anyway). */
  setAllowed(allowed: boolean): void;
  /** The uploaded models may have changed: redraw the catalogue if it shows. */
  refresh(): void;
  /** Says which prop is selected (its name), or none. */
  setSelected(name: string | null): void;
  dispose(): void;
}

export function mountWorldEditor(host: WorldEditorHost): WorldEditorUi {
  const open = h('button', { type: 'button', class: 'secondary edit-world-button', 'data-testid': 'edit-world', 'aria-expanded': 'false', hidden: true }, 'Edit world');
  const catalogue = h('div', { class: 'editor-catalogue', 'data-testid': 'editor-catalogue' });
  const selected = h('p', { class: 'editor-selected muted', 'data-testid': 'editor-selected' }, 'Drag a prop to move it. While holding: Q/E turn, wheel resizes.');
  const remove = h('button', { type: 'button', class: 'danger', 'data-testid': 'editor-remove', disabled: true }, 'Remove');
  const undo = h('button', { type: 'button', class: 'secondary', 'data-testid': 'editor-undo', title: 'Ctrl+Z' }, 'Undo');
  const done = h('button', { type: 'button', 'data-testid': 'editor-done' }, 'Done');
  const picker = h('input', { type: 'file', accept: '.glb,model/gltf-binary', class: 'offscreen', 'data-testid': 'editor-upload-input', 'aria-label': 'Choose a .glb model to upload' });
  const upload = h('button', { type: 'button', class: 'secondary', 'data-testid': 'editor-upload' }, 'Upload model');
  const uploadStatus = h('p', { class: 'editor-upload-status', 'data-testid': 'editor-upload-status', role: 'status' });
  const panel = h(
    'section',
    { class: 'editor-panel', 'data-testid': 'editor-panel', 'aria-label': 'World editor', hidden: true },
    h('header', { class: 'row' }, h('h2', {}, 'Edit world'), done),
    catalogue,
    h('div', { class: 'row editor-actions' }, upload, picker, undo, remove),
    uploadStatus,
    selected,
  );
  const element = h('div', { class: 'editor-wrap' }, open, panel);
  let lastKey = '';
  /** Models this page uploaded: in the catalogue at once, before the room's state brings them. */
  const mine = new Map<string, string>();

  const draw = () => {
    const uploaded = host.uploaded();
    for (const [id, name] of mine) if (!uploaded.some((m) => m.id === id)) uploaded.push({ id, name });
    const groups = catalogueGroups(uploaded);
    const key = JSON.stringify(groups);
    if (key === lastKey) return;
    lastKey = key;
    replaceChildren(
      catalogue,
      ...groups.map((g) => {
        const items = g.items.map((item) => {
          const b = h('button', { type: 'button', class: 'editor-item', 'data-testid': 'editor-item', 'data-kind': item.kind, title: `Place a ${item.name.toLowerCase()} ahead of you` }, item.name);
          b.addEventListener('click', () => host.add(item.kind));
          return b;
        });
        return h('div', { class: 'editor-group' }, h('h3', {}, g.title), h('div', { class: 'editor-items' }, ...items));
      }),
    );
  };
  const setOpen = (on: boolean) => {
    panel.hidden = !on;
    open.setAttribute('aria-expanded', String(on));
    open.textContent = on ? 'Editing…' : 'Edit world';
    if (on) draw();
    host.setEditing(on);
  };
  open.addEventListener('click', () => setOpen(panel.hidden));
  done.addEventListener('click', () => setOpen(false));
  undo.addEventListener('click', () => host.undo());
  remove.addEventListener('click', () => host.removeSelected());
  upload.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (!file) return;
    uploadStatus.textContent = `Uploading ${file.name}…`;
    uploadStatus.classList.remove('error');
    inBackground(
      uploadPropModel(host.worldId, file).then(
        (model) => {
          mine.set(model.id, model.name);
          uploadStatus.textContent = `${model.name} is in the catalogue under Uploaded.`;
          draw();
        },
        (err: unknown) => {
          const reason = err instanceof ApiError ? err.message : 'The upload failed. Try again.';
          uploadStatus.textContent = reason;
          uploadStatus.classList.add('error');
          toast(reason, 'error');
        },
      ),
      'Uploading the model',
    );
  });

  return {
    element,
    setAllowed(allowed) {
      open.hidden = !allowed;
      if (!allowed && !panel.hidden) setOpen(false);
    },
    refresh() {
      if (!panel.hidden) draw();
    },
    setSelected(name) {
      remove.disabled = name === null;
      selected.textContent = name ? `Selected: ${name}. Delete removes it.` : 'Drag a prop to move it. While holding: Q/E turn, wheel resizes.';
    },
    dispose() {
      if (!panel.hidden) setOpen(false);
      element.remove();
    },
  };
}
