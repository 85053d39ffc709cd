/**
 * The answers behind `window.__dwc` for one open world (see testHook.ts), read from the public side
 * of the world's parts: the production classes carry no test code.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Engine } from '@babylonjs/core/Engines/engine';
import type { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { WorldSession } from '../net/session';
import type { AvatarLayer } from '../scene/AvatarLayer';
import type { DocumentLayer } from '../scene/DocumentLayer';
import { DocumentModel } from '../scene/DocumentModel';
import { DocumentPanel } from '../scene/DocumentPanel';
import { isDocumentMesh } from '../scene/PlacedDocument';
import { DropTarget } from '../scene/dropPlacement';
import { pageToFace } from '../scene/faceLayout';
import { runsOf } from '../workflows/ChainLayer';
import { currentRun } from '../workflows/stepLook';
import type { Workflows } from '../workflows/Workflows';
import type { XrExperience } from '../xr/XrExperience';
import type { Environment } from '../scene/environment';
import { hapticPulses } from '../xr/haptics';
import type { XrMenu } from '../xr/menu/XrMenu';
import type { PropLayer } from '../scene/props/PropLayer';
import type { PropEditor } from '../input/PropEditor';
import type { VoiceChat } from '../voice/VoiceChat';
import type { TwinLayer } from '../twins/TwinLayer';
import { twinProbes } from './twinProbe';
import type { ChainProbe, DocumentProbe, PropProbe, NoteProbe, ParticipantProbe, Point, WorkflowProbe, WorldProbe, XrMenuProbe, XrProbe } from './testHook';

export interface ProbeSources {
  engine: Engine;
  scene: Scene;
  camera: UniversalCamera;
  canvas: HTMLCanvasElement;
  session: WorldSession;
  documents: DocumentLayer;
  avatars: AvatarLayer;
  workflows: Workflows;
  xr: XrExperience;
  environment: Environment;
  frames(): number;
  /** What a drop at a canvas point would hit. */
  dropTargetAt(x: number, y: number): DropTarget;
  /** The document in read mode, if any. */
  reading(): string | null;
  props: PropLayer;
  propEditor: PropEditor;
  voice: VoiceChat;
  twins: TwinLayer;
}

export function createWorldProbe(s: ProbeSources): WorldProbe {
  /** Viewport CSS pixel of a world point, or null when it is behind the eye. */
  const toScreen = (world: Vector3 | null): Point | null => {
    if (!world) return null;
    const width = s.engine.getRenderWidth();
    const height = s.engine.getRenderHeight();
    const projected = Vector3.Project(world, Matrix.Identity(), s.scene.getTransformMatrix(), s.camera.viewport.toGlobal(width, height));
    if (projected.z < 0 || projected.z > 1) return null;
    // render pixels → CSS pixels of the page
    const rect = s.canvas.getBoundingClientRect();
    return { x: rect.left + (projected.x * rect.width) / width, y: rect.top + (projected.y * rect.height) / height };
  };

  return {
    ready: () => s.frames() > 0,
    sessionId: () => s.session.sessionId,
    participants: () => {
      const out: ParticipantProbe[] = [];
      s.session.state.participants.forEach((p, id) => {
        const avatar = s.avatars.avatars.get(id);
        out.push({
          id,
          name: p.name,
          colour: p.colour,
          head: [p.head.px, p.head.py, p.head.pz],
          device: p.device,
          left: p.left.tracked ? [p.left.px, p.left.py, p.left.pz] : null,
          right: p.right.tracked ? [p.right.px, p.right.py, p.right.pz] : null,
          tag: avatar?.tagText ?? null,
          drawnHands: avatar?.handPositions ?? null,
          role: p.role,
          look: p.look,
          drawnLook: avatar ? { ...avatar.currentLook } : null,
          meshes: avatar?.meshCount ?? null,
          hand: p.hand,
          megaphone: p.megaphone,
          marks: avatar ? { badges: avatar.marks.badgeIcons, bursts: avatar.marks.burstCount } : null,
        });
      });
      return out;
    },
    documents: () => {
      const out: DocumentProbe[] = [];
      s.session.state.documents.forEach((d, id) => {
        const placed = s.documents.documents.get(id);
        const panel = placed instanceof DocumentPanel ? placed : null;
        const model = placed instanceof DocumentModel ? placed : null;
        out.push({
          id,
          title: d.title,
          kind: d.kind,
          position: [d.x, d.y, d.z],
          rotation: [d.qx, d.qy, d.qz, d.qw],
          scale: d.scale,
          heldBy: d.heldBy,
          page: d.page,
          spread: d.spread,
          pageCount: panel ? panel.face.pageCount : model?.contentLoaded ? 1 : 0,
          contentLoaded: panel ? panel.face.contentLoaded : !!model?.contentLoaded,
          notesShown: panel ? panel.face.noteBoxes.map((b) => b.id) : [],
          pageWidthPx: panel ? panel.face.drawnPageWidth : 0,
        });
      });
      return out;
    },
    props: () => {
      const out: PropProbe[] = [];
      s.session.state.props.forEach((p, id) => {
        const drawn = s.props.shown.get(id)?.position;
        out.push({ id, kind: p.kind, position: [p.x, p.y, p.z], rotation: [p.qx, p.qy, p.qz, p.qw], scale: p.scale, heldBy: p.heldBy, drawnAt: drawn ? [drawn.x, drawn.y, drawn.z] : null });
      });
      return out;
    },
    propKinds: () => s.props.kinds(),
    propScreenPoint: (propId) => {
      const shown = s.props.shown.get(propId);
      // half way up, so the pointer lands on the prop and not the floor beside it
      return shown ? toScreen(shown.position.add(new Vector3(0, 0.5 * s.props.heightOf(shown.kind) * shown.scale, 0))) : null;
    },
    editing: () => s.propEditor.editing,
    voiceCalls: () => s.voice.stats(),
    voiceState: () => s.voice.state,
    notes: () => {
      const out: NoteProbe[] = [];
      s.session.state.annotations.forEach((n) => out.push({ id: n.id, documentId: n.documentId, page: n.page, u: n.u, v: n.v, text: n.text, author: n.author }));
      return out;
    },
    screenPointOf: (docId) => {
      const placed = s.documents.documents.get(docId);
      return placed ? toScreen(placed.position) : null;
    },
    pagePoint: (docId, u, v) => {
      const panel = s.documents.panel(docId);
      if (!panel) return null;
      const { fu, fv } = pageToFace(panel.face.layout, { slot: 0, u, v });
      return toScreen(panel.worldPointOfFace(fu, fv));
    },
    faceRect: (docId) => {
      const panel = s.documents.panel(docId);
      if (!panel) return null;
      const corners = [[0, 0], [1, 0], [0, 1], [1, 1]].map(([fu, fv]) => toScreen(panel.worldPointOfFace(fu!, fv!)));
      if (corners.some((c) => !c)) return null;
      const xs = corners.map((c) => c!.x);
      const ys = corners.map((c) => c!.y);
      return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
    },
    view: () => {
      const p = s.camera.position;
      const r = s.camera.rotation;
      return { eye: [p.x, p.y, p.z], rotation: [r.x, r.y, r.z], reading: s.reading() };
    },
    controlPoint: (docId, control) => {
      const mesh = s.documents.panel(docId)?.controlMesh(control);
      return mesh?.isEnabled() ? toScreen(mesh.getAbsolutePosition()) : null;
    },
    controlPosition: (docId, control) => {
      const mesh = s.documents.panel(docId)?.controlMesh(control);
      if (!mesh?.isEnabled()) return null;
      const p = mesh.getAbsolutePosition();
      return [p.x, p.y, p.z];
    },
    dropPoint: () => {
      const rect = s.canvas.getBoundingClientRect();
      // near eye height first, where a dropped document is easiest to read
      for (const fy of [0.5, 0.44, 0.56, 0.38, 0.3, 0.22]) {
        for (const fx of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74]) {
          const x = rect.width * fx;
          const y = rect.height * fy;
          if (s.scene.pick(x, y, isDocumentMesh, false, s.camera).hit) continue;
          if (s.dropTargetAt(x, y) === DropTarget.WALL) return { x: rect.left + x, y: rect.top + y };
        }
      }
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 4 };
    },
    avatarVisible: (participantId) => {
      const head = s.avatars.avatars.get(participantId)?.head;
      return !!head && head.isEnabled() && head.isVisible && !head.isDisposed();
    },
    renderedFrames: () => s.frames(),
    environment: () => ({
      template: s.environment.template,
      setting: s.environment.setting,
      tier: s.environment.tier,
      renderer: s.engine.getGlInfo().renderer,
      activeMeshes: s.scene.getActiveMeshes().data.slice(0, s.scene.getActiveMeshes().length).filter((m) => m.isDescendantOf(s.environment.root)).length,
      lightReady: (s.environment.tier === 'light' || (s.scene.environmentTexture?.isReady() ?? false)) && s.environment.root.getChildMeshes().every((m) => m.isReady(true)),
    }),
    xr: () => xrProbe(s.xr),
    ...twinProbes(s.twins, s),
    ...workflowProbe(s, toScreen),
  };
}

function xrProbe(xr: XrExperience): XrProbe {
  const rig = xr.loadedRig;
  const ar = rig?.arState;
  return {
    modes: xr.availableModes,
    mode: rig?.active ?? null,
    head: rig?.head ?? null,
    headRotation: rig?.headRotation ?? null,
    controllers: rig?.controllersState ?? [],
    roomVisible: xr.scene.getTransformNodeByName('room')?.isEnabled() ?? false,
    reticle: rig?.reticle ?? null,
    placedAt: rig?.placedAt ?? null,
    holding: rig?.holding ?? null,
    vignette: rig?.vignetteLevel ?? 0,
    teleportAim: rig?.teleportAiming ?? false,
    menu: xr.menu ? menuProbe(xr.menu) : null,
    ar: ar ? { ...ar, buttons: rig.arButtons } : null,
  };
}

function menuProbe(menu: XrMenu): XrMenuProbe {
  return {
    open: menu.isOpen,
    tab: menu.currentTab,
    buttons: menu.shownButtons,
    rows: menu.shownRows,
    wrist: menu.wristPosition,
    toasts: menu.shownToasts,
    haptics: hapticPulses(),
  };
}

function workflowProbe({ session, workflows }: ProbeSources, toScreen: (world: Vector3 | null) => Point | null): WorkflowProbe {
  return {
    workflows: () => {
      const runs = runsOf(session);
      const out: ChainProbe[] = [];
      session.state.workflows.forEach((w, id) => {
        const view = workflows.chains.get(id);
        const run = currentRun(runs, id);
        const steps = view?.shape.steps ?? w.steps.map((st) => ({ id: st.id, kind: st.kind, name: st.name }));
        out.push({
          id,
          name: w.name,
          version: w.version,
          latestVersion: w.latestVersion,
          draft: !!view?.shape.draft,
          runId: run?.id ?? '',
          steps: steps.map((st) => {
            const rs = run?.steps.find((x) => x.id === st.id);
            return { id: st.id, kind: st.kind, name: st.name, status: rs?.status ?? '', detail: rs?.detail ?? '', shown: view?.shownStatus(st.id) ?? '', resultDocumentId: rs?.documentId ?? '', resultLinked: !!view?.resultLinked(st.id) };
          }),
        });
      });
      return out;
    },
    runs: () => runsOf(session).map(({ updatedAt: _u, steps, ...r }) => ({ ...r, steps: steps.map((st) => ({ ...st, seen: [...workflows.seenStatuses(r.id, st.id)] })) })),
    nodeScreenPoint: (workflowId, stepId, button) => toScreen(workflows.chains.get(workflowId)?.nodePoint(stepId, button) ?? null),
    nodePosition: (workflowId, stepId, button) => {
      const p = workflows.chains.get(workflowId)?.nodePoint(stepId, button);
      return p ? [p.x, p.y, p.z] : null;
    },
    chainButtonPoint: (workflowId, action) => toScreen(workflows.chains.get(workflowId)?.chainButtonPoint(action) ?? null),
    chainButtonPosition: (workflowId, action) => {
      const p = workflows.chains.get(workflowId)?.chainButtonPoint(action);
      return p ? [p.x, p.y, p.z] : null;
    },
  };
}
