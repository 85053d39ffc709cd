import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { shippedPoseModel } from './neuralAssets';

describe('camera model settings', () => {
  it('need nothing: the pose model ships in npm and the others are optional', () => {
    expect(loadConfig({}).neuralModels).toEqual({ pose: undefined, gesture: undefined, face: undefined });
    expect(path.basename(shippedPoseModel())).toBe('pose_landmarker_full.task');
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
