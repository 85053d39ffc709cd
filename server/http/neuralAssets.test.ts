import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { shippedPoseModel } from './neuralAssets';

describe('camera model settings', () => {
  it('need nothing: the pose model ships with the product and the others are optional', () => {
    expect(loadConfig({}).neuralModels).toEqual({ pose: undefined, gesture: undefined, face: undefined });
    expect(path.basename(shippedPoseModel())).toBe('pose_landmarker_full.task');
  });

  it('find the pose model in its npm package, a whole MediaPipe bundle named in assets/README.md with its licence', () => {
    const model = shippedPoseModel();
    expect(model.split(path.sep)).toEqual(expect.arrayContaining(['node_modules', '@thinksys', 'react-native-mediapipe', 'pose_landmarker_full.task']));
    const bytes = readFileSync(model);
    // a .task bundle is a zip archive (here after two bytes of padding) of the detector and landmark networks
    expect(bytes.subarray(0, 8).includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
    expect(bytes.toString('latin1')).toContain('pose_landmarks_detector.tflite');
    const readme = readFileSync('assets/README.md', 'utf8');
    expect(readme).toMatch(/`models\/pose_landmarker_full\.task`.*Apache-2\.0/);
    expect(readFileSync('assets/LICENSE-Apache-2.0.txt', 'utf8')).toContain('Apache License');
  });

  it('take a URL or a file on this machine', () => {
    const c = loadConfig({ NEURAL_GESTURE_MODEL: 'https://models.example/gesture_recognizer.task', NEURAL_FACE_MODEL: 'package.json' });
    expect(c.neuralModels.gesture).toEqual({ kind: 'url', url: 'https://models.example/gesture_recognizer.task' });
    expect(c.neuralModels.face).toEqual({ kind: 'file', path: path.resolve('package.json') });
  });

  it('refuse a file that is not there, naming the variable', () => {
    expect(() => loadConfig({ NEURAL_FACE_MODEL: './no/such/face_landmarker.task' })).toThrow(/NEURAL_FACE_MODEL=.*no such file/);
    expect(() => loadConfig({ NEURAL_POSE_MODEL: 'http://[broken' })).toThrow(/NEURAL_POSE_MODEL=.*not a valid URL/);
  });
});
