/**
 * Babylon's WebXR experience wired to the world: controller models from this server, teleport or
 * smooth walking with snap turns in VR, hit-test placement in AR, grabbing through XrGrab, and the
 * poses of head and hands for the session. Loaded only when someone enters VR or AR.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Color4 } from '@babylonjs/core/Maths/math.color';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { spotNear } from '../scene/goTo';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { TransformNode } from '@babylonjs/core/Meshes/transformNode';
import type { Observer } from '@babylonjs/core/Misc/observable';
import type { PointerInfoPre } from '@babylonjs/core/Events/pointerEvents';
import { WebXRDefaultExperience } from '@babylonjs/core/XR/webXRDefaultExperience';
import { WebXRFeatureName } from '@babylonjs/core/XR/webXRFeaturesManager';
import type { WebXRInputSource } from '@babylonjs/core/XR/webXRInputSource';
import { RegisterWebXRHitTest, WebXRHitTest } from '@babylonjs/core/XR/features/WebXRHitTest.pure';
import { RegisterWebXRAnchorSystem, WebXRAnchorSystem } from '@babylonjs/core/XR/features/WebXRAnchorSystem.pure';
import { RegisterWebXRDOMOverlay } from '@babylonjs/core/XR/features/WebXRDOMOverlay.pure';
import { RegisterWebXRControllerMovement } from '@babylonjs/core/XR/features/WebXRControllerMovement.pure';
import { RegisterWebXRLayers } from '@babylonjs/core/XR/features/WebXRLayers.pure';
import { RegisterWebXRPlaneDetector, type WebXRPlaneDetector } from '@babylonjs/core/XR/features/WebXRPlaneDetector.pure';
import { WebXRHandJoint, type WebXRHandTracking } from '@babylonjs/core/XR/features/WebXRHandTracking.pure';
import type { WebXRMotionControllerTeleportation } from '@babylonjs/core/XR/features/WebXRControllerTeleportation.pure';
// profiled controller models are glTF files
import '@babylonjs/loaders/glTF/2.0';
import type { Pose } from '../../shared/protocol';
import { XR_PROFILES_PATH } from '../../shared/xrProfiles';
import type { PoseUpdate, WorldSession } from '../net/session';
import type { DocumentLayer } from '../scene/DocumentLayer';
import { FLOOR_MESH, PROPS_NODE } from '../scene/environment';
import type { PlacedControl } from '../scene/controls';
import { ArSession, type ArState } from './ArSession';
import { SnapTurn, snapTurnRig } from './snapTurn';
import { XrGrab } from './XrGrab';
import { XrPropGrab, type XrProps } from './XrPropGrab';
import { XrControlsRouting, pointerLook } from './xrControlsRouting';
import { loadHandMeshes } from './handMeshes';
import { DEFAULT_XR_SETTINGS, type XrSettings } from './xrSettings';
import { XrLocomotion, keepHeadingOnTeleport } from './XrLocomotion';

/** The WebXR hand joints in the order of the spec (the enum is declared in that order). */
const HAND_JOINTS = Object.values(WebXRHandJoint);

export type XrMode = 'vr' | 'ar';

export interface XrRigHost {
  scene: Scene;
  session: WorldSession;
  documents: DocumentLayer;
  props?: XrProps;
  notify(message: string): void;
  /** The DOM shown over the view in AR (exit, recentre). */
  overlay: HTMLElement;
  /** Where a recentre puts the head in VR. */
  home(): Pose;
  /** Called when AR's hint, placement or size changed. */
  arChanged(): void;
  /** A document let go by hand where it now stands (it may have been set down on a chain). */
  dropped?(docId: string, hand: Vector3): void;
}

/** One controller or tracked hand of the running session, as it is now. */
export interface XrControllerState {
  handedness: string;
  hand: boolean;
  /** Whether a 3D model of the controller, or the hand mesh, is on show. */
  hasModel: boolean;
  position: [number, number, number];
  /** World position of the index fingertip, for tracked hands. */
  fingertip: [number, number, number] | null;
  /** The control its ray or fingertip is over (its label), if any. */
  pointingAt: string | null;
}

const SEND_EVENTS = ['selectstart', 'selectend', 'squeezestart', 'squeezeend'] as const;

function poseOf(node: TransformNode): Pose {
  node.computeWorldMatrix(true);
  const p = node.absolutePosition;
  const q = node.absoluteRotationQuaternion;
  return [p.x, p.y, p.z, q.x, q.y, q.z, q.w];
}

export class XrRig {
  private mode: XrMode | null = null;
  private readonly grab: XrGrab;
  private readonly propGrab: XrPropGrab | null;
  private readonly controls: XrControlsRouting;
  private readonly snap = new SnapTurn();
  private readonly locomotion: XrLocomotion;
  private teleport: WebXRMotionControllerTeleportation | null = null;
  private ar: ArSession | null = null;
  private removeSessionListeners: () => void = () => undefined;
  private readonly prePointer: Observer<PointerInfoPre>;
  private savedClear: Color4 | null = null;
  /** Called when a session ends however it ends (button, headset menu, error). */
  onEnded: () => void = () => undefined;

  private constructor(
    private readonly host: XrRigHost,
    private readonly xr: WebXRDefaultExperience,
  ) {
    const { scene } = host;
    const camera = xr.baseExperience.camera;
    this.grab = new XrGrab(scene, host.session, host.documents, host.notify, (s) => this.fingertip(s), () => camera.globalPosition);
    this.controls = new XrControlsRouting(scene, xr.pointerSelection, (s) => this.fingertip(s));
    this.grab.onDropped = (docId, hand) => host.dropped?.(docId, hand);
    this.propGrab = host.props ? new XrPropGrab(host.session, host.props) : null;
    this.locomotion = new XrLocomotion(scene, camera);
    // the laser pointers replay presses as scene pointer events; grabbing in XR is XrGrab's job and
    // pressing controls xrControlsRouting's, so those must not reach the desktop handlers
    this.prePointer = scene.onPrePointerObservable.add(
      (info, state) => {
        if ((info.event as PointerEvent).pointerType !== 'xr') return;
        info.skipOnPointerObservable = true;
        state.skipNextObservers = true;
      },
      undefined,
      true,
    );
    const sm = xr.baseExperience.sessionManager;
    sm.onXRSessionInit.add((session) => this.listen(session));
    sm.onXRSessionEnded.add(() => this.ended());
    xr.input.onControllerRemovedObservable.add((source) => {
      this.grab.lost(source);
      this.propGrab?.lost(source);
      this.controls.lost(source);
    });
  }

  static async create(host: XrRigHost): Promise<XrRig> {
    for (const register of [RegisterWebXRHitTest, RegisterWebXRAnchorSystem, RegisterWebXRDOMOverlay, RegisterWebXRControllerMovement, RegisterWebXRLayers, RegisterWebXRPlaneDetector]) register();
    const floor = host.scene.getMeshByName(FLOOR_MESH);
    const hands = await loadHandMeshes(host.scene);
    const xr = await WebXRDefaultExperience.CreateAsync(host.scene, {
      disableDefaultUI: true,
      disableTeleportation: true,
      disableNearInteraction: true,
      floorMeshes: floor ? [floor] : [],
      pointerSelectionOptions: pointerLook(host.scene),
      inputOptions: {
        // models come from this server only (see server/http/xrProfiles.ts)
        customControllersRepositoryURL: `${location.origin}${XR_PROFILES_PATH}`,
        disableOnlineControllerRepository: false,
      },
      handSupportOptions: {
        // Babylon's default hand meshes live on a remote host: ours come from this server, and
        // the joint spheres stand in if they cannot be loaded
        handMeshes: hands ? { customMeshes: hands } : { disableDefaultMeshes: true },
      },
    });
    if (!xr.baseExperience) throw new Error('This browser could not start WebXR.');
    return new XrRig(host, xr);
  }

  get active(): XrMode | null {
    return this.mode;
  }

  /** A headset session is running or starting: its frames are the headset's, every one drawn. */
  get presenting(): boolean {
    return this.mode !== null || this.xr.baseExperience.sessionManager.inXRSession;
  }

  get inputSources(): readonly WebXRInputSource[] {
    return this.mode ? this.xr.input.controllers : [];
  }

  /** The document, else the prop, held through XR now. */
  get holding(): string | null {
    return this.grab.holding ?? this.propGrab?.holding ?? null;
  }

  async enter(mode: XrMode, settings: XrSettings): Promise<void> {
    if (this.mode) return;
    this.configure(mode, settings);
    const sessionMode = mode === 'vr' ? 'immersive-vr' : 'immersive-ar';
    await this.xr.baseExperience.enterXRAsync(sessionMode, 'local-floor', this.xr.renderTarget, {
      optionalFeatures: mode === 'vr' ? ['hand-tracking', 'bounded-floor'] : ['hand-tracking', 'anchors', 'dom-overlay', 'plane-detection'],
    });
    this.mode = mode;
    this.freezeRoom();
    if (mode === 'ar') this.hideRoom(true);
    this.ar?.started();
  }

  async exit(): Promise<void> {
    if (this.mode) await this.xr.baseExperience.exitXRAsync();
  }

  /** VR: back to the start spot facing the front wall. AR: pick the workspace up to place it again. */
  recentre(): void {
    if (this.mode === 'ar') {
      this.ar?.placement.reset();
      return;
    }
    const camera = this.xr.baseExperience.camera;
    const [x, , z] = this.host.home();
    camera.position.set(x, camera.position.y, z);
    camera.rotationQuaternion.set(0, 0, 0, 1);
  }

  /** VR: stands a little in front of someone at (x, z), facing them. In AR the room is where the phone is: nothing moves. */
  standNear(them: readonly [number, number], theirYaw?: number): boolean {
    if (this.mode !== 'vr') return false;
    const camera = this.xr.baseExperience.camera;
    const spot = spotNear([camera.position.x, camera.position.z], them, theirYaw);
    camera.position.set(spot.x, camera.position.y, spot.z);
    Quaternion.RotationYawPitchRollToRef(spot.yaw, 0, 0, camera.rotationQuaternion);
    return true;
  }

  /** Features differ between VR (walking about) and AR (placing on a surface). */
  private configure(mode: XrMode, settings: XrSettings): void {
    const fm = this.xr.baseExperience.featuresManager;
    for (const name of [WebXRFeatureName.TELEPORTATION, WebXRFeatureName.MOVEMENT, WebXRFeatureName.HIT_TEST, WebXRFeatureName.ANCHOR_SYSTEM, WebXRFeatureName.DOM_OVERLAY, WebXRFeatureName.PLANE_DETECTION]) {
      if (fm.getEnabledFeature(name)) fm.disableFeature(name);
    }
    this.ar?.dispose();
    this.ar = null;
    this.teleport = null;
    if (mode === 'vr') {
      if (settings.locomotion === 'teleport') {
        const floor = this.host.scene.getMeshByName(FLOOR_MESH);
        const teleport = fm.enableFeature(WebXRFeatureName.TELEPORTATION, 'latest', {
          xrInput: this.xr.input,
          floorMeshes: floor ? [floor] : [],
          // turning is the snap turn's job, so the stick's sideways push does only that
          defaultTargetMeshOptions: { disableAnimation: true },
        }) as WebXRMotionControllerTeleportation;
        teleport.rotationEnabled = false;
        // Babylon's teleport turns by its own angle on every sideways push, on top of ours
        teleport.rotationAngle = 0;
        teleport.setSelectionFeature(this.xr.pointerSelection);
        keepHeadingOnTeleport(teleport, this.xr.baseExperience.camera);
        this.teleport = teleport;
      } else {
        fm.enableFeature(WebXRFeatureName.MOVEMENT, 'latest', {
          xrInput: this.xr.input,
          movementOrientationFollowsViewerPose: true,
          movementOrientationFollowsController: false,
          movementSpeed: 0.5,
          rotationEnabled: settings.snapDegrees === 0,
        });
      }
      const caps = this.host.scene.getEngine().getCaps();
      if (caps.multiview && 'XRWebGLBinding' in window) {
        fm.enableFeature(WebXRFeatureName.LAYERS, 'latest', { preferMultiviewOnInit: true }, true, false);
      }
      return;
    }
    const hitTest = fm.enableFeature(WebXRFeatureName.HIT_TEST, 'latest', {}, true, true) as WebXRHitTest;
    const anchors = fm.enableFeature(WebXRFeatureName.ANCHOR_SYSTEM, 'latest', {}, true, false) as WebXRAnchorSystem;
    // taps on the overlay's buttons must not also place or grab
    fm.enableFeature(WebXRFeatureName.DOM_OVERLAY, 'latest', { element: this.host.overlay, supressXRSelectEvents: true }, true, false);
    // surfaces the browser found are shown while placing, where it offers plane detection
    const planes = fm.enableFeature(WebXRFeatureName.PLANE_DETECTION, 'latest', {}, true, false) as WebXRPlaneDetector | null;
    const { camera, sessionManager: session } = this.xr.baseExperience;
    this.ar = new ArSession({
      scene: this.host.scene,
      camera,
      session,
      hitTest,
      anchors,
      planes,
      exit: () => {
        this.exit().catch((err: unknown) => this.host.notify(`Could not leave AR: ${String(err)}`));
      },
      changed: () => this.host.arChanged(),
    });
  }

  /** AR: a life-size room instead of the tabletop miniature, or back. */
  setLifeSize(on: boolean): void {
    this.ar?.placement.setLifeSize(on);
  }

  private listen(session: XRSession): void {
    const handler = (event: Event) => {
      const e = event as XRInputSourceEvent;
      const source = this.xr.input.controllers.find((c) => c.inputSource === e.inputSource);
      if (!source) return;
      const trigger = e.type.startsWith('select') ? 'select' : 'squeeze';
      const start = e.type.endsWith('start');
      // a trigger or pinch aimed at a control presses it; in AR the first tap elsewhere places the
      // workspace and two hands pinching resize it; other taps may grab
      if (start && trigger === 'select' && this.controls.select(source)) return;
      if (trigger === 'select' && this.ar?.select(source, start, (first) => this.grab.end(first, 'select'))) return;
      if (start) {
        if (!this.propGrab?.start(source, trigger)) this.grab.start(source, trigger);
      } else {
        this.propGrab?.end(source, trigger);
        this.grab.end(source, trigger);
      }
    };
    for (const type of SEND_EVENTS) session.addEventListener(type, handler);
    this.removeSessionListeners = () => {
      for (const type of SEND_EVENTS) session.removeEventListener(type, handler);
    };
  }

  private ended(): void {
    this.removeSessionListeners();
    this.grab.dispose();
    this.propGrab?.releaseAll();
    this.controls.reset();
    this.hideRoom(false);
    this.ar?.dispose();
    this.ar = null;
    this.mode = null;
    this.locomotion.reset();
    this.onEnded();
  }

  /** Every frame in XR: grabs follow hands, snap turns apply. Returns the pose to send. */
  update(now: number): PoseUpdate | null {
    if (!this.mode) return null;
    const sources = this.xr.input.controllers;
    this.grab.update(sources, now);
    this.propGrab?.update(now);
    this.controls.update(sources);
    if (this.mode === 'vr') {
      this.snapTurn(sources);
      this.locomotion.update(sources, this.settings, now);
    }
    this.ar?.update(sources);
    const camera = this.xr.baseExperience.camera;
    const side = (handedness: string) => {
      const source = sources.find((c) => c.inputSource.handedness === handedness);
      return source ? poseOf(source.grip ?? source.pointer) : null;
    };
    const q = camera.rotationQuaternion;
    const p = camera.globalPosition;
    return { head: [p.x, p.y, p.z, q.x, q.y, q.z, q.w], left: side('left'), right: side('right'), device: this.mode };
  }

  private snapTurn(sources: readonly WebXRInputSource[]): void {
    const right = sources.find((c) => c.inputSource.handedness === 'right');
    const stick = right?.motionController?.getComponentOfType('thumbstick');
    const settings = this.settings;
    if (!stick || settings.snapDegrees === 0) return;
    const steps = this.snap.update(stick.axes.x);
    if (!steps) return;
    const camera = this.xr.baseExperience.camera;
    const p = camera.position;
    const q = camera.rotationQuaternion;
    const next = snapTurnRig({ position: [p.x, p.y, p.z], rotation: [q.x, q.y, q.z, q.w] }, [p.x, p.y, p.z], steps, settings.snapDegrees);
    camera.position.set(...next.position);
    camera.rotationQuaternion.set(...next.rotation);
  }

  /** Set by the owner before entering; read each frame. */
  settings: XrSettings = { ...DEFAULT_XR_SETTINGS };

  private handTracking(): WebXRHandTracking | undefined {
    return this.xr.baseExperience.featuresManager.getEnabledFeature(WebXRFeatureName.HAND_TRACKING) as WebXRHandTracking | undefined;
  }

  private fingertip(source: WebXRInputSource): Vector3 | null {
    if (!source.inputSource.hand) return null;
    const mesh: AbstractMesh | undefined = this.handTracking()?.getHandByControllerId(source.uniqueId)?.getJointMesh(WebXRHandJoint.INDEX_FINGER_TIP);
    return mesh ? mesh.getAbsolutePosition().clone() : null;
  }

  /** The 25 joint positions of a tracked hand in WebXR order (for gestures), or null when it is not tracked. */
  handJoints(handedness: 'left' | 'right'): Array<[number, number, number]> | null {
    if (!this.mode) return null;
    const hands = this.xr.baseExperience.featuresManager.getEnabledFeature(WebXRFeatureName.HAND_TRACKING) as WebXRHandTracking | undefined;
    const hand = hands?.getHandByHandedness(handedness);
    if (!hand) return null;
    return HAND_JOINTS.map((joint) => {
      const p = hand.getJointMesh(joint).getAbsolutePosition();
      return [p.x, p.y, p.z];
    });
  }

  /** The room shell never moves: freezing its matrices saves work every frame in the headset. */
  private freezeRoom(): void {
    const room = this.host.scene.getTransformNodeByName('room');
    for (const mesh of room?.getChildMeshes() ?? []) mesh.freezeWorldMatrix();
  }

  /** In AR the real room is the room: walls, floor, ceiling and furniture go, and the background clears. */
  private hideRoom(hide: boolean): void {
    const scene = this.host.scene;
    scene.getTransformNodeByName('room')?.setEnabled(!hide);
    // the furniture belongs to the virtual room, not on the real table
    scene.getTransformNodeByName(PROPS_NODE)?.setEnabled(!hide);
    if (hide) {
      this.savedClear = scene.clearColor.clone();
      scene.clearColor = new Color4(0, 0, 0, 0);
    } else if (this.savedClear) {
      scene.clearColor = this.savedClear;
      this.savedClear = null;
    }
  }

  /** Where the eyes are in the world, while a session runs. */
  /** World metres per real metre: 1, but more while AR shows the world as a miniature. */
  get worldUnit(): number {
    return this.xr.baseExperience.sessionManager.worldScalingFactor;
  }

  get head(): [number, number, number] | null {
    if (!this.mode) return null;
    const p = this.xr.baseExperience.camera.globalPosition;
    return [p.x, p.y, p.z];
  }

  /** Which way the head is turned (quaternion x, y, z, w), while a session runs. */
  get headRotation(): [number, number, number, number] | null {
    if (!this.mode) return null;
    const q = this.xr.baseExperience.camera.rotationQuaternion;
    return [q.x, q.y, q.z, q.w];
  }

  /** Each controller or hand: where it is, whether its model shows, and what it points at. */
  get controllersState(): XrControllerState[] {
    return this.xr.input.controllers.map((c) => {
      const node = c.grip ?? c.pointer;
      const p = node.absolutePosition;
      const hasModel = c.inputSource.hand
        ? !!this.handTracking()?.getHandByControllerId(c.uniqueId)?.handMesh?.isVisible
        : !!c.motionController?.rootMesh && c.motionController.rootMesh.getChildMeshes().length > 0;
      const tip = this.fingertip(c);
      return { handedness: c.inputSource.handedness, hand: !!c.inputSource.hand, hasModel, position: [p.x, p.y, p.z], fingertip: tip ? [tip.x, tip.y, tip.z] : null, pointingAt: this.controls.pointingAt(c) };
    });
  }

  /** Where AR's reticle sits on a real surface, while it shows. */
  get reticle(): [number, number, number] | null {
    const reticle = this.ar?.placement.reticle;
    return reticle?.isEnabled() ? [reticle.position.x, reticle.position.y, reticle.position.z] : null;
  }

  /** Where the workspace was placed in AR, once placed. */
  get placedAt(): [number, number, number] | null {
    return this.ar?.placement.placedAt ?? null;
  }

  /** AR's size, hint and content box, while an AR session is set up. */
  get arState(): ArState | null {
    return this.ar?.state ?? null;
  }

  /** AR's buttons drawn in the world (none where the page overlays them), while in AR. */
  get arButtons(): PlacedControl[] | null {
    return this.ar?.buttonPlaces ?? null;
  }

  /** How dark the comfort ring is now, 0..1. */
  get vignetteLevel(): number {
    return this.locomotion.vignetteLevel;
  }

  /** Whether the teleport's landing ring shows. */
  get teleportAiming(): boolean {
    return !!this.teleport?.teleportationTargetMesh?.isVisible;
  }

  dispose(): void {
    this.prePointer.remove();
    this.grab.dispose();
    this.propGrab?.dispose();
    this.locomotion.dispose();
    this.ar?.dispose();
    this.xr.dispose();
  }
}
