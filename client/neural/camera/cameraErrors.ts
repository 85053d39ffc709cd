/**
 * What went wrong starting the camera, said so that a person knows what to do about it. The reason
 * lets the UI (and tests) tell the cases apart without reading the sentence.
 */
export type CameraErrorReason = 'unsupported' | 'insecure' | 'denied' | 'no-camera' | 'busy' | 'model' | 'other';

export class CameraError extends Error {
  override name = 'CameraError';
  constructor(
    readonly reason: CameraErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** The error for a page that cannot ask for a camera at all. */
export function noCameraApi(secureContext: boolean): CameraError {
  return secureContext
    ? new CameraError('unsupported', 'This browser offers no camera to web pages. Try a current Chrome, Edge, Firefox or Safari.')
    : new CameraError('insecure', 'Browsers only allow the camera on a secure address. Open this page at its https:// address (start the server with HTTPS=1), or at localhost on this machine.');
}

/** Translates a getUserMedia failure (a DOMException, by its name) into a CameraError. */
export function cameraErrorFromMedia(err: unknown): CameraError {
  const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CameraError('denied', 'The camera was not allowed. Allow it for this site in the browser (the camera icon in the address bar, or the site settings) and turn the camera on again.');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('no-camera', 'No camera was found. Connect a camera (or enable the built-in one) and turn the camera on again.');
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError('busy', 'The camera is in use by another application or could not be started. Close the other application and turn the camera on again.');
    default:
      return new CameraError('other', `The camera could not be started${err instanceof Error && err.message ? `: ${err.message}` : '.'}`);
  }
}

/** The error for a model that would not load, naming which one. */
export function modelFailed(model: string, err: unknown): CameraError {
  const detail = err instanceof Error ? err.message : String(err);
  return new CameraError('model', `The ${model} model could not be loaded (${detail}). Reload the page to try again; if it keeps failing, the server's camera models need checking.`);
}
