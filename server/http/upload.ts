/**
 * Reads a multipart upload: the fields, and one file streamed to a spool file while it is hashed
 * and counted, so a large upload never sits in memory and an oversize one is cut off early. The
 * caller sees the fields sent ahead of the file before a byte of it is spooled, and can refuse
 * the upload there; a spool file is removed on every way an upload can fail.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { ErrorCode } from '../../shared/protocol';
import type { SpooledFile } from '../documents/DocumentService';
import { AppError } from '../errors';

export interface ParsedUpload {
  fields: Record<string, string>;
  file: SpooledFile;
}

export interface UploadOptions {
  spoolDir: string;
  maxBytes: number;
  /** What the file is, in the refusal of a request that is not multipart ("the document" by default). */
  what?: string;
  /** Given the fields sent ahead of the file, before any of it is read; throws to refuse the upload. */
  beforeFile?: (fields: Readonly<Record<string, string>>) => Promise<void>;
}

/** A spool file untouched this long belongs to no upload in progress: one is written to as it arrives. */
const STALE_SPOOL_MS = 10 * 60_000;

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const cutOff = () => new AppError(ErrorCode.BAD_REQUEST, 'The upload was cut off or is not well-formed multipart/form-data.', 400);

/** Removes spool files left by uploads that a crash interrupted; returns how many. */
export async function clearStaleSpool(spoolDir: string, now = Date.now()): Promise<number> {
  const names = await readdir(spoolDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const file = path.join(spoolDir, name);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && now - info.mtimeMs > STALE_SPOOL_MS) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

export async function readUpload(req: Request, o: UploadOptions): Promise<ParsedUpload> {
  if (!req.is('multipart/form-data')) {
    throw new AppError(ErrorCode.BAD_REQUEST, `Send ${o.what ?? 'the document'} as multipart/form-data with the file in a field named "file".`, 415);
  }
  await mkdir(o.spoolDir, { recursive: true });
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: o.maxBytes, fields: 8, fieldSize: 4096, parts: 10 } });
  } catch {
    throw new AppError(ErrorCode.BAD_REQUEST, 'The upload is not well-formed multipart/form-data.', 400);
  }
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const spools: string[] = [];
  const streams: Readable[] = [];
  const writes: Promise<void>[] = [];
  let file: SpooledFile | undefined;
  let failure: unknown;
  let refusal: unknown;
  // settles as soon as the upload is refused, without waiting for the rest of the body
  let refuse!: (err: unknown) => void;
  const refused = new Promise<never>((_resolve, reject) => (refuse = reject));
  refused.catch(() => undefined);

  const spool = async (stream: Readable, fileName: string) => {
    try {
      await o.beforeFile?.({ ...fields });
    } catch (err) {
      refusal = err;
      refuse(err);
      return;
    }
    const target = path.join(o.spoolDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    spools.push(target);
    const hash = createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(stream, counter, createWriteStream(target));
    file = { path: target, fileName, size, sha256: hash.digest('hex') };
  };

  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) failure ??= new AppError(ErrorCode.BAD_REQUEST, `The field "${name.slice(0, 40)}" is too long.`, 400);
    else fields[name] = value;
  });
  bb.on('file', (name, stream, info) => {
    streams.push(stream);
    if (name !== 'file') {
      failure ??= new AppError(ErrorCode.BAD_REQUEST, `Put the file in a field named "file" (got "${name.slice(0, 40)}").`, 400);
      stream.resume();
      return;
    }
    stream.on('limit', () => {
      failure ??= new AppError(ErrorCode.TOO_LARGE, `The file is larger than the ${megabytes(o.maxBytes)} limit.`, 413);
    });
    writes.push(spool(stream, info.filename ?? ''));
  });
  bb.on('filesLimit', () => (failure ??= new AppError(ErrorCode.BAD_REQUEST, 'Upload one file at a time.', 400)));
  bb.on('fieldsLimit', () => (failure ??= new AppError(ErrorCode.BAD_REQUEST, 'Too many form fields.', 400)));
  bb.on('partsLimit', () => (failure ??= new AppError(ErrorCode.BAD_REQUEST, 'Too many form parts.', 400)));

  const parsed = new Promise<void>((resolve, reject) => {
    bb.on('close', resolve);
    bb.on('error', reject);
    req.on('error', reject);
    req.on('close', () => (req.complete ? undefined : reject(cutOff())));
    req.pipe(bb);
  });
  try {
    await Promise.race([parsed, refused]);
    await Promise.race([Promise.all(writes), refused]);
  } catch {
    failure = refusal ?? failure ?? cutOff();
  }
  if (failure || !file) {
    // stop reading: what is still to come is discarded, never spooled
    req.unpipe(bb);
    req.resume();
    for (const stream of streams) stream.destroy();
    await Promise.allSettled(writes);
    await Promise.all(spools.map((p) => rm(p, { force: true })));
    throw failure ?? new AppError(ErrorCode.BAD_REQUEST, 'No file was sent: put it in a field named "file".', 400);
  }
  return { fields: { ...fields }, file };
}
