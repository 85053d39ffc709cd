/**
 * Bringing files into the world: drop them on the 3D view (the view lights up while a file is over
 * it) or pick them with the Upload button. Each upload shows its progress; a refusal shows the
 * server's own message, which says what was wrong with the file.
 */
import type { Quat, Vec3 } from '../../shared/protocol';
import { ApiError } from '../net/api';
import { uploadDocument } from '../net/upload';
import { h } from './kit/dom';
import { toast } from './kit/toast';

export interface Placement {
  position: Vec3;
  rotation: Quat;
}

export interface UploadsOptions {
  worldId: string;
  /** The element files are dropped on. */
  canvas: HTMLCanvasElement;
  /** Gets the "drop here" highlight while a file is dragged over the canvas. */
  highlight: HTMLElement;
  placeAt(clientX: number, clientY: number): Placement;
}

export interface Uploads {
  /** The list of uploads in progress (and recent failures), to put in the overlay. */
  element: HTMLElement;
  upload(files: File[], placement: Placement): void;
  dispose(): void;
}

const DONE_MS = 2500;
const FAILED_MS = 12_000;
/** Several files dropped at once are hung side by side, this far apart. */
const SIDE_BY_SIDE_M = 1.1;

const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

/** The placement moved `metres` to the right of a document placed at `p` (as seen from its front). */
function besides(p: Placement, metres: number): Placement {
  const [, y, , w] = p.rotation;
  const yaw = 2 * Math.atan2(y, w);
  const [px, py, pz] = p.position;
  return { position: [px + Math.cos(yaw) * metres, py, pz - Math.sin(yaw) * metres], rotation: p.rotation };
}

export function mountUploads(opts: UploadsOptions): Uploads {
  const element = h('ul', { class: 'uploads', 'data-testid': 'uploads', 'aria-live': 'polite' });

  const upload = (files: File[], placement: Placement) => {
    files.forEach((file, i) => {
      const progress = h('progress', { max: '1', value: '0' });
      const status = h('span', { class: 'upload-status', 'data-testid': 'upload-status' }, 'Uploading…');
      const item = h('li', { class: 'upload', 'data-testid': 'upload-item' }, h('span', { class: 'upload-name' }, file.name), progress, status);
      element.append(item);
      const { done } = uploadDocument({
        file,
        worldId: opts.worldId,
        ...besides(placement, i * SIDE_BY_SIDE_M),
        onProgress: (f) => {
          progress.value = f;
          if (f >= 1) status.textContent = 'Processing…';
        },
      });
      done
        .then(() => {
          status.textContent = 'Added';
          setTimeout(() => item.remove(), DONE_MS);
        })
        .catch((err: unknown) => {
          const message = err instanceof ApiError ? err.message : 'The upload failed. Try again.';
          item.classList.add('failed');
          progress.remove();
          status.textContent = message;
          status.setAttribute('role', 'alert');
          toast(`${file.name}: ${message}`, 'error');
          setTimeout(() => item.remove(), FAILED_MS);
        });
    });
  };

  const over = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
    opts.highlight.classList.add('drop-target');
  };
  const leave = () => opts.highlight.classList.remove('drop-target');
  const drop = (e: DragEvent) => {
    leave();
    if (!hasFiles(e)) return;
    e.preventDefault();
    const files = Array.from(e.dataTransfer!.files);
    if (files.length) upload(files, opts.placeAt(e.clientX, e.clientY));
  };
  // a file dropped anywhere else would make the browser leave the world to open it
  const guard = (e: DragEvent) => {
    if (hasFiles(e)) e.preventDefault();
  };

  // one signal takes every listener away again in dispose()
  const listening = new AbortController();
  const { signal } = listening;
  opts.canvas.addEventListener('dragenter', over, { signal });
  opts.canvas.addEventListener('dragover', over, { signal });
  opts.canvas.addEventListener('dragleave', leave, { signal });
  opts.canvas.addEventListener('drop', drop, { signal });
  window.addEventListener('dragover', guard, { signal });
  window.addEventListener('drop', guard, { signal });

  return {
    element,
    upload,
    dispose() {
      listening.abort();
      element.remove();
    },
  };
}
