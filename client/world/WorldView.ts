/**
 * The 3D view of one joined world: engine, scene, room, documents, avatars, first-person camera,
 * pointer dragging and panel input, wired to the session. One per open world; dispose() frees all
 * of it.
 */
import { Engine } from '@babylonjs/core/Engines/engine';
import { Scene } from '@babylonjs/core/scene';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
// side-effect imports: scene picking (pointer rays) needs the ray module registered
import '@babylonjs/core/Culling/ray';
import { ROOM_HALF_SIZE, ROOM_HEIGHT } from '../../shared/model/worlds';
import type { Vec3 } from '../../shared/protocol';
import type { WorldSession } from '../net/session';
import { AvatarLayer } from '../scene/AvatarLayer';
import { createFirstPersonCamera, headPose, keepInsideRoom } from '../scene/camera';
import { DocumentLayer } from '../scene/DocumentLayer';
import { DragController } from '../input/DragController';
import { placementForRay, placementInFront, type Placement } from '../scene/dropPlacement';
import { PanelInput, type NoteTarget } from '../input/PanelInput';
import { ReadMode } from '../scene/ReadMode';
import { buildEnvironment, type Environment } from '../scene/environment';
import { chooseTier, graphicsSetting, type GraphicsTier } from '../scene/graphics';
import { drawingScale } from '../scene/resolution';
import type { WorldProbe } from '../testing/testHook';
import { createWorldProbe } from '../testing/worldProbe';
import { XrExperience } from '../xr/XrExperience';
import { Workflows } from '../workflows/Workflows';
import { MouseControls } from '../input/MouseControls';
import { PropLayer } from '../scene/props/PropLayer';
import { PropIntents } from '../net/propIntents';
import { PropEditor } from '../input/PropEditor';
import { DESKTOP_AHEAD, placeAhead } from '../scene/props/propMaths';
import { DEFAULT_PACING, RenderDemand } from '../scene/renderDemand';
import { spotNear } from '../scene/goTo';
import { guardEngine, warmShaders } from '../scene/engineGuards';
import { VoiceChat, type VoiceHost } from '../voice/VoiceChat';
import { TwinLayer } from '../twins/TwinLayer';

export interface WorldViewOptions {
  notify(message: string): void;
  /** Asks for the text of a new note at a point on a page (`at`: viewport point for the dialog). */
  requestNote(target: NoteTarget, at: { x: number; y: number }): void;
  /** Opens an existing note for reading, editing or deleting. */
  openNote(noteId: string, at: { x: number; y: number }): void;
  noteModeChanged(on: boolean): void;
  /** Viewport rectangles of the overlay that read mode keeps a panel clear of. */
  obstacles?(): DOMRect[];
  /** The prop selected in the world editor changed. */
  propSelected?(propId: string | null): void;
}

/** Thrown when the browser cannot draw 3D at all. */
export class NoWebGLError extends Error {
  override name = 'NoWebGLError';
}

const ROOM = { halfSize: ROOM_HALF_SIZE, height: ROOM_HEIGHT };
/** Half the height of a typical new document (a page and its footer), for placing uploads. */
const NEW_DOCUMENT_HALF_HEIGHT = 0.65;

export class WorldView {
  private readonly engine: Engine;
  private readonly scene: Scene;
  private readonly camera: UniversalCamera;
  private readonly documents: DocumentLayer;
  private readonly avatars: AvatarLayer;
  private readonly drag: DragController;
  private readonly input: PanelInput;
  private readonly read: ReadMode;
  /** VR and AR for this world (loaded when someone enters). */
  readonly xr: XrExperience;
  /** The chains, their builder and runs (the headset's menu builds with them too). */
  readonly workflows: Workflows;
  private readonly controls: MouseControls;
  /** The world's furniture, and the desktop editor that moves it. */
  readonly props: PropLayer;
  readonly propIntents: PropIntents;
  readonly propEditor: PropEditor;
  /** Voice with the people near, heard from where they stand. */
  readonly voice: VoiceChat;
  /** The devices' twins: gauges, tinted props and their panels. */
  readonly twins: TwinLayer;
  private frames = 0;
  /** Whether the picture needs drawing again (see renderDemand.ts). */
  private readonly demand: RenderDemand;
  private readonly stopWatchingState: () => void;
  private lastFrame = performance.now();
  /** The hardware scaling level last set (see resolution.ts). */
  private scale = 0;
  /** The place itself (shell, light, sky); props cast their shadows through it. */
  readonly environment: Environment;
  /** How richly this world is drawn here (see graphics.ts). */
  readonly graphics: GraphicsTier;
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
    guardEngine(this.engine);
    warmShaders();
    this.scene = new Scene(this.engine);
    // right-handed like WebXR and the server's poses: identity looks down -Z
    this.scene.useRightHandedSystem = true;
    const state = session.state;
    this.graphics = chooseTier(graphicsSetting(), this.engine.getGlInfo().renderer);
    this.environment = buildEnvironment(this.scene, state.template, this.graphics);

    const me = state.participants.get(session.sessionId);
    const start = me ? ([me.head.px, me.head.py, me.head.pz, me.head.qx, me.head.qy, me.head.qz, me.head.qw] as const) : ([0, 1.6, 2, 0, 0, 0, 1] as const);
    this.camera = createFirstPersonCamera(this.scene, canvas, [...start]);

    const common = { scene: this.scene, camera: this.camera, canvas, session };
    this.input = new PanelInput({
      ...common,
      panel: (id) => this.documents.panel(id),
      requestNote: options.requestNote,
      openNote: options.openNote,
      noteModeChanged: options.noteModeChanged,
    });
    this.drag = new DragController({
      ...common,
      document: (id) => this.documents.documents.get(id),
      notify: options.notify,
      claimPress: (pick, event) => this.input.claimPress(pick, event),
      released: (id, x, y) => this.workflows.documentReleased(id, x, y),
    });
    this.read = new ReadMode({ ...common, panel: (id) => this.documents.panel(id), obstacles: () => options.obstacles?.() ?? [] });
    this.documents = new DocumentLayer(this.scene, session, (id, heldBy) => this.drag.onHolderChanged(id, heldBy));
    this.avatars = new AvatarLayer(this.scene, session, () => performance.now());
    const callbacks = session.callbacks();
    this.documents.attach(callbacks);
    this.avatars.attach(callbacks);
    // props cast the main light's shadow, drawn again only when one moves
    this.props = new PropLayer(this.scene, session, options.notify, {
      plainModels: this.graphics === 'light',
      onMeshReady: (mesh) => this.environment.addShadowCaster(mesh),
      onMoved: () => {
        this.environment.invalidateShadows();
        this.demand.poke();
      },
    });
    this.props.attach(callbacks);
    this.twins = new TwinLayer({ scene: this.scene, session, props: this.props, presenting: () => this.xr.presenting, unit: () => this.xr.loadedRig?.worldUnit ?? 1 });
    this.twins.attach(callbacks);
    this.propIntents = new PropIntents(session);
    this.xr = new XrExperience({
      scene: this.scene,
      session,
      documents: this.documents,
      props: { layer: this.props, intents: this.propIntents },
      notify: options.notify,
      home: () => [...start],
      dropped: (id, hand) => this.workflows.documentDropped(id, hand),
    });
    this.workflows = new Workflows({ ...common, callbacks, documentAt: (id) => this.documents.documents.get(id)?.position });
    this.propEditor = new PropEditor({ ...common, props: this.props, intents: this.propIntents, notify: options.notify, selected: (id) => options.propSelected?.(id) });
    // last made, so first in line: a click on any control (chain, menu) presses it and nothing else
    this.controls = new MouseControls(common);

    this.scene.onAfterRenderObservable.add(() => this.frames++);
    this.demand = new RenderDemand({
      scene: this.scene,
      camera: this.camera,
      canvas,
      // in the light tier a frame is dear (no graphics card): breathing is drawn a few times a second
      pacing: this.graphics === 'light' ? { ...DEFAULT_PACING, ambientMs: 500 } : DEFAULT_PACING,
      busy: () => this.documents.drawing,
    });
    const stateChanged = () => this.demand.poke();
    session.room.onStateChange(stateChanged);
    this.stopWatchingState = () => session.room.onStateChange.remove(stateChanged);
    window.addEventListener('resize', this.onResize);
    this.voice = new VoiceChat(session, this.voiceHost());
    this.engine.runRenderLoop(() => this.frame());
  }

  private frame(): void {
    const now = performance.now();
    // a long pause (background tab) must not turn into one huge smoothing step
    const dt = Math.min(100, now - this.lastFrame);
    this.lastFrame = now;
    // read mode may put the eye above or below standing height, square on to a panel
    if (!this.read.placesEye) keepInsideRoom(this.camera);
    // in VR or AR the headset and hands give the pose; otherwise the desktop camera
    this.session.updatePose(this.xr.update(now) ?? { head: headPose(this.camera), left: null, right: null });
    this.avatars.update();
    // in VR or AR the active camera is the headset's, which is what sharpness must follow
    this.documents.update(dt, this.scene.activeCamera ?? this.camera);
    this.workflows.update(now);
    this.props.update(dt);
    this.twins.update(now);
    this.keepResolution();
    if (!this.demand.shouldDraw(now, this.xr.presenting)) return;
    this.demand.draw(now, () => this.scene.render());
  }

  /** Draws at the resolution the tier and what is on screen call for (see resolution.ts). */
  private keepResolution(): void {
    const scale = drawingScale(this.graphics, this.read.docId !== null, window.devicePixelRatio || 1);
    if (scale === this.scale) return;
    this.scale = scale;
    this.engine.setHardwareScalingLevel(scale);
    this.demand.poke();
  }

  /** Whether a page is being read up close. */
  get reading(): boolean {
    return this.read.docId !== null;
  }

  /** In note mode the next click on a page starts a note there. */
  setNoteMode(on: boolean): void {
    this.input.setNoteMode(on);
  }

  /** Where a file dropped at a viewport point should go (wall, floor, or in front of the eye). */
  placementAt(clientX: number, clientY: number): Placement {
    const rect = this.canvas.getBoundingClientRect();
    return this.placementAtCanvas(clientX - rect.left, clientY - rect.top);
  }

  private placementAtCanvas(x: number, y: number): Placement {
    const ray = this.scene.createPickingRay(x, y, Matrix.Identity(), this.camera);
    const origin: Vec3 = [ray.origin.x, ray.origin.y, ray.origin.z];
    return placementForRay(origin, [ray.direction.x, ray.direction.y, ray.direction.z], ROOM, NEW_DOCUMENT_HALF_HEIGHT);
  }

  /** Where an uploaded file goes: a couple of metres ahead, facing the eye. */
  placementInFront(): Placement {
    const eye = this.camera.globalPosition;
    const forward = this.camera.getForwardRay(1).direction;
    return placementInFront([eye.x, eye.y, eye.z], [forward.x, forward.y, forward.z], ROOM, NEW_DOCUMENT_HALF_HEIGHT);
  }

  /** Places a new prop of `kind` on the floor a couple of metres ahead, facing the person. */
  addPropAhead(kind: string): void {
    const eye = this.camera.globalPosition;
    const forward = this.camera.getForwardRay(1).direction;
    const { position, rotation } = placeAhead([eye.x, eye.y, eye.z], [forward.x, forward.y, forward.z], DESKTOP_AHEAD, ROOM_HALF_SIZE);
    this.propIntents.add(kind, position, rotation);
  }

  /** Walks over to someone: stands a little in front of them, facing them (in VR too). False when they are not drawn here. */
  goTo(participantId: string): boolean {
    const avatar = this.avatars.avatars.get(participantId);
    if (!avatar) return false;
    const head = avatar.headPosition;
    if (this.xr.presenting) return this.xr.standNear([head.x, head.z], avatar.headingYaw);
    const eye = this.camera.position;
    const spot = spotNear([eye.x, eye.z], [head.x, head.z], avatar.headingYaw);
    this.camera.position.set(spot.x, eye.y, spot.z);
    this.camera.rotation.set(0, spot.yaw, 0);
    this.demand.poke();
    return true;
  }

  /** Whether a page control on show lies under a viewport rectangle (e.g. the overlay's hint). */
  controlUnder(area: DOMRect): boolean {
    const rect = this.canvas.getBoundingClientRect();
    const width = this.engine.getRenderWidth();
    const height = this.engine.getRenderHeight();
    const transform = this.scene.getTransformMatrix();
    const viewport = this.camera.viewport.toGlobal(width, height);
    for (const docId of this.documents.documents.keys()) {
      const panel = this.documents.panel(docId);
      for (const control of ['prev', 'next', 'spread'] as const) {
        const mesh = panel?.controlMesh(control);
        if (!mesh?.isEnabled()) continue;
        const corners = mesh.getBoundingInfo().boundingBox.vectorsWorld.map((v) => Vector3.Project(v, Matrix.Identity(), transform, viewport));
        if (corners.some((c) => c.z < 0 || c.z > 1)) continue;
        const xs = corners.map((c) => rect.left + (c.x * rect.width) / width);
        const ys = corners.map((c) => rect.top + (c.y * rect.height) / height);
        if (Math.max(...xs) >= area.left && Math.min(...xs) <= area.right && Math.max(...ys) >= area.top && Math.min(...ys) <= area.bottom) return true;
      }
    }
    return false;
  }

  /** What voice needs from the view: the listener's eye, where people's heads are drawn, their talking. */
  private voiceHost(): VoiceHost {
    const v = (p: Vector3) => [p.x, p.y, p.z] as const;
    return {
      listener: () => {
        // in VR or AR the ears are the headset's
        const eye = this.scene.activeCamera ?? this.camera;
        return { position: v(eye.globalPosition), forward: v(eye.getDirection(Vector3.Forward(this.scene.useRightHandedSystem))), up: v(eye.getDirection(Vector3.Up())) };
      },
      headOf: (id) => {
        const avatar = this.avatars.avatars.get(id);
        return avatar ? v(avatar.headPosition) : null;
      },
      talking: (id, level) => this.avatars.avatars.get(id)?.setTalking(level),
    };
  }

  /** Answers for `window.__dwc` (see testHook.ts). */
  probe(): WorldProbe {
    return createWorldProbe({
      engine: this.engine,
      scene: this.scene,
      camera: this.camera,
      canvas: this.canvas,
      session: this.session,
      documents: this.documents,
      avatars: this.avatars,
      workflows: this.workflows,
      xr: this.xr,
      environment: this.environment,
      frames: () => this.frames,
      dropTargetAt: (x, y) => this.placementAtCanvas(x, y).target,
      reading: () => this.read.docId,
      props: this.props,
      propEditor: this.propEditor,
      voice: this.voice,
      twins: this.twins,
    });
  }

  dispose(): void {
    window.removeEventListener('resize', this.onResize);
    this.engine.stopRenderLoop();
    this.stopWatchingState();
    this.demand.dispose();
    this.voice.dispose();
    this.controls.dispose();
    this.propEditor.dispose();
    this.twins.dispose();
    this.propIntents.dispose();
    this.props.dispose();
    this.input.dispose();
    this.read.dispose();
    this.drag.dispose();
    this.xr.dispose();
    this.workflows.dispose();
    this.documents.dispose();
    this.avatars.dispose();
    this.environment.dispose();
    this.scene.dispose();
    this.engine.dispose();
  }
}
