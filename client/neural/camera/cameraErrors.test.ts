import { describe, expect, it } from 'vitest';
import { cameraErrorFromMedia, modelFailed, noCameraApi } from './cameraErrors';

const domError = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('camera errors a person can act on', () => {
  it('tells a refused permission from a missing or busy camera', () => {
    expect(cameraErrorFromMedia(domError('NotAllowedError'))).toMatchObject({ reason: 'denied', message: expect.stringContaining('Allow it for this site') });
    expect(cameraErrorFromMedia(domError('SecurityError')).reason).toBe('denied');
    expect(cameraErrorFromMedia(domError('NotFoundError'))).toMatchObject({ reason: 'no-camera', message: expect.stringContaining('Connect a camera') });
    expect(cameraErrorFromMedia(domError('OverconstrainedError')).reason).toBe('no-camera');
    expect(cameraErrorFromMedia(domError('NotReadableError'))).toMatchObject({ reason: 'busy', message: expect.stringContaining('another application') });
  });

  it('keeps the browser’s words for anything else, and survives things that are not errors', () => {
    expect(cameraErrorFromMedia(domError('TypeError', 'constraints are empty'))).toMatchObject({ reason: 'other', message: 'The camera could not be started: constraints are empty' });
    expect(cameraErrorFromMedia('boom')).toMatchObject({ reason: 'other', message: 'The camera could not be started.' });
    expect(cameraErrorFromMedia(null).reason).toBe('other');
  });

  it('says why there is no camera at all: an insecure address, or a browser without one', () => {
    expect(noCameraApi(false)).toMatchObject({ reason: 'insecure', message: expect.stringContaining('HTTPS=1') });
    expect(noCameraApi(true).reason).toBe('unsupported');
  });

  it('names the model that failed to load', () => {
    expect(modelFailed('pose', new Error('404'))).toMatchObject({ reason: 'model', message: expect.stringContaining('The pose model could not be loaded (404)') });
  });
});
