/**
 * A world's props over REST, under /api/v3/worlds/:id/props: the layout and models (viewers),
 * uploading a model to use as a prop (editLayout), and a model's bytes for the clients that draw it.
 */
import { readFile, rm } from 'node:fs/promises';
import express, { type Request, type Router } from 'express';
import { PROP_UPLOAD_LIMITS } from '../../shared/model/props';
import { ErrorCode } from '../../shared/protocol';
import type { WorldAccess } from '../access/WorldAccess';
import { AppError } from '../errors';
import { PropModels } from '../props/PropModels';
import { requireWorld, who } from './access';
import { readUpload } from './upload';

export interface PropRouteDeps {
  props: PropModels;
  access: WorldAccess;
  spoolDir: string;
}

const RAW_TYPES = ['model/gltf-binary', 'model/gltf+json', 'application/octet-stream'];

/** A body sent as the model itself, read up to the limit; larger is refused as soon as it is. */
function readRaw(req: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError(ErrorCode.TOO_LARGE, `The model is larger than the ${maxBytes / 1024 / 1024} MB a prop may be.`, 413);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // what is still to come is read and dropped, so the refusal reaches the caller
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function propRoutes({ props, access, spoolDir }: PropRouteDeps): Router {
  const r = express.Router({ mergeParams: true, caseSensitive: true });
  const worldOf = (req: Request) => String((req.params as { id?: string }).id ?? '').slice(0, 64);

  r.get('/', async (req, res) => {
    await requireWorld(access, res, worldOf(req), 'read');
    res.json(await props.list(worldOf(req)));
  });

  r.post('/models', async (req, res) => {
    const worldId = worldOf(req);
    // whether the caller may change the layout is settled before a byte of the model is read
    await requireWorld(access, res, worldId, 'editLayout');
    let bytes: Uint8Array;
    let name: string;
    if (req.is('multipart/form-data')) {
      const upload = await readUpload(req, { spoolDir, maxBytes: PROP_UPLOAD_LIMITS.bytes });
      try {
        bytes = await readFile(upload.file.path);
      } finally {
        await rm(upload.file.path, { force: true });
      }
      name = PropModels.nameFor(upload.fields.name, upload.file.fileName);
    } else if (RAW_TYPES.some((t) => req.is(t))) {
      bytes = await readRaw(req, PROP_UPLOAD_LIMITS.bytes);
      name = PropModels.nameFor(typeof req.query.name === 'string' ? req.query.name : undefined, undefined);
    } else {
      throw new AppError(ErrorCode.BAD_REQUEST, 'Send the model as multipart/form-data (a "name" field, then the .glb in a field named "file"), or as the body with Content-Type model/gltf-binary and ?name=.', 415);
    }
    const { model, created } = await props.upload(worldId, bytes, name, who(res)?.username ?? 'guest');
    res.status(created ? 201 : 200).json({ model });
  });

  r.get('/models/:modelId/content', async (req, res) => {
    const worldId = worldOf(req);
    await requireWorld(access, res, worldId, 'read');
    const known = await props.get(worldId, req.params.modelId);
    const etag = `"${known.contentHash}"`;
    // a model's bytes never change under its id (the start of their hash), so a copy may be kept
    const headers = { ETag: etag, 'Cache-Control': 'private, max-age=31536000, immutable' };
    if (req.headers['if-none-match'] === etag) {
      res.status(304).set(headers).end();
      return;
    }
    const { size, stream } = await props.content(worldId, req.params.modelId);
    res.set({
      ...headers,
      'Content-Type': 'model/gltf-binary',
      'Content-Length': String(size),
      'Content-Disposition': `inline; filename="${known.id}.glb"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  });

  return r;
}
