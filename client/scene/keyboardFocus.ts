/**
 * Text fields own the keyboard while they are focused: letters typed into a note, a builder form
 * or the lobby must never walk or turn the camera, and a field that a press on the 3D view opened
 * (the note dialog) must keep the focus when that press is released.
 */
import type { Scene } from '@babylonjs/core/scene';

/** What `isTextEntry` looks at, so the rule can be tested without a DOM. */
export interface EventTargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** Input types that take no typed text: keys pressed on them may still drive the view. */
const NOT_TEXT = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/** Whether a key event's target is somewhere people type (an input, textarea, select or editable text). */
export function isTextEntry(target: EventTargetLike | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  switch (target.tagName?.toUpperCase()) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return !NOT_TEXT.has((target.type ?? 'text').toLowerCase());
    default:
      return false;
  }
}

/**
 * Keeps keys typed into fields away from the camera and the panel shortcuts (they all listen on
 * `scene.onKeyboardObservable`), and stops a release on the canvas from focusing the canvas.
 */
export function leaveKeysToTextFields(scene: Scene): void {
  scene.onPreKeyboardObservable.add((info) => {
    const target = info.event.target as EventTargetLike | null;
    const active = typeof document === 'undefined' ? null : (document.activeElement as EventTargetLike | null);
    if (isTextEntry(target) || isTextEntry(active)) info.skipOnKeyboardObservable = true;
  });
  // Babylon focuses the canvas on every pointer up; a press on a page that opens the note dialog
  // would then take the keyboard away from the note's text before a single letter is typed.
  // The press itself still focuses the canvas, so walking works after clicking the view.
  scene.preventDefaultOnPointerUp = false;
}
