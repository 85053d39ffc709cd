/**
 * The small dialog for a sticky note: write a new one, or read, change or delete one. Note text is
 * only ever put in as a value or as text, never as markup.
 */
import { MAX_NOTE_LENGTH, NOTE_COLOURS } from '../../shared/model/documents';
import { h } from './kit/dom';


export type NoteDialogResult = { action: 'save'; text: string; colour: string } | { action: 'delete' } | null;

export interface NoteDialogOptions {
  heading: string;
  text?: string;
  colour?: string;
  /** Offer a Delete button (existing notes). */
  deletable: boolean;
  /** Viewport point the dialog opens next to. */
  at: { x: number; y: number };
}

let closeOpen: (() => void) | null = null;

/** Closes the open note dialog, if any, as if cancelled (e.g. when leaving the world). */
export function closeNoteDialog(): void {
  closeOpen?.();
}

/** Opens the dialog (closing any other); resolves with what the person chose, null for cancel. */
export function openNoteDialog(opts: NoteDialogOptions): Promise<NoteDialogResult> {
  closeNoteDialog();
  return new Promise((resolve) => {
    const text = h('textarea', { 'data-testid': 'note-text', maxlength: String(MAX_NOTE_LENGTH), rows: '4', 'aria-label': 'Note text', placeholder: 'Write a note…' });
    text.value = opts.text ?? '';
    let colour = opts.colour && NOTE_COLOURS.includes(opts.colour as (typeof NOTE_COLOURS)[number]) ? opts.colour : NOTE_COLOURS[0];
    const swatches = NOTE_COLOURS.map((c) => {
      const b = h('button', { type: 'button', class: 'swatch', 'aria-label': `Colour ${c}`, 'aria-pressed': String(c === colour) });
      b.style.background = c;
      b.addEventListener('click', () => {
        colour = c;
        for (const s of swatches) s.setAttribute('aria-pressed', String(s === b));
      });
      return b;
    });
    const error = h('p', { class: 'error', role: 'alert' });
    const save = h('button', { type: 'submit', 'data-testid': 'note-save' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'secondary', 'data-testid': 'note-cancel' }, 'Cancel');
    const remove = opts.deletable ? h('button', { type: 'button', class: 'danger', 'data-testid': 'note-delete' }, 'Delete') : null;
    const form = h(
      'form',
      { class: 'note-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': opts.heading, 'data-testid': 'note-dialog' },
      h('h2', {}, opts.heading),
      text,
      h('div', { class: 'swatches' }, ...swatches),
      error,
      h('div', { class: 'row' }, save, remove, cancel),
    );

    const finish = (result: NoteDialogResult) => {
      form.remove();
      document.removeEventListener('keydown', onKey, true);
      if (closeOpen === close) closeOpen = null;
      resolve(result);
    };
    const close = () => finish(null);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = text.value.trim();
      if (!value) {
        error.textContent = 'Write something first.';
        text.focus();
        return;
      }
      finish({ action: 'save', text: value, colour });
    });
    cancel.addEventListener('click', close);
    remove?.addEventListener('click', () => finish({ action: 'delete' }));
    document.addEventListener('keydown', onKey, true);
    closeOpen = close;

    document.body.append(form);
    // next to the point, but always whole on screen
    const { width, height } = form.getBoundingClientRect();
    form.style.left = `${Math.max(8, Math.min(opts.at.x + 12, innerWidth - width - 8))}px`;
    form.style.top = `${Math.max(8, Math.min(opts.at.y + 12, innerHeight - height - 8))}px`;
    text.focus();
  });
}
