/**
 * Draws the world only when the picture can have changed. A still room on a desktop or phone
 * then costs nothing: no fan, no battery, and on a computer without a graphics card (where each
 * frame takes a core for a tenth of a second) the page stays quick to use. In VR and AR every
 * frame is drawn, as the headset needs.
 *
 * What counts as a change, checked in this one place rather than in every layer:
 * - the camera moved, turned or is still gliding, or a key that moves it is down;
 * - any node moved, turned, grew or shrank, or was shown or hidden (documents sliding into place,
 *   someone walking);
 * - a texture or vertex buffer was uploaded, or a mesh, material or texture came or went;
 * - the room's state changed, the person used pointer, wheel, touch or keys, or the window resized
 *   (`poke`: drawing goes on for a short settling time after, for what follows from it);
 * - a layer says it has work that is done while drawing (faces waiting, a Babylon animation).
 * Movements that only keep people looking alive (breathing) are drawn at a lower rate, and a
 * slow heartbeat draws anyway, so nothing missed here can stay wrong on screen for long.
 */
import type { Engine } from '@babylonjs/core/Engines/engine';
import type { Scene } from '@babylonjs/core/scene';
import type { TargetCamera } from '@babylonjs/core/Cameras/targetCamera';
import type { Node } from '@babylonjs/core/node';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import { isTextEntry, type EventTargetLike } from './keyboardFocus';

export interface PacingOptions {
  /** Keep drawing this long after a poke. */
  settleMs: number;
  /** Draw at least this often whatever happens. */
  heartbeatMs: number;
  /** Draw motion that only keeps people looking alive at most this often. */
  ambientMs: number;
}

export const DEFAULT_PACING: PacingOptions = { settleMs: 500, heartbeatMs: 1000, ambientMs: 1000 / 30 };

/** What the frame knows when it asks whether to draw. */
export interface FrameFacts {
  now: number;
  /** In VR or AR: every frame is drawn. */
  presenting: boolean;
  /** Something on screen changed since the last drawing, or work waits that drawing does (asked only when it matters). */
  changed(): boolean;
  /** Ambient motion (breathing) is going on. */
  ambient(): boolean;
}

/** The decision alone, without Babylon: testable, and the same for every source of change. */
export class RenderPacing {
  private settleUntil = -Infinity;
  private lastDrawn = -Infinity;

  constructor(private readonly options: PacingOptions = DEFAULT_PACING) {}

  /** Something happened that may change the picture: draw for the settling time from `now`. */
  poke(now: number): void {
    this.settleUntil = Math.max(this.settleUntil, now + this.options.settleMs);
  }

  shouldDraw(f: FrameFacts): boolean {
    if (f.presenting || f.now < this.settleUntil) return true;
    if (f.changed()) return true;
    const since = f.now - this.lastDrawn;
    if (since >= this.options.heartbeatMs) return true;
    return since >= this.options.ambientMs && f.ambient();
  }

  drawn(now: number): void {
    this.lastDrawn = now;
  }
}

/** Marks a node whose own movement is ambient (see `RenderDemand`): its changes alone draw at the ambient rate. */
export function markAmbient(node: Node): void {
  node.metadata = { ...(node.metadata as object | null), ambientMotion: true };
}

const isAmbient = (node: Node) => (node.metadata as { ambientMotion?: boolean } | null)?.ambientMotion === true;

/** Engine calls that put new pixels or vertices on the graphics card. */
const UPLOADS = ['updateDynamicTexture', 'updateRawTexture', 'updateTextureData', 'updateDynamicVertexBuffer', 'updateDynamicIndexBuffer', 'updateVideoTexture'] as const;

/** Keys that move or turn the desktop camera while held (Babylon reads them while drawing). */
const HELD_KEYS = new Set(['KeyW', 'KeyA', 'KeyS', 'KeyD', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'KeyQ', 'KeyE']);

/** The camera's place, turn, lens and viewport, as last drawn. */
const SNAPSHOT = 18;
/** Per node: position, Euler rotation, quaternion, scaling, how much it shows, its parent. */
const NODE_SNAPSHOT = 15;

/** Equal as numbers, with NaN (no quaternion) equal to itself. */
function sameSnapshot(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) return false;
  return true;
}

export interface RenderDemandOptions {
  scene: Scene;
  camera: TargetCamera;
  /** Where pointer, wheel and touch input arrives (the canvas). */
  canvas: EventTarget;
  /** Where keys, resizes and focus changes arrive; the window by default. */
  page?: EventTarget;
  pacing?: PacingOptions;
  /** Work that is done while drawing is waiting (e.g. faces to draw). */
  busy?: () => boolean;
}

/** Watches a scene and says, each frame, whether it needs drawing (see the file's comment). */
export class RenderDemand {
  private readonly pacing: RenderPacing;
  private readonly seen = new WeakMap<Node, Float64Array>();
  private readonly nodeNow = new Float64Array(NODE_SNAPSHOT);
  private readonly held = new Set<string>();
  private readonly cameraAt = new Float32Array(SNAPSHOT);
  private readonly cameraNow = new Float32Array(SNAPSHOT);
  private readonly stops: Array<() => void> = [];
  private uploaded = false;
  private rendering = false;
  private ambientChanged = false;

  constructor(private readonly o: RenderDemandOptions) {
    this.pacing = new RenderPacing(o.pacing);
    const poke = () => this.poke();
    const scene = o.scene;
    for (const observable of [
      scene.onNewMeshAddedObservable,
      scene.onMeshRemovedObservable,
      scene.onNewMaterialAddedObservable,
      scene.onMaterialRemovedObservable,
      scene.onNewTextureAddedObservable,
      scene.onTextureRemovedObservable,
      scene.onNewTransformNodeAddedObservable,
      scene.onTransformNodeRemovedObservable,
    ] as const) {
      const observer = (observable as { add(cb: () => void): unknown }).add(poke);
      this.stops.push(() => (observable as { remove(o: unknown): boolean }).remove(observer));
    }
    // a texture read from a file arrives later than the mesh that shows it
    const textureAdded = scene.onNewTextureAddedObservable.add((texture) => {
      const loaded = (texture as { onLoadObservable?: { addOnce(cb: () => void): unknown } }).onLoadObservable;
      loaded?.addOnce(poke);
    });
    this.stops.push(() => scene.onNewTextureAddedObservable.remove(textureAdded));
    this.watchUploads(scene.getEngine() as Engine);
    this.watchInput(o.canvas, o.page ?? window);
  }

  /** Something changed that the checks below may not see (the room's state, a resize): draw for a while. */
  poke(now = performance.now()): void {
    this.pacing.poke(now);
  }

  /** Whether this frame should be drawn; then `draw` it. */
  shouldDraw(now: number, presenting: boolean): boolean {
    return this.pacing.shouldDraw({
      now,
      presenting,
      changed: () => this.takeUploaded() || this.held.size > 0 || this.o.busy?.() === true || this.o.scene.animatables.length > 0 || this.cameraMoved() || this.nodesChanged(),
      ambient: () => this.ambientChanged,
    });
  }

  /**
   * Draws with `render` and records what was drawn, so the next frame can tell what changed since.
   * Uploads made while drawing (Babylon's own per-frame instance buffers) are not changes.
   */
  draw(now: number, render: () => void): void {
    this.rendering = true;
    try {
      render();
    } finally {
      this.rendering = false;
    }
    this.pacing.drawn(now);
    this.ambientChanged = false;
    this.snapshotCamera(this.cameraAt);
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private takeUploaded(): boolean {
    const was = this.uploaded;
    this.uploaded = false;
    return was;
  }

  private cameraMoved(): boolean {
    const c = this.o.camera;
    // still gliding (inertia) or turning: Babylon moves it on while drawing
    if (c.cameraDirection.lengthSquared() > 1e-12 || c.cameraRotation.lengthSquared() > 1e-12) return true;
    const now = this.cameraNow;
    this.snapshotCamera(now);
    for (let i = 0; i < SNAPSHOT; i++) if (now[i] !== this.cameraAt[i]) return true;
    return false;
  }

  private snapshotCamera(into: Float32Array): void {
    const c = this.o.camera;
    const p = c.position;
    const r = c.rotationQuaternion;
    into.set([p.x, p.y, p.z, c.rotation.x, c.rotation.y, c.rotation.z, r?.x ?? 0, r?.y ?? 0, r?.z ?? 0, r?.w ?? 1, c.fov, c.minZ, c.maxZ, c.viewport.x, c.viewport.y, c.viewport.width, c.viewport.height, this.o.scene.getEngine().getRenderWidth()]);
  }

  /**
   * Whether any node's place, turn, size, parent or visibility changed since it was last looked at.
   * A node moves in the world only when it or one of its ancestors changes, and all are looked at.
   * (World matrices would not do: Babylon recomputes them once per drawn frame, not in between.)
   */
  private nodesChanged(): boolean {
    let changed = false;
    const scene = this.o.scene;
    const now = this.nodeNow;
    const check = (node: TransformNode, mesh: AbstractMesh | null) => {
      const p = node.position;
      const r = node.rotation;
      const q = node.rotationQuaternion;
      const k = node.scaling;
      now[0] = p.x;
      now[1] = p.y;
      now[2] = p.z;
      now[3] = r.x;
      now[4] = r.y;
      now[5] = r.z;
      now[6] = q ? q.x : NaN;
      now[7] = q ? q.y : 0;
      now[8] = q ? q.z : 0;
      now[9] = q ? q.w : 0;
      now[10] = k.x;
      now[11] = k.y;
      now[12] = k.z;
      now[13] = mesh ? (mesh.isEnabled() && mesh.isVisible ? mesh.visibility : 0) : node.isEnabled() ? 1 : 0;
      now[14] = node.parent?.uniqueId ?? -1;
      const seen = this.seen.get(node);
      if (seen && sameSnapshot(seen, now)) return;
      if (seen) seen.set(now);
      else this.seen.set(node, Float64Array.from(now));
      if (isAmbient(node)) this.ambientChanged = true;
      else changed = true;
    };
    // every node is looked at (not only until the first change), so each change is counted once
    for (const node of scene.transformNodes) check(node, null);
    for (const mesh of scene.meshes) check(mesh, mesh);
    return changed;
  }

  private watchUploads(engine: Engine): void {
    const target = engine as unknown as Record<string, unknown>;
    for (const name of UPLOADS) {
      const original = target[name];
      if (typeof original !== 'function') continue;
      const wrapped = (...args: unknown[]) => {
        if (!this.rendering) this.uploaded = true;
        return (original as (...a: unknown[]) => unknown).apply(engine, args);
      };
      target[name] = wrapped;
      this.stops.push(() => {
        if (target[name] === wrapped) target[name] = original;
      });
    }
  }

  private watchInput(canvas: EventTarget, page: EventTarget): void {
    const poke = () => this.poke();
    // letters typed into a field change the page, not the 3D view
    const forTheView = (e: KeyboardEvent) => !isTextEntry(e.target as EventTargetLike | null);
    const down = (e: KeyboardEvent) => {
      if (!forTheView(e)) return;
      this.poke();
      if (HELD_KEYS.has(e.code)) this.held.add(e.code);
    };
    const up = (e: KeyboardEvent) => {
      if (this.held.delete(e.code) || forTheView(e)) this.poke();
    };
    const letGo = () => {
      this.held.clear();
      this.poke();
    };
    const listen = <K extends keyof WindowEventMap>(target: EventTarget, type: K, cb: (e: WindowEventMap[K]) => void) => {
      target.addEventListener(type, cb as EventListener, { passive: true });
      this.stops.push(() => target.removeEventListener(type, cb as EventListener));
    };
    for (const type of ['pointermove', 'pointerdown', 'pointerup', 'wheel', 'touchstart', 'touchmove', 'touchend'] as const) listen(canvas, type, poke);
    listen(page, 'keydown', down);
    listen(page, 'keyup', up);
    listen(page, 'blur', letGo);
    listen(page, 'resize', poke);
    // coming back to a tab: draw it as it is now
    listen(page, 'focus', poke);
  }
}
