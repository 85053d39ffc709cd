/**
 * Loads the MediaPipe tasks the camera source runs, entirely from this server: the wasm and the
 * models it serves under NEURAL_ASSETS_PATH. The library itself is imported only here, on demand,
 * so its code is fetched only by people who turn the camera on.
 */
import type { FaceLandmarker, GestureRecognizer, PoseLandmarker } from '@mediapipe/tasks-vision';
import { NEURAL_ASSETS_PATH, type NeuralAssetsDescription } from '../../../shared/neuralAssets';
import { serverUrl } from '../../net/endpoint';
import { modelFailed } from './cameraErrors';

export type Delegate = 'GPU' | 'CPU';

export interface VisionTasks {
  pose: PoseLandmarker;
  gesture: GestureRecognizer | null;
  face: FaceLandmarker | null;
  /** Where the pose model runs: the GPU when WebGL allows it, else the CPU. */
  delegate: Delegate;
  /** Optional models that are configured but would not load; the pose gestures still work. */
  warnings: string[];
  close(): void;
}

/** What the server offers, with its paths made absolute (under `npm run dev` the server is on another port). */
async function describeAssets(): Promise<NeuralAssetsDescription> {
  const base = serverUrl();
  const res = await fetch(`${base}${NEURAL_ASSETS_PATH}/config`).catch((err: unknown) => {
    throw modelFailed('camera', err);
  });
  if (!res.ok) throw modelFailed('camera', new Error(`the server answered ${res.status}`));
  const assets = (await res.json()) as NeuralAssetsDescription;
  const models = Object.fromEntries(Object.entries(assets.models).map(([name, path]) => [name, `${base}${path}`]));
  return { wasmBase: `${base}${assets.wasmBase}`, models };
}

/** Creates a task on the GPU, or on the CPU where WebGL cannot run it. */
export async function onBestDelegate<T>(create: (delegate: Delegate) => Promise<T>, prefer: Delegate): Promise<{ task: T; delegate: Delegate }> {
  if (prefer === 'GPU') {
    try {
      return { task: await create('GPU'), delegate: 'GPU' };
    } catch {
      // no WebGL2, or a driver MediaPipe refuses: the CPU build is slower but works everywhere
    }
  }
  return { task: await create('CPU'), delegate: 'CPU' };
}

export async function loadVisionTasks(prefer: Delegate = 'GPU'): Promise<VisionTasks> {
  const assets = await describeAssets();
  if (!assets.models.pose) throw modelFailed('pose', new Error('this server offers no pose model'));
  let vision: typeof import('@mediapipe/tasks-vision');
  let files: Awaited<ReturnType<typeof vision.FilesetResolver.forVisionTasks>>;
  try {
    vision = await import('@mediapipe/tasks-vision');
    files = await vision.FilesetResolver.forVisionTasks(assets.wasmBase);
  } catch (err) {
    throw modelFailed('MediaPipe', err);
  }
  const { PoseLandmarker, GestureRecognizer, FaceLandmarker } = vision;
  const posePath = assets.models.pose;
  const { task: pose, delegate } = await onBestDelegate(
    (d) => PoseLandmarker.createFromOptions(files, { baseOptions: { modelAssetPath: posePath, delegate: d }, runningMode: 'VIDEO', numPoses: 1 }),
    prefer,
  ).catch((err: unknown) => {
    throw modelFailed('pose', err);
  });

  const warnings: string[] = [];
  const optional = async <T>(name: string, create: (d: Delegate) => Promise<T>): Promise<T | null> => {
    try {
      return (await onBestDelegate(create, delegate)).task;
    } catch (err) {
      warnings.push(modelFailed(name, err).message);
      return null;
    }
  };
  const gesturePath = assets.models.gesture;
  const facePath = assets.models.face;
  const [gesture, face] = await Promise.all([
    gesturePath
      ? optional('gesture', (d) => GestureRecognizer.createFromOptions(files, { baseOptions: { modelAssetPath: gesturePath, delegate: d }, runningMode: 'VIDEO', numHands: 2 }))
      : null,
    facePath
      ? optional('face', (d) => FaceLandmarker.createFromOptions(files, { baseOptions: { modelAssetPath: facePath, delegate: d }, runningMode: 'VIDEO', numFaces: 1, outputFaceBlendshapes: true }))
      : null,
  ]);
  return {
    pose,
    gesture,
    face,
    delegate,
    warnings,
    close() {
      pose.close();
      gesture?.close();
      face?.close();
    },
  };
}
