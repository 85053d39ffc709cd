/**
 * Uploads a prop model with `POST /api/v3/worlds/:worldId/props/models`: a multipart form with the
 * model's `name` first and the .glb as `file`, as documents are uploaded. The server checks it (size, triangles, textures, nothing outside
 * the file) and answers with the model's record (the world's own, for a model it already has), or refuses with a reason that can be shown.
 */
import type { UploadedPropKind } from '../../shared/model/props';
import { PROP_UPLOAD_LIMITS } from '../../shared/model/props';
import { ApiError } from './api';
import { authHeaders } from './account';
import { serverUrl } from './endpoint';

/** The model's name: the file's, without its extension, as people would call it. */
export function modelName(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, '').replace(/[_-]+/g, ' ').trim();
  return (base || 'Model').slice(0, 60);
}

export async function uploadPropModel(worldId: string, file: File): Promise<UploadedPropKind> {
  if (!/\.glb$/i.test(file.name)) throw new ApiError('BAD_FILE', 'Upload a single .glb file (a binary glTF model).', 0);
  if (file.size > PROP_UPLOAD_LIMITS.bytes) throw new ApiError('TOO_LARGE', `That model is ${(file.size / 1048576).toFixed(1)} MB; a prop model may be at most ${PROP_UPLOAD_LIMITS.bytes / 1048576} MB.`, 0);
  const form = new FormData();
  form.append('name', modelName(file.name));
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`${serverUrl()}/api/v3/worlds/${encodeURIComponent(worldId)}/props/models`, {
      method: 'POST',
      headers: { accept: 'application/json', ...(await authHeaders()) },
      body: form,
    });
  } catch {
    throw new ApiError('NETWORK', 'The model did not reach the server. Check the connection and try again.', 0);
  }
  const body: unknown = await res.json().catch(() => null);
  // 201 for a new model, 200 for one the world already has
  if (!res.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiError(typeof error?.code === 'string' ? error.code : 'HTTP', typeof error?.message === 'string' ? error.message : `The server refused the model (${res.status}).`, res.status);
  }
  const record = body as { model?: UploadedPropKind } | UploadedPropKind;
  return 'model' in record && record.model ? record.model : (record as UploadedPropKind);
}
