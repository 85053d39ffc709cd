/** REST routes for documents under /api/v3/documents. */
import express, { type Router } from 'express';
import { ErrorCode } from '../../shared/protocol';
import type { DocumentService } from '../documents/DocumentService';
import { AppError } from '../errors';
import { readUpload } from './upload';
import type { WorldAccess } from '../access/WorldAccess';
import { requireWorld, who } from './access';

export interface DocumentRouteDeps {
  documents: DocumentService;
  spoolDir: string;
  maxUploadBytes: number;
  access: WorldAccess;
}

const EXTENSIONS: Record<string, string> = {
  'text/markdown': 'md',
  'text/plain': 'txt',
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'model/gltf-binary': 'glb',
  'model/gltf+json': 'gltf',
};

const NO_WORLD = 'Say which world the document is for before the file: POST /api/v3/documents?world=<id>, or a "world" field ahead of the "file" field.';

/** A world id as sent, refused when it cannot be one. */
function checkedWorld(id: string): string {
  if (id.length > 64) throw new AppError(ErrorCode.BAD_REQUEST, 'The world id is too long.', 400);
  return id;
}

/** A download name that is safe in a header whatever the title holds. */
function downloadName(title: string, mime: string): string {
  const ascii = title.replace(/[^A-Za-z0-9 ._-]/g, '_').slice(0, 80) || 'document';
  return `${ascii}.${EXTENSIONS[mime] ?? 'bin'}`;
}

export function documentRoutes({ documents, spoolDir, maxUploadBytes, access }: DocumentRouteDeps): Router {
  const r = express.Router({ caseSensitive: true });
  /** The document, once the caller's role in its world allows `action`. */
  const guarded = async (res: express.Response, id: string, action: 'read' | 'editDocuments') => {
    const doc = await documents.get(id);
    await requireWorld(access, res, doc.worldId, action);
    return doc;
  };

  r.get('/', async (req, res) => {
    const world = req.query.world;
    if (typeof world !== 'string' || !world) throw new AppError(ErrorCode.BAD_REQUEST, 'Say which world to list: /api/v3/documents?world=<id>.', 400);
    await requireWorld(access, res, world, 'read');
    res.json({ documents: await documents.list(world) });
  });

  r.post('/', async (req, res) => {
    const fromUrl = typeof req.query.world === 'string' && req.query.world ? checkedWorld(req.query.world) : undefined;
    // whether the caller may add documents there is settled before a byte of the file is read
    if (fromUrl) await requireWorld(access, res, fromUrl, 'editDocuments');
    const upload = await readUpload(req, {
      spoolDir,
      maxBytes: maxUploadBytes,
      beforeFile: async (fields) => {
        if (fromUrl) {
          if (fields.world && fields.world !== fromUrl) throw new AppError(ErrorCode.BAD_REQUEST, 'The "world" field names another world than the address does.', 400);
          return;
        }
        if (!fields.world) throw new AppError(ErrorCode.BAD_REQUEST, NO_WORLD, 400);
        await requireWorld(access, res, checkedWorld(fields.world), 'editDocuments');
      },
    });
    const fields = { ...upload.fields, world: fromUrl ?? upload.fields.world! };
    const doc = await documents.upload(upload.file, fields, who(res)?.username ?? 'guest');
    res.status(201).json({ document: doc });
  });

  r.get('/:id', async (req, res) => {
    res.json({ document: await guarded(res, req.params.id, 'read') });
  });

  r.get('/:id/content', async (req, res) => {
    const known = await guarded(res, req.params.id, 'read');
    // a document's content never changes under its hash: a copy the caller has is answered before the file is opened
    if (req.headers['if-none-match'] === `"${known.contentHash}"`) {
      res.status(304).end();
      return;
    }
    const { doc, size, stream } = await documents.content(req.params.id);
    const etag = `"${doc.contentHash}"`;
    // text is always served as plain text, so no uploaded content is ever run as a page
    const type = doc.kind === 'markdown' || doc.kind === 'text' ? 'text/plain; charset=utf-8' : doc.mime;
    res.set({
      'Content-Type': type,
      'Content-Length': String(size),
      'Content-Disposition': `inline; filename="${downloadName(doc.title, doc.mime)}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'no-cache',
      ETag: etag,
    });
    // a caller that hangs up part-way does not leave the file open
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  });

  r.delete('/:id', async (req, res) => {
    await guarded(res, req.params.id, 'editDocuments');
    await documents.remove(req.params.id);
    res.status(204).end();
  });

  return r;
}
