/**
 * Reads a multipart upload: the fields, and one file streamed to a spool file while it is hashed
 * and counted, so a large upload never sits in memory and an oversize one is cut off early.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { ErrorCode } from '../../shared/protocol';
import type { SpooledFile } from '../documents/DocumentService';
import { AppError } from '../errors';

export interface ParsedUpload {
  fields: Record<string, string>;
  file: SpooledFile;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export async function readUpload(req: Request, spoolDir: string, maxBytes: number): Promise<ParsedUpload> {
  if (!req.is('multipart/form-data')) {
    throw new AppError(ErrorCode.BAD_REQUEST, 'Send the document as multipart/form-data with the file in a field named "file".', 415);
  }
  await mkdir(spoolDir, { recursive: true });
  const fields: Record<string, string> = {};
  let file: SpooledFile | undefined;
  let failure: AppError | undefined;
  const writes: Promise<void>[] = [];

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 8, fieldSize: 4096, parts: 10 } });
  } catch {
    throw new AppError(ErrorCode.BAD_REQUEST, 'The upload is not well-formed multipart/form-data.', 400);
  }
  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) failure ??= new AppError(ErrorCode.BAD_REQUEST, `The field "${name.slice(0, 40)}" is too long.`, 400);
    else fields[name] = value;
  });
  bb.on('file', (name, stream, info) => {
    if (name !== 'file') {
      failure ??= new AppError(ErrorCode.BAD_REQUEST, `Put the file in a field named "file" (got "${name.slice(0, 40)}").`, 400);
      stream.resume();
      return;
    }
    const spool = path.join(spoolDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    stream.on('limit', () => {
      failure ??= new AppError(ErrorCode.TOO_LARGE, `The file is larger than the ${megabytes(maxBytes)} limit.`, 413);
    });
    writes.push(
      pipeline(stream, counter, createWriteStream(spool)).then(() => {
        file = { path: spool, fileName: info.filename ?? '', size, sha256: hash.digest('hex') };
      }),
    );
  });
  bb.on('filesLimit', () => (failure ??= new AppError(ErrorCode.BAD_REQUEST, 'Upload one file at a time.', 400)));
  bb.on('fieldsLimit', () => (failure ??= new AppError(ErrorCode.BAD_REQUEST, 'Too many form fields.', 400)));
  bb.on('partsLimit', () => (failure ??= new AppError(ErrorCode.BAD_REQUEST, 'Too many form parts.', 400)));

  try {
    await pipeline(req, bb);
    await Promise.all(writes);
  } catch {
    failure ??= new AppError(ErrorCode.BAD_REQUEST, 'The upload was cut off or is not well-formed multipart/form-data.', 400);
  }
  const spooled = file as SpooledFile | undefined;
  if (failure || !spooled) {
    if (spooled) await rm(spooled.path, { force: true });
    throw failure ?? new AppError(ErrorCode.BAD_REQUEST, 'No file was sent: put it in a field named "file".', 400);
  }
  return { fields, file: spooled };
}
