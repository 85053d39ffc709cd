/**
 * The render benchmark's page: a scene with many document panels, built by the product's own panel
 * code (`?mode=product`) or the naive way (`?mode=naive`), measured with Babylon's instrumentation.
 * bench/render.ts drives it through `window.__bench`.
 */
import { Engine } from '@babylonjs/core/Engines/engine';
import { Scene } from '@babylonjs/core/scene';
import { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { HemisphericLight } from '@babylonjs/core/Lights/hemisphericLight';
import { Color4 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { Viewport } from '@babylonjs/core/Maths/math.viewport';
import { SceneInstrumentation } from '@babylonjs/core/Instrumentation/sceneInstrumentation';
import { EngineInstrumentation } from '@babylonjs/core/Instrumentation/engineInstrumentation';
// side effect: the timer queries EngineInstrumentation uses for GPU frame time
import '@babylonjs/core/Engines/Extensions/engine.query';
import '@babylonjs/core/Engines/AbstractEngine/abstractEngine.timeQuery';
import { SourceLibrary } from '../../client/content/SourceLibrary';
import { ContentStore } from '../../client/net/content';
import { DocumentPanel } from '../../client/scene/DocumentPanel';
import { PanelKit } from '../../client/scene/panelKit';
import { benchText } from './content';
import { naivePanel } from './naivePanels';
import { BenchWorld, type WorldFigures } from './world';

export interface FrameFigures {
  mode: string;
  panels: number;
  frames: number;
  /** Mean draw calls per frame. */
  drawCalls: number;
  /** Mean JS time of scene.render() per frame (Babylon's frame time counter), ms. */
  frameMs: number;
  /** Of frameMs: choosing the meshes to draw (culling, world matrices), and issuing the draws. */
  evaluateMs: number;
  renderMs: number;
  /** Mean time between frames, ms (the browser's pace; SwiftShader draws on the CPU). */
  interFrameMs: number;
  activeMeshes: number;
  textures: number;
  materials: number;
  /** Mean GPU time per frame, ms, where the browser offers timer queries (SwiftShader does not). */
  gpuMs: number | null;
  /** Seconds from page start until a frame shows every face drawn from its content. */
  buildSeconds: number;
  /** Seconds from page start until a frame shows the faces of the NEAREST panels nearest the viewer. */
  nearestSeconds: number;
  /** How many nearest panels `nearestSeconds` counts. */
  nearest: number;
  /** `?world=office`: the furnished world's loading, and what each drawn mesh costs. */
  world: (WorldFigures & { loadSeconds: number | null; slowestModelMs: number; slowestModel: string }) | null;
  /** The meshes drawn in the last measured frame: name, submeshes (draw calls each), instances. */
  drawn: Array<{ name: string; subMeshes: number; instances: number }>;
}

declare global {
  interface Window {
    __bench?: { ready: Promise<void>; measure(frames: number, warmup: number): Promise<FrameFigures> };
  }
}

const params = new URLSearchParams(location.search);
const MODE = params.get('mode') === 'naive' ? 'naive' : 'product';
const COUNT = Number(params.get('panels') ?? 200);
const COLS = 20;
const NEAR = params.get('near') === '1';
/** `?world=office`: the panels stand inside that template's furnished room instead of in the void. */
const WORLD = params.get('world') === 'office' ? 'office' : null;
/** Inside a 16 m room 4 m high the panels stand smaller, three tiers on stands one behind another. */
const ROOM_PANEL_SCALE = 0.55;

function slotPosition(i: number): Vector3 {
  if (WORLD) {
    const col = i % COLS;
    const tier = Math.floor(i / COLS) % 3;
    const stand = Math.floor(i / (COLS * 3));
    return new Vector3((col - (COLS - 1) / 2) * 0.68, 0.75 + tier, -6.5 + stand * 2);
  }
  const col = i % COLS;
  const row = Math.floor(i / COLS);
  return new Vector3((col - (COLS - 1) / 2) * 1.2, 1 + row * 1.75, 0);
}

const canvas = document.getElementById('view') as HTMLCanvasElement;
const engine = new Engine(canvas, true, { stencil: false, antialias: true }, true);
const scene = new Scene(engine);
scene.useRightHandedSystem = true;
scene.clearColor = new Color4(0.1, 0.1, 0.12, 1);
// the world's own light and place, or the bare room's one hemispheric light
const world = WORLD ? new BenchWorld(scene, WORLD) : null;
if (!world) new HemisphericLight('sky', new Vector3(0.2, 1, 0.4), scene);
const rows = Math.ceil(COUNT / COLS);
const far = WORLD ? { eye: new Vector3(0, 1.7, 7.6), at: new Vector3(0, 1.6, -3) } : { eye: new Vector3(0, 1 + (rows - 1) * 0.875, 22), at: new Vector3(0, 1 + (rows - 1) * 0.875, 0) };
const camera = new UniversalCamera('eye', NEAR ? new Vector3(slotPosition(0).x, 1, 1.2) : far.eye, scene);
camera.setTarget(NEAR ? new Vector3(slotPosition(0).x, 1, 0) : far.at);
camera.minZ = 0.05;
// `stereo=1`: both eyes drawn one after the other, as a headset without multiview renders a frame
if (params.get('stereo') === '1') {
  const ipd = 0.064;
  const eyes = [-1, 1].map((side, i) => {
    const eye = new UniversalCamera(`eye-${i}`, camera.position.add(new Vector3((side * ipd) / 2, 0, 0)), scene);
    eye.setTarget(camera.getTarget().add(new Vector3((side * ipd) / 2, 0, 0)));
    eye.minZ = camera.minZ;
    eye.viewport = new Viewport(i * 0.5, 0, 0.5, 1);
    return eye;
  });
  scene.activeCameras = eyes;
}

const panels: DocumentPanel[] = [];
/** The nearest panels whose faces "time to the nearest" waits for. */
const NEAREST = Math.min(20, COUNT);
/** Panel indices by distance from the viewer, nearest first. */
const byDistance = Array.from({ length: COUNT }, (_, i) => i).sort((a, b) => Vector3.DistanceSquared(slotPosition(a), camera.globalPosition) - Vector3.DistanceSquared(slotPosition(b), camera.globalPosition));
/** When a frame first showed each panel's face drawn from its content (ms since page start). */
const shownAt: Array<number | null> = new Array<number | null>(COUNT).fill(null);
/** Which faces are drawn from their content: the product's panels say so; a naive panel is whole once built. */
const faceDone: Array<() => boolean> = [];
scene.onBeforeRenderObservable.add(() => {
  const now = performance.now();
  faceDone.forEach((done, i) => {
    if (shownAt[i] === null && done()) shownAt[i] = now;
  });
});

async function buildProduct(): Promise<void> {
  const kit = new PanelKit(scene);
  const library = new SourceLibrary(new ContentStore(), () => camera.globalPosition);
  for (let i = 0; i < COUNT; i++) {
    const id = `doc${i}`;
    // the benchmark turns no pages
    const panel = new DocumentPanel(scene, id, kit, library, () => undefined);
    const p = slotPosition(i);
    panel.setTarget([p.x, p.y, p.z], [0, 0, 0, 1], WORLD ? ROOM_PANEL_SCALE : 1);
    panel.setDocument({ id, kind: 'markdown', contentHash: `hash${i}`, title: `Report ${i}`, body: '', page: 1, spread: 1 });
    if (NEAR && i === 0) panel.face.setTier(1024);
    panels.push(panel);
    faceDone.push(() => panel.face.contentLoaded && !!panel.face.placement);
  }
}

async function buildNaive(): Promise<void> {
  for (let i = 0; i < COUNT; i++) {
    await naivePanel(scene, i, `Report ${i}`, benchText(i), slotPosition(i));
    faceDone.push(() => true);
  }
}

/** Resolves once a frame has shown every face drawn. */
function allShown(): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (shownAt.every((t) => t !== null) ? resolve() : setTimeout(check, 20));
    check();
  });
}

const ready = Promise.all([(MODE === 'naive' ? buildNaive() : buildProduct()).then(allShown), world?.whenLoaded()]).then(() => undefined);
const latest = (indices: number[]) => Math.max(...indices.map((i) => shownAt[i] ?? Infinity)) / 1000;

let last = performance.now();
engine.runRenderLoop(() => {
  const now = performance.now();
  // what the document layer does for every panel every frame
  for (const p of panels) p.update(now - last);
  world?.props.update(now - last);
  last = now;
  scene.render();
});

/** The meshes the last frame drew, instances folded into the mesh they are drawn with (one draw per submesh). */
function drawnMeshes(): FrameFigures['drawn'] {
  const active = scene.getActiveMeshes();
  const bySource = new Map<string, FrameFigures['drawn'][number]>();
  for (const mesh of active.data.slice(0, active.length)) {
    const source = (mesh as { sourceMesh?: typeof mesh }).sourceMesh ?? mesh;
    const entry = bySource.get(source.name) ?? { name: source.name, subMeshes: source.subMeshes?.length ?? 1, instances: 0 };
    entry.instances += source === mesh ? ((mesh as { thinInstanceCount?: number }).thinInstanceCount ?? 0) : 1;
    bySource.set(source.name, entry);
  }
  return [...bySource.values()];
}

function worldFigures(w: BenchWorld): NonNullable<FrameFigures['world']> {
  const slowest = Object.entries(w.figures.modelMs).reduce((a, b) => (b[1] > a[1] ? b : a), ['none', 0] as [string, number]);
  return { ...w.figures, loadSeconds: w.figures.loadedAtMs === null ? null : w.figures.loadedAtMs / 1000, slowestModel: slowest[0], slowestModelMs: slowest[1] };
}

function measure(frames: number, warmup: number): Promise<FrameFigures> {
  return new Promise((resolve) => {
    const sceneInst = new SceneInstrumentation(scene);
    sceneInst.captureFrameTime = true;
    sceneInst.captureInterFrameTime = true;
    sceneInst.captureActiveMeshesEvaluationTime = true;
    sceneInst.captureRenderTime = true;
    // engine-side counters (GPU frame time where the browser offers a timer query)
    const engineInst = new EngineInstrumentation(engine);
    engineInst.captureGPUFrameTime = true;
    let seen = -warmup;
    const sums = { drawCalls: 0, frameMs: 0, interFrameMs: 0, activeMeshes: 0, gpuNs: 0, evaluateMs: 0, renderMs: 0 };
    const observer = scene.onAfterRenderObservable.add(() => {
      seen++;
      if (seen <= 0) return;
      sums.drawCalls += sceneInst.drawCallsCounter.current;
      sums.frameMs += sceneInst.frameTimeCounter.current;
      sums.interFrameMs += sceneInst.interFrameTimeCounter.current;
      sums.evaluateMs += sceneInst.activeMeshesEvaluationTimeCounter.current;
      sums.renderMs += sceneInst.renderTimeCounter.current;
      sums.activeMeshes += scene.getActiveMeshes().length;
      sums.gpuNs += engineInst.gpuFrameTimeCounter.current;
      if (seen < frames) return;
      observer.remove();
      const drawn = drawnMeshes();
      sceneInst.dispose();
      engineInst.dispose();
      resolve({
        mode: MODE,
        panels: COUNT,
        frames,
        drawCalls: sums.drawCalls / frames,
        frameMs: sums.frameMs / frames,
        interFrameMs: sums.interFrameMs / frames,
        evaluateMs: sums.evaluateMs / frames,
        renderMs: sums.renderMs / frames,
        activeMeshes: sums.activeMeshes / frames,
        textures: scene.textures.length,
        materials: scene.materials.length,
        gpuMs: sums.gpuNs > 0 ? sums.gpuNs / frames / 1e6 : null,
        buildSeconds: latest(byDistance),
        nearestSeconds: latest(byDistance.slice(0, NEAREST)),
        nearest: NEAREST,
        world: world ? worldFigures(world) : null,
        drawn,
      });
    });
  });
}

window.__bench = { ready, measure };
