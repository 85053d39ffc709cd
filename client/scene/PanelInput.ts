/**
 * What a press on a panel means besides grabbing it: a page control turns the page, a note opens
 * for editing, and in note mode (or with a right click) a point on a page starts a new note. Also
 * PageUp/PageDown turn the pages of the panel under the pointer.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import type { PickingInfo } from '@babylonjs/core/Collisions/pickingInfo';
import { KeyboardEventTypes, type KeyboardInfo } from '@babylonjs/core/Events/keyboardEvents';
import type { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Observer } from '@babylonjs/core/Misc/observable';
import type { WorldSession } from '../net/session';
import type { DocumentPanel } from './DocumentPanel';
import { isDocumentMesh } from './DragController';
import { faceToPage, hitNote } from './faceLayout';
import { PanelControl } from './panelKit';
import type { PanelPickData } from './PlacedDocument';

/** A point on a page where a new note should go. */
export interface NoteTarget {
  docId: string;
  page: number;
  u: number;
  v: number;
}

export interface PanelInputHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  panel(docId: string): DocumentPanel | undefined;
  /** Asks the person for the text of a new note (at a viewport point, for the dialog). */
  requestNote(target: NoteTarget, at: { x: number; y: number }): void;
  openNote(noteId: string, at: { x: number; y: number }): void;
  noteModeChanged(on: boolean): void;
}

const MOUSE_LEFT = 0;
const MOUSE_RIGHT = 2;

export class PanelInput {
  private noteMode = false;
  private readonly keys: Observer<KeyboardInfo>;
  private readonly noMenu = (e: Event) => e.preventDefault();

  constructor(private readonly host: PanelInputHost) {
    this.keys = host.scene.onKeyboardObservable.add((info) => this.onKey(info));
    // right click adds a note; the browser's own menu would only get in the way
    host.canvas.addEventListener('contextmenu', this.noMenu);
  }

  setNoteMode(on: boolean): void {
    if (on === this.noteMode) return;
    this.noteMode = on;
    this.host.canvas.style.cursor = on ? 'crosshair' : '';
    this.host.noteModeChanged(on);
  }

  /** The page point under a world point on a panel's face, or null (footer, blank slot, off the face). */
  pagePointAt(panel: DocumentPanel, world: Vector3): NoteTarget | null {
    const face = panel.facePointOf(world);
    if (!face) return null;
    const point = faceToPage(panel.face.layout, face.fu, face.fv);
    if (!point) return null;
    const page = panel.face.shownPage + point.slot;
    if (panel.face.pageCount > 0 && page > panel.face.pageCount) return null;
    return { docId: panel.docId, page, u: point.u, v: point.v };
  }

  /** Handles a press on a document; true when it was not a grab. */
  claimPress(pick: PickingInfo, event: PointerEvent): boolean {
    const data = pick.pickedMesh?.metadata as PanelPickData | null;
    const panel = data ? this.host.panel(data.docId) : undefined;
    if (!data || !panel || !pick.pickedPoint) return event.button === MOUSE_RIGHT;
    const at = { x: event.clientX, y: event.clientY };
    switch (data.part) {
      case 'prev':
      case 'next':
      case 'spread':
        if (event.button === MOUSE_LEFT) panel.useControl(data.part);
        return true;
      case 'face': {
        const face = panel.facePointOf(pick.pickedPoint);
        const noteId = face ? hitNote(panel.face.noteBoxes, face.fu, face.fv) : null;
        if (noteId && (event.button === MOUSE_LEFT || event.button === MOUSE_RIGHT)) {
          this.setNoteMode(false);
          this.host.openNote(noteId, at);
          return true;
        }
        if (!(this.noteMode && event.button === MOUSE_LEFT) && event.button !== MOUSE_RIGHT) return false;
        const target = this.pagePointAt(panel, pick.pickedPoint);
        this.setNoteMode(false);
        if (target) this.host.requestNote(target, at);
        return true;
      }
      case 'board':
      case 'model':
        return event.button === MOUSE_RIGHT;
      default: {
        const unreachable: never = data.part;
        throw new Error(`unknown part ${String(unreachable)}`);
      }
    }
  }


  private onKey(info: KeyboardInfo): void {
    if (info.type !== KeyboardEventTypes.KEYDOWN) return;
    const key = info.event.key;
    if (key === 'Escape') return this.setNoteMode(false);
    if (key !== 'PageUp' && key !== 'PageDown') return;
    const { scene, camera } = this.host;
    const pick = scene.pick(scene.pointerX, scene.pointerY, isDocumentMesh, false, camera);
    const docId = (pick.pickedMesh?.metadata as PanelPickData | null)?.docId;
    const panel = docId ? this.host.panel(docId) : undefined;
    if (!panel) return;
    info.event.preventDefault();
    panel.useControl(key === 'PageUp' ? PanelControl.PREV : PanelControl.NEXT);
  }

  dispose(): void {
    this.keys.remove();
    this.host.canvas.removeEventListener('contextmenu', this.noMenu);
    this.host.canvas.style.cursor = '';
  }
}
