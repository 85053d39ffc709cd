/**
 * Where the server serves what the camera source needs to run offline: MediaPipe's wasm (from
 * @mediapipe/tasks-vision) and the task models, plus a small description telling the client which
 * optional models this server has.
 */
export const NEURAL_ASSETS_PATH = '/neural';

/** The models the camera source can use; only `pose` is always there (it ships in npm). */
export const NEURAL_MODELS = {
  pose: 'pose_landmarker_full.task',
  gesture: 'gesture_recognizer.task',
  face: 'face_landmarker.task',
} as const;

export type NeuralModelName = keyof typeof NEURAL_MODELS;

/** GET `${NEURAL_ASSETS_PATH}/config`: where the wasm lives and the URL of each available model. */
export interface NeuralAssetsDescription {
  /** Folder URL to hand to FilesetResolver.forVisionTasks. */
  wasmBase: string;
  models: Partial<Record<NeuralModelName, string>>;
}
