/**
 * Uploads a document with `POST /api/v3/documents`. XMLHttpRequest rather than fetch, because only
 * it reports upload progress; the server's refusal comes back as an {@link ApiError} with its message.
 */
import type { Quat, Vec3 } from '../../shared/protocol';
import { ApiError } from './api';
import { serverUrl } from './endpoint';
import { authHeadersNow } from './account';

export interface UploadRequest {
  file: File;
  worldId: string;
  position?: Vec3;
  rotation?: Quat;
  /** Called with 0..1 as the bytes go out. */
  onProgress?(fraction: number): void;
}

export interface UploadedDocument {
  id: string;
  title: string;
  kind: string;
}

export interface Upload {
  done: Promise<UploadedDocument>;
  abort(): void;
}

function refusal(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `The server refused the file (${status}).`;
  return new ApiError(typeof error?.code === 'string' ? error.code : 'HTTP', message, status);
}

export function uploadDocument(req: UploadRequest): Upload {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  form.append('world', req.worldId);
  // numbers rounded to the millimetre: the server takes JSON and a long float says nothing more
  if (req.position) form.append('position', JSON.stringify(req.position.map((v) => Math.round(v * 1000) / 1000)));
  if (req.rotation) form.append('rotation', JSON.stringify(req.rotation.map((v) => Math.round(v * 1e6) / 1e6)));
  form.append('file', req.file, req.file.name);

  const done = new Promise<UploadedDocument>((resolve, reject) => {
    // the world in the address lets the server refuse an upload before any of the file is sent
    xhr.open('POST', `${serverUrl()}/api/v3/documents?world=${encodeURIComponent(req.worldId)}`);
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(authHeadersNow())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) req.onProgress?.(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body: unknown = xhr.response;
      if (xhr.status === 201) {
        req.onProgress?.(1);
        resolve((body as { document: UploadedDocument }).document);
      } else reject(refusal(xhr.status, body));
    });
    xhr.addEventListener('error', () => reject(new ApiError('NETWORK', 'The upload did not reach the server. Check the connection and try again.', 0)));
    xhr.addEventListener('abort', () => reject(new ApiError('ABORTED', 'The upload was cancelled.', 0)));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
