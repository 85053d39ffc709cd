/**
 * The 3D view of one joined world: engine, scene, room, documents, avatars, first-person camera and
 * pointer dragging, wired to the session. One per open world; dispose() frees all of it.
 */
import { Engine } from '@babylonjs/core/Engines/engine';
import { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
// side-effect imports: scene picking (pointer rays) needs the ray module registered
import '@babylonjs/core/Culling/ray';
import type { WorldSession } from '../net/session';
import { AvatarLayer } from './AvatarLayer';
import { createFirstPersonCamera, headPose, keepInsideRoom } from './camera';
import { DocumentLayer } from './DocumentLayer';
import { DragController } from './DragController';
import { buildRoomShell, paletteOf } from './roomShell';
import type { DocumentProbe, ParticipantProbe, WorldProbe } from './testHook';

export interface WorldViewOptions {
  notify(message: string): void;
}

/** Thrown when the browser cannot draw 3D at all. */
export class NoWebGLError extends Error {
  override name = 'NoWebGLError';
}

export class WorldView {
  private readonly engine: Engine;
  private readonly scene: Scene;
  private readonly camera: UniversalCamera;
  private readonly documents: DocumentLayer;
  private readonly avatars: AvatarLayer;
  private readonly drag: DragController;
  private frames = 0;
  private lastFrame = performance.now();
  private readonly onResize = () => this.engine.resize();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly session: WorldSession,
    options: WorldViewOptions,
  ) {
    try {
      this.engine = new Engine(canvas, true, { stencil: false, antialias: true, powerPreference: 'high-performance' }, true);
    } catch {
      throw new NoWebGLError('This browser cannot show 3D here (WebGL is not available). Try another browser or enable hardware acceleration.');
    }
    this.scene = new Scene(this.engine);
    // right-handed like WebXR and the server's poses: identity looks down -Z
    this.scene.useRightHandedSystem = true;
    const state = session.state;
    buildRoomShell(this.scene, state.template);

    const me = state.participants.get(session.sessionId);
    const start = me ? ([me.head.px, me.head.py, me.head.pz, me.head.qx, me.head.qy, me.head.qz, me.head.qw] as const) : ([0, 1.6, 2, 0, 0, 0, 1] as const);
    this.camera = createFirstPersonCamera(this.scene, canvas, [...start]);

    this.drag = new DragController({
      scene: this.scene,
      camera: this.camera,
      canvas,
      session,
      panel: (id) => this.documents.panels.get(id),
      notify: options.notify,
    });
    this.documents = new DocumentLayer(this.scene, session, paletteOf(state.template).accent, (id, heldBy) => this.drag.onHolderChanged(id, heldBy));
    this.avatars = new AvatarLayer(this.scene, session, () => performance.now());
    const callbacks = session.callbacks();
    this.documents.attach(callbacks);
    this.avatars.attach(callbacks);

    this.scene.onAfterRenderObservable.add(() => this.frames++);
    window.addEventListener('resize', this.onResize);
    this.engine.runRenderLoop(() => this.frame());
  }

  private frame(): void {
    const now = performance.now();
    // a long pause (background tab) must not turn into one huge smoothing step
    const dt = Math.min(100, now - this.lastFrame);
    this.lastFrame = now;
    keepInsideRoom(this.camera);
    this.session.updatePose({ head: headPose(this.camera), left: null, right: null });
    this.avatars.update();
    this.documents.update(dt);
    this.scene.render();
  }

  /** Answers for `window.__dwc` (see testHook.ts). */
  probe(): WorldProbe {
    return {
      ready: () => this.frames > 0,
      sessionId: () => this.session.sessionId,
      participants: () => {
        const out: ParticipantProbe[] = [];
        this.session.state.participants.forEach((p, id) => out.push({ id, name: p.name, colour: p.colour, head: [p.head.px, p.head.py, p.head.pz] }));
        return out;
      },
      documents: () => {
        const out: DocumentProbe[] = [];
        this.session.state.documents.forEach((d, id) => out.push({ id, title: d.title, position: [d.x, d.y, d.z], heldBy: d.heldBy }));
        return out;
      },
      screenPointOf: (docId) => this.screenPointOf(docId),
      avatarVisible: (participantId) => {
        const head = this.avatars.avatars.get(participantId)?.head;
        return !!head && head.isEnabled() && head.isVisible && !head.isDisposed();
      },
      renderedFrames: () => this.frames,
    };
  }

  private screenPointOf(docId: string): { x: number; y: number } | null {
    const panel = this.documents.panels.get(docId);
    if (!panel) return null;
    const width = this.engine.getRenderWidth();
    const height = this.engine.getRenderHeight();
    const projected = Vector3.Project(panel.position, Matrix.Identity(), this.scene.getTransformMatrix(), this.camera.viewport.toGlobal(width, height));
    if (projected.z < 0 || projected.z > 1) return null;
    // render pixels → CSS pixels of the page
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + (projected.x * rect.width) / width, y: rect.top + (projected.y * rect.height) / height };
  }

  dispose(): void {
    window.removeEventListener('resize', this.onResize);
    this.engine.stopRenderLoop();
    this.drag.dispose();
    this.documents.dispose();
    this.avatars.dispose();
    this.scene.dispose();
    this.engine.dispose();
  }
}
