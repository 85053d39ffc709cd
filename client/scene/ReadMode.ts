/**
 * Read mode on the desktop: a double click on a panel flies the eye to face it, at the distance
 * where the page and its controls fill the view clear of the overlay; Escape or another double
 * click flies back. Walking away ends it where you are. Up close the face is redrawn sharper on
 * its own (DocumentLayer picks the tier from the size on screen), so small print becomes readable.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { KeyboardEventTypes, type KeyboardInfo } from '@babylonjs/core/Events/keyboardEvents';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Observer } from '@babylonjs/core/Misc/observable';
import type { DocumentPanel } from './DocumentPanel';
import { isDocumentMesh, type PanelPickData } from './PlacedDocument';

export interface ReadModeHost {
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  panel(docId: string): DocumentPanel | undefined;
  /** Viewport rectangles of the overlay (title, buttons, hint) that the page should stay clear of. */
  obstacles(): DOMRect[];
}

interface Pose {
  position: Vector3;
  rotation: Vector3;
}

const FLIGHT_MS = 450;
/** Space kept around the framed panel, in CSS pixels. */
const MARGIN_PX = 12;
/** Moving the eye this far (metres) from where read mode put it means the person walked off. */
const WALKED_OFF = 0.05;

const smooth = (t: number) => t * t * (3 - 2 * t);

export class ReadMode {
  private reading: { docId: string; home: Pose; arrived: Pose | null } | null = null;
  private flight: { from: Pose; to: Pose; start: number; done: () => void } | null = null;
  private readonly keys: Observer<KeyboardInfo>;
  private readonly frames: Observer<Scene>;
  private readonly onDoubleClick = (e: MouseEvent) => this.doubleClick(e);

  constructor(private readonly host: ReadModeHost) {
    host.canvas.addEventListener('dblclick', this.onDoubleClick);
    this.keys = host.scene.onKeyboardObservable.add((info) => this.onKey(info));
    this.frames = host.scene.onBeforeRenderObservable.add(() => this.step());
  }

  /** The document being read, if any. */
  get docId(): string | null {
    return this.reading?.docId ?? null;
  }

  /** While reading or flying the eye is placed by read mode, not held at standing height. */
  get placesEye(): boolean {
    return this.reading !== null || this.flight !== null;
  }

  enter(docId: string): void {
    const panel = this.host.panel(docId);
    if (!panel) return;
    const home = this.reading?.home ?? this.poseNow();
    const reading = { docId, home, arrived: null as Pose | null };
    this.reading = reading;
    const to = this.readingPose(panel);
    this.fly(to, () => (reading.arrived = to));
  }

  exit(): void {
    const reading = this.reading;
    if (!reading) return;
    reading.arrived = null;
    this.fly(reading.home, () => {
      if (this.reading === reading) this.reading = null;
    });
  }

  private doubleClick(e: MouseEvent): void {
    if (this.reading) return this.exit();
    const rect = this.host.canvas.getBoundingClientRect();
    const { scene, camera } = this.host;
    const pick = scene.pick(e.clientX - rect.left, e.clientY - rect.top, isDocumentMesh, false, camera);
    const docId = (pick.pickedMesh?.metadata as PanelPickData | null)?.docId;
    if (docId && this.host.panel(docId)) this.enter(docId);
  }

  private onKey(info: KeyboardInfo): void {
    if (info.type === KeyboardEventTypes.KEYDOWN && info.event.key === 'Escape' && this.reading) this.exit();
  }

  private poseNow(): Pose {
    return { position: this.host.camera.position.clone(), rotation: this.host.camera.rotation.clone() };
  }

  private fly(to: Pose, done: () => void): void {
    const from = this.poseNow();
    // turn the short way round
    const turn = to.rotation.y - from.rotation.y;
    const y = to.rotation.y - Math.round(turn / (2 * Math.PI)) * 2 * Math.PI;
    this.flight = { from, to: { position: to.position, rotation: new Vector3(to.rotation.x, y, to.rotation.z) }, start: performance.now(), done };
  }

  private step(): void {
    const { camera } = this.host;
    const flight = this.flight;
    if (flight) {
      const t = Math.min(1, (performance.now() - flight.start) / FLIGHT_MS);
      const k = smooth(t);
      Vector3.LerpToRef(flight.from.position, flight.to.position, k, camera.position);
      Vector3.LerpToRef(flight.from.rotation, flight.to.rotation, k, camera.rotation);
      if (t < 1) return;
      this.flight = null;
      flight.done();
      return;
    }
    const arrived = this.reading?.arrived;
    // walking off ends reading where the person is; looking around does not
    if (arrived && Vector3.Distance(arrived.position, camera.position) > WALKED_OFF) this.reading = null;
  }

  /** Where the eye goes to read a panel: square on to it, near enough that it fills the free view. */
  private readingPose(panel: DocumentPanel): Pose {
    const { camera, canvas } = this.host;
    const box = panel.readingBox();
    const scale = panel.scale;
    const world = panel.root.computeWorldMatrix(true);
    const normal = Vector3.TransformNormal(new Vector3(0, 0, 1), world).normalize();
    const up = Vector3.TransformNormal(Vector3.Up(), world).normalize();
    const width = canvas.clientWidth || 1;
    const height = canvas.clientHeight || 1;
    // CSS pixels per metre at one metre (the camera's field of view is vertical)
    const focal = height / 2 / Math.tan(camera.fov / 2);
    const contentW = box.halfWidth * 2 * scale;
    const contentH = (box.top - box.bottom) * scale;
    let top = MARGIN_PX;
    let bottom = MARGIN_PX;
    let distance = 1;
    // the overlay's rectangles in the way of the framed panel push it in from the top or bottom
    for (let pass = 0; pass < 3; pass++) {
      distance = Math.max((contentH * focal) / Math.max(1, height - top - bottom), (contentW * focal) / Math.max(1, width - 2 * MARGIN_PX));
      const halfPx = (contentW * focal) / distance / 2;
      const bandTop = top;
      const bandBottom = height - bottom;
      for (const r of this.host.obstacles()) {
        if (r.width <= 0 || r.height <= 0 || r.right < width / 2 - halfPx || r.left > width / 2 + halfPx) continue;
        if (r.bottom <= bandTop || r.top >= bandBottom) continue;
        if (r.top + r.height / 2 < height / 2) top = Math.max(top, r.bottom + MARGIN_PX);
        else bottom = Math.max(bottom, height - r.top + MARGIN_PX);
      }
    }
    const bandCentre = (top + height - bottom) / 2;
    const centre = panel.root.position.add(up.scale(((box.top + box.bottom) / 2) * scale));
    const position = centre.add(normal.scale(distance)).addInPlace(up.scale(((bandCentre - height / 2) / focal) * distance));
    return { position, rotation: this.rotationLookingAlong(position, normal.negate()) };
  }

  /** The camera's Euler rotation when at `position` looking along `direction`. */
  private rotationLookingAlong(position: Vector3, direction: Vector3): Vector3 {
    const { camera } = this.host;
    const saved = this.poseNow();
    camera.position.copyFrom(position);
    camera.setTarget(position.add(direction));
    const rotation = camera.rotation.clone();
    camera.position.copyFrom(saved.position);
    camera.rotation.copyFrom(saved.rotation);
    return rotation;
  }

  dispose(): void {
    this.host.canvas.removeEventListener('dblclick', this.onDoubleClick);
    this.keys.remove();
    this.frames.remove();
  }
}
