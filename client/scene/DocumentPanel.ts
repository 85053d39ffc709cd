/**
 * A paged document standing in the room: a thin board with its pages on the front (see PanelFace),
 * page controls under it, and a badge while someone holds it. The board takes the shape of what it
 * shows: a page's aspect, widened by the spread. Board, face and buttons are instances of meshes
 * the panel kit shares, so each kind is drawn once for all panels.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { InstancedMesh } from '@babylonjs/core/Meshes/instancedMesh';
import { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { SourceLibrary } from '../content/SourceLibrary';
import { CloseUpFace } from './CloseUpFace';
import { clampPage, faceSizeMetres, pageSizeMetres, toggledSpread, turnPage, type FaceLayout } from './faceLayout';
import { PanelFace, type FaceDocument, type FaceNote } from './PanelFace';
import { PanelControl, type PanelKit } from './panelKit';
import { setUvRect } from './UvRectPlugin';
import { PlacedDocument, type Holder } from './PlacedDocument';
import { registerControl } from './controls';

const BORDER = 0.02;
const DEPTH = 0.04;
const CONTROL_SIZE = 0.12;
const CONTROL_GAP = 0.035;
const CONTROL_LABELS: Record<PanelControl, string> = { prev: 'Previous page', next: 'Next page', spread: 'One or two pages' };

export class DocumentPanel extends PlacedDocument {
  readonly face: PanelFace;
  private readonly board: InstancedMesh;
  /** Placed and scaled as the face: a unit square on it is the face. */
  private readonly faceFrame: TransformNode;
  /** The face as drawn, an instance of its atlas page's plane; none before the first drawing. */
  private faceMesh: InstancedMesh | null = null;
  /** The face at a close-up tier, while it is drawn at one (it hides the atlas face meanwhile). */
  private closeUp: CloseUpFace | null = null;
  private readonly controls: Record<PanelControl, InstancedMesh>;
  private doc: FaceDocument | null = null;
  private boardHeight = 1;

  constructor(
    scene: Scene,
    docId: string,
    private readonly kit: PanelKit,
    library: SourceLibrary,
    /** Turns this document to a page (and spread), for everyone. */
    private readonly turnTo: (page: number, spread?: number) => void,
  ) {
    super(scene, docId);
    this.freezeWhenStill = true;
    this.board = kit.newBoard(`doc-${docId}-board`);
    this.board.parent = this.root;
    this.board.metadata = this.pick('board');

    this.face = new PanelFace(kit.atlas, library, kit.faces, () => this.position, (layout) => this.onFaceDrawn(layout));
    this.faceFrame = new TransformNode(`doc-${docId}-face`, scene);
    this.faceFrame.parent = this.root;
    this.faceFrame.position.z = DEPTH / 2 + 0.002;

    // page controls are controls like any other (client/input/controls.ts): clicked, aimed at, touched or pinched
    const control = (name: PanelControl) => {
      const m = kit.newControl(`doc-${docId}-${name}`, CONTROL_SIZE);
      m.parent = this.root;
      m.metadata = this.pick(name);
      m.setEnabled(false);
      registerControl(m, { label: CONTROL_LABELS[name], enabled: () => this.controlTarget(name) !== null, press: () => this.useControl(name) });
      return m;
    };
    this.controls = { prev: control(PanelControl.PREV), spread: control(PanelControl.SPREAD), next: control(PanelControl.NEXT) };
    this.resize(this.face.layout);
  }

  get halfHeight(): number {
    return this.boardHeight / 2;
  }

  /** Width of one page in metres, at the panel's scale. */
  get pageWidthMetres(): number {
    return pageSizeMetres(this.face.layout.pageAspect).width * this.scale;
  }

  /** Whether any of the board is inside the camera's view. */
  inView(camera: Camera): boolean {
    return camera.isInFrustum(this.board);
  }

  /**
   * What read mode frames, in the panel's own metres (unscaled) from its centre: the board, and the
   * page controls under it while they show.
   */
  readingBox(): { halfWidth: number; top: number; bottom: number } {
    const halfWidth = this.board.scaling.x / 2;
    const top = this.boardHeight / 2;
    const controls = this.controls.prev.isEnabled();
    const bottom = controls ? this.controls.prev.position.y - CONTROL_SIZE / 2 : -this.boardHeight / 2;
    return { halfWidth: Math.max(halfWidth, controls ? CONTROL_SIZE * 2 : 0), top, bottom };
  }

  setDocument(doc: FaceDocument): void {
    this.doc = doc;
    this.face.setDocument(doc);
    this.updateControls();
  }

  setNotes(notes: FaceNote[]): void {
    this.face.setNotes(notes);
  }

  protected showHolder(holder: Holder | null): void {
    this.kit.tintBoard(this.board, holder?.colour ?? '');
  }

  /** The page a control would turn to, with the spread it would show; null when it does nothing. */
  controlTarget(control: PanelControl): { page: number; spread: number } | null {
    const doc = this.doc;
    const count = this.face.pageCount;
    if (!doc || count === 0) return null;
    // the page the server says, not the one drawn: a second click before the redraw still counts
    const page = clampPage(doc.page, count);
    switch (control) {
      case PanelControl.PREV:
        return page > 1 ? { page: turnPage(page, doc.spread, count, -1), spread: doc.spread } : null;
      case PanelControl.NEXT: {
        const next = turnPage(page, doc.spread, count, 1);
        return next !== page ? { page: next, spread: doc.spread } : null;
      }
      case PanelControl.SPREAD:
        return count > 1 ? { page, spread: toggledSpread(doc.spread) } : null;
      default: {
        const unreachable: never = control;
        throw new Error(`unknown control ${String(unreachable)}`);
      }
    }
  }

  /** Does what a page control does: turns the page, or switches between one and two pages. */
  useControl(control: PanelControl): void {
    const target = this.controlTarget(control);
    if (target) this.turnTo(target.page, control === PanelControl.SPREAD ? target.spread : undefined);
  }

  controlMesh(control: PanelControl): InstancedMesh {
    return this.controls[control];
  }

  /** Face coordinates (0..1 from the top-left) of a world point on the face, or null if off it. */
  facePointOf(world: Vector3): { fu: number; fv: number } | null {
    const local = Vector3.TransformCoordinates(world, this.faceFrame.computeWorldMatrix(true).clone().invert());
    const fu = local.x + 0.5;
    const fv = 0.5 - local.y;
    return fu >= 0 && fu <= 1 && fv >= 0 && fv <= 1 ? { fu, fv } : null;
  }

  /** The world point of face coordinates (fu, fv). */
  worldPointOfFace(fu: number, fv: number): Vector3 {
    return Vector3.TransformCoordinates(new Vector3(fu - 0.5, 0.5 - fv, 0), this.faceFrame.computeWorldMatrix(true));
  }

  private onFaceDrawn(layout: FaceLayout): void {
    this.showPlacement();
    this.showCloseUp();
    this.resize(layout);
    this.updateControls();
  }

  private resize(layout: FaceLayout): void {
    this.thaw();
    const { width, height } = faceSizeMetres(layout);
    this.faceFrame.scaling.set(width, height, 1);
    this.board.scaling.set(width + BORDER * 2, height + BORDER * 2, DEPTH);
    this.boardHeight = height + BORDER * 2;
    const y = -this.boardHeight / 2 - CONTROL_GAP - CONTROL_SIZE / 2;
    const step = CONTROL_SIZE + CONTROL_GAP;
    this.controls.prev.position.set(-step, y, DEPTH / 2);
    this.controls.spread.position.set(0, y, DEPTH / 2);
    this.controls.next.position.set(step, y, DEPTH / 2);
    this.placeBadge();
  }

  private updateControls(): void {
    const paged = this.face.pageCount > 1;
    for (const name of [PanelControl.PREV, PanelControl.NEXT, PanelControl.SPREAD]) {
      const mesh = this.controls[name];
      mesh.setEnabled(paged);
      if (!paged) continue;
      const icon = name === PanelControl.SPREAD ? ((this.doc?.spread ?? 1) > 1 ? 'one' : 'two') : name;
      this.kit.showIcon(mesh, icon, this.controlTarget(name) !== null);
    }
  }

  /** Shows the face where it was last drawn: a new instance when it moved to another atlas page. */
  private showPlacement(): void {
    const placement = this.face.placement;
    if (!placement) return;
    this.thaw();
    if (this.faceMesh?.sourceMesh !== placement.source) {
      this.faceMesh?.dispose();
      this.faceMesh = placement.source.createInstance(`${this.faceFrame.name}-${placement.slot.page}`);
      this.faceMesh.parent = this.faceFrame;
      this.faceMesh.metadata = this.pick('face');
    }
    setUvRect(this.faceMesh, placement.uvRect);
  }

  /** Shows the close-up drawing while there is one, else the atlas face; frees what is no longer shown. */
  private showCloseUp(): void {
    const canvas = this.face.closeUp;
    this.thaw();
    if (canvas) {
      this.closeUp ??= new CloseUpFace(this.scene, `${this.faceFrame.name}-close`, this.faceFrame, this.pick('face'));
      this.closeUp.show(canvas);
    } else {
      this.closeUp?.dispose();
      this.closeUp = null;
    }
    this.faceMesh?.setEnabled(!canvas);
  }

  override dispose(): void {
    this.closeUp?.dispose();
    this.closeUp = null;
    this.face.dispose();
    super.dispose();
  }
}
