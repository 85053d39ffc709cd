/**
 * A paged document standing in the room: a thin board with its pages on the front (see PanelFace),
 * page controls under it, and a badge while someone holds it. The board takes the shape of what it
 * shows: a page's aspect, widened by the spread.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { SourceLibrary } from '../content/SourceLibrary';
import { clampPage, faceSizeMetres, toggledSpread, turnPage, type FaceLayout } from './faceLayout';
import { PanelFace, type FaceDocument, type FaceNote } from './PanelFace';
import { PanelControl, type PanelKit } from './panelKit';
import { PlacedDocument, type Holder } from './PlacedDocument';

const BORDER = 0.02;
const DEPTH = 0.04;
const CONTROL_SIZE = 0.12;
const CONTROL_GAP = 0.035;

export class DocumentPanel extends PlacedDocument {
  readonly face: PanelFace;
  private readonly board: Mesh;
  private readonly facePlane: Mesh;
  private readonly controls: Record<PanelControl, Mesh>;
  private doc: FaceDocument | null = null;
  private boardHeight = 1;

  constructor(
    scene: Scene,
    docId: string,
    private readonly kit: PanelKit,
    library: SourceLibrary,
  ) {
    super(scene, docId);
    this.board = CreateBox(`doc-${docId}-board`, { size: 1 }, scene);
    this.board.parent = this.root;
    this.board.material = kit.board('');
    this.board.metadata = this.pick('board');

    this.face = new PanelFace(scene, `doc-${docId}-face`, library, (layout) => this.onFaceDrawn(layout));
    // in our right-handed scene a plane's default front looks down -Z and would read mirrored;
    // BACKSIDE turns it to face +Z, the panel's readable side, with the text the right way round
    this.facePlane = CreatePlane(`doc-${docId}-face`, { size: 1, sideOrientation: Mesh.BACKSIDE }, scene);
    this.facePlane.parent = this.root;
    this.facePlane.position.z = DEPTH / 2 + 0.002;
    this.facePlane.material = this.face.material;
    this.facePlane.metadata = this.pick('face');

    const control = (name: PanelControl) => {
      const m = CreatePlane(`doc-${docId}-${name}`, { size: CONTROL_SIZE, sideOrientation: Mesh.BACKSIDE }, scene);
      m.parent = this.root;
      m.metadata = this.pick(name);
      m.setEnabled(false);
      return m;
    };
    this.controls = { prev: control(PanelControl.PREV), spread: control(PanelControl.SPREAD), next: control(PanelControl.NEXT) };
    this.resize(this.face.layout);
  }

  get halfHeight(): number {
    return this.boardHeight / 2;
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
    this.board.material = this.kit.board(holder?.colour ?? '');
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

  controlMesh(control: PanelControl): Mesh {
    return this.controls[control];
  }

  /** Face coordinates (0..1 from the top-left) of a world point on the face, or null if off it. */
  facePointOf(world: Vector3): { fu: number; fv: number } | null {
    const local = Vector3.TransformCoordinates(world, this.facePlane.computeWorldMatrix(true).clone().invert());
    const fu = local.x + 0.5;
    const fv = 0.5 - local.y;
    return fu >= 0 && fu <= 1 && fv >= 0 && fv <= 1 ? { fu, fv } : null;
  }

  /** The world point of face coordinates (fu, fv). */
  worldPointOfFace(fu: number, fv: number): Vector3 {
    return Vector3.TransformCoordinates(new Vector3(fu - 0.5, 0.5 - fv, 0), this.facePlane.computeWorldMatrix(true));
  }

  private onFaceDrawn(layout: FaceLayout): void {
    this.resize(layout);
    this.updateControls();
  }

  private resize(layout: FaceLayout): void {
    const { width, height } = faceSizeMetres(layout);
    this.facePlane.scaling.set(width, height, 1);
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
      mesh.material = this.kit.control(icon, this.controlTarget(name) !== null);
    }
  }

  override dispose(): void {
    this.face.dispose();
    super.dispose();
  }
}
