/**
 * Documents outside the realtime room: uploads, listing, content, deletion. Content is stored by
 * hash; uploads and deletions take turns so that a deletion never removes content an upload of
 * the same bytes has just come to rely on.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { ErrorCode, Quat, Vec3, describeIssues } from '../../shared/protocol';
import { KIND_LABELS, MAX_TITLE_LENGTH, titleFromFileName, type DocumentRecord } from '../../shared/model/documents';
import { ROOM_HALF_SIZE } from '../../shared/model/worlds';
import { normaliseQuat } from '../../shared/model/world';
import type { Storage } from '../adapters/storage';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { WorldEventBus } from '../rooms/worldEvents';
import { newId } from '../worlds';
import { serial } from '../serial';
import { detectKind } from './detect';
import { PdfTextPool } from './pdfTextPool';
import { placeDocument, placeResults } from './placeDocument';

/** How often a growing draft is shown again in its world, at most. */
const DRAFT_INTERVAL_MS = 100;
/** How much of a growing draft its panel shows: the latest part, so the panel follows the writing. */
const DRAFT_PREVIEW_CHARS = 1200;

/** The part of a growing text its panel shows while it is written. Pure. */
export function draftPreview(text: string): string {
  if (text.length <= DRAFT_PREVIEW_CHARS) return text;
  const tail = text.slice(-DRAFT_PREVIEW_CHARS);
  const lineStart = tail.indexOf('\n');
  return `…\n${lineStart >= 0 && lineStart < 200 ? tail.slice(lineStart + 1) : tail}`;
}

/**
 * A Markdown document being written by the server (generated text): it stands in its world at
 * once and grows there as text arrives, and becomes a stored document when complete.
 */
export interface DocumentDraft {
  readonly id: string;
  /** The whole text so far; the world sees it at most every {@link DRAFT_INTERVAL_MS}. */
  write(textSoFar: string): void;
  /** Stores the final Markdown as the document (content by hash, like an upload). */
  complete(markdown: string): Promise<DocumentRecord>;
  /** Takes the unfinished draft out of the world. */
  abandon(): void;
}

export interface GeneratedInput {
  worldId: string;
  key: string;
  title: string;
  position?: [number, number, number];
  /** The workflow whose run makes it: it stands beside that chain unless `position` says where. */
  workflowId?: string;
}

/** A file the upload route has spooled to disk while hashing it. */
export interface SpooledFile {
  path: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** A form field holding JSON, parsed without throwing: a bad value is an issue saying `example`. */
const jsonField = (example: string) =>
  z
    .string()
    .max(200)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON like ${example}` });
        return z.NEVER;
      }
    });

const UploadFields = z.strictObject({
  world: z.string().min(1, 'say which world the document is for (field "world")').max(64),
  title: z
    .string()
    .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .pipe(z.string().max(MAX_TITLE_LENGTH))
    .optional(),
  position: jsonField('[0, 1.5, -2]').pipe(Vec3).optional(),
  rotation: jsonField('[0, 0, 0, 1]').pipe(Quat).transform(normaliseQuat).optional(),
});

const clampToRoom = (v: number) => Math.max(-ROOM_HALF_SIZE + 0.3, Math.min(ROOM_HALF_SIZE - 0.3, v));

/** Where a document goes when the uploader did not drop it somewhere (or near it, when taken). */
const FRONT_OF_ROOM: [number, number, number] = [0, 1.6, -4];

/** All of a stream, in one buffer of its own (not a slice of Node's shared pool, so it can be moved to a worker). */
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  const out = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (const chunk of chunks) at += chunk.copy(out, at);
  return out;
}

/** Where the text read from a PDF is kept: by content, so the same file is read only once. */
const pdfTextKey = (contentHash: string) => `pdf-text:1:${contentHash}`;
/** One worker reads PDFs for the whole process, started on the first PDF read. */
const pdfTexts = new PdfTextPool();

/** The id of a generated document: the same key always names the same document. */
const generatedId = (key: string) => `g${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;

/** The record of a Markdown document the server writes itself (results, generated text). */
function generatedRecord(id: string, input: GeneratedInput, position: [number, number, number], size: number, contentHash: string): DocumentRecord {
  return {
    id,
    worldId: input.worldId,
    title: input.title.slice(0, MAX_TITLE_LENGTH),
    kind: 'markdown',
    mime: 'text/markdown',
    size,
    contentHash,
    position,
    rotation: [0, 0, 0, 1],
    scale: 1,
    page: 1,
    spread: 1,
    createdAt: new Date().toISOString(),
    createdBy: 'workflow',
  };
}

export class DocumentService {
  /** Uploads and deletions take turns (see the file comment). */
  private readonly exclusive = serial();
  /** Drafts being written, by document id: asking for their content waits until they are stored. */
  private readonly drafts = new Map<string, Promise<void>>();

  constructor(
    private readonly storage: Storage,
    private readonly events: WorldEventBus,
    private readonly log: Logger,
  ) {}

  async list(worldId: string): Promise<DocumentRecord[]> {
    if (!(await this.storage.store.getWorld(worldId))) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${worldId}".`, 404);
    return this.storage.store.listDocuments(worldId);
  }

  async get(id: string): Promise<DocumentRecord> {
    const doc = z.string().max(64).safeParse(id).success ? await this.storage.store.getDocument(id) : undefined;
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, `There is no document "${id.slice(0, 64)}".`, 404);
    return doc;
  }

  async content(id: string) {
    await this.drafts.get(id);
    const doc = await this.get(id);
    const blob = await this.storage.blobs.read(doc.contentHash);
    if (!blob) throw new AppError(ErrorCode.INTERNAL, 'The content of this document is missing from storage.', 500);
    return { doc, ...blob };
  }

  /** Checks, stores and announces an uploaded file. The spooled file is always removed. */
  async upload(file: SpooledFile, rawFields: Record<string, string>, uploader: string): Promise<DocumentRecord> {
    try {
      const fields = UploadFields.safeParse(rawFields);
      if (!fields.success) throw new AppError(ErrorCode.BAD_REQUEST, `Cannot add the document: ${describeIssues(fields.error)}`);
      const world = await this.storage.store.getWorld(fields.data.world);
      if (!world) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${fields.data.world}".`, 404);
      const detected = await detectKind(createReadStream(file.path), file.fileName);

      return await this.exclusive(async () => {
        const [x, y, z] = fields.data.position ?? FRONT_OF_ROOM;
        const rotation = fields.data.rotation ?? [0, 0, 0, 1];
        const doc: DocumentRecord = {
          id: newId(),
          worldId: world.id,
          title: fields.data.title || titleFromFileName(file.fileName),
          kind: detected.kind,
          mime: detected.mime,
          size: file.size,
          contentHash: file.sha256,
          position: await placeDocument(this.storage, world.id, [clampToRoom(x), Math.max(0.2, Math.min(3.8, y)), clampToRoom(z)], rotation),
          rotation,
          scale: 1,
          page: 1,
          spread: 1,
          createdAt: new Date().toISOString(),
          createdBy: uploader,
        };
        await this.storage.blobs.putFile(file.sha256, file.path);
        await this.storage.store.addDocument(doc);
        this.events.publish(world.id, { type: 'documentAdded', document: doc });
        this.log.info({ worldId: world.id, documentId: doc.id, kind: doc.kind, size: doc.size }, 'document added');
        return doc;
      });
    } finally {
      await rm(file.path, { force: true });
    }
  }

  /**
   * The text of a document, for the steps and routes that read documents: Markdown and plain text
   * as stored, a PDF's text layer (read once per content and cached). Images and models have no
   * text, which is said plainly so that nobody waits for a retry that cannot help.
   */
  async text(id: string): Promise<string> {
    const { doc, stream } = await this.content(id);
    if (doc.kind !== 'markdown' && doc.kind !== 'text' && doc.kind !== 'pdf') {
      stream.destroy();
      const what = doc.kind === 'image' ? 'an image' : doc.kind === 'model' ? 'a 3D model' : `a ${KIND_LABELS[doc.kind]} file`;
      throw new AppError(ErrorCode.UNSUPPORTED_TYPE, `"${doc.title}" is ${what}; analysis works on text, Markdown and PDF documents.`, 415);
    }
    if (doc.kind !== 'pdf') return (await readAll(stream)).toString('utf8');
    const cached = await this.storage.cache.get(pdfTextKey(doc.contentHash));
    if (typeof cached === 'string') {
      stream.destroy();
      return cached;
    }
    // the file is read only when the PDF readers can take it, into a buffer of its own that moves to the reader
    const pdf = await pdfTexts.read(doc.contentHash, () => readAll(stream), doc.title).finally(() => stream.destroy());
    if (!pdf.text.trim()) throw new AppError(ErrorCode.UNSUPPORTED_TYPE, `"${doc.title}" has no text to read (a scanned PDF has only pictures of its pages).`, 422);
    if (pdf.truncated) this.log.info({ documentId: doc.id, pages: pdf.pages, pagesRead: pdf.pagesRead }, 'PDF text cut to the reading limits');
    await this.storage.cache.put(pdfTextKey(doc.contentHash), pdf.text).catch((err: unknown) => this.log.warn({ err }, 'could not cache the text of a PDF'));
    return pdf.text;
  }

  /**
   * Creates a Markdown document made by the server (a workflow's results). The id comes from
   * `key`, so asking twice with the same key returns the first document instead of a second one.
   */
  async createGenerated(input: GeneratedInput & { markdown: string }): Promise<DocumentRecord> {
    const id = generatedId(input.key);
    return this.exclusive(async () => {
      const existing = await this.storage.store.getDocument(id);
      if (existing) return existing;
      if (!(await this.storage.store.getWorld(input.worldId))) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${input.worldId}".`, 404);
      const bytes = Buffer.from(input.markdown, 'utf8');
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      const doc = generatedRecord(id, input, await this.placeGenerated(input, id), bytes.length, contentHash);
      await this.storage.blobs.putBytes(contentHash, bytes);
      await this.storage.store.addDocument(doc);
      this.events.publish(doc.worldId, { type: 'documentAdded', document: doc });
      return doc;
    });
  }

  /**
   * Starts a generated document that is written over time. Its id comes from `key` like
   * {@link createGenerated}'s, so a draft resumed after a restart completes the same document.
   */
  async startDraft(input: GeneratedInput): Promise<DocumentDraft> {
    const id = generatedId(input.key);
    if (!(await this.storage.store.getWorld(input.worldId))) throw new AppError(ErrorCode.NOT_FOUND, `There is no world "${input.worldId}".`, 404);
    const exists = Boolean(await this.storage.store.getDocument(id));
    const position = await this.placeGenerated(input, id);
    // not a hash: nothing is stored yet, and clients cache content by this value
    const record = generatedRecord(id, input, position, 0, `draft-${id}`);
    let settle!: () => void;
    this.drafts.set(id, new Promise<void>((resolve) => (settle = resolve)));
    let latest = '';
    let shownAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const show = () => {
      timer = undefined;
      shownAt = Date.now();
      if (!finished && !exists) this.events.publish(input.worldId, { type: 'documentDraft', document: record, body: draftPreview(latest) });
    };
    const finish = () => {
      finished = true;
      clearTimeout(timer);
      this.drafts.delete(id);
      settle();
    };
    return {
      id,
      write: (text) => {
        latest = text;
        if (finished || timer) return;
        const wait = shownAt + DRAFT_INTERVAL_MS - Date.now();
        if (wait <= 0) show();
        else timer = setTimeout(show, wait);
      },
      complete: async (markdown) => {
        try {
          clearTimeout(timer);
          finished = true;
          return await this.createGenerated({ ...input, position, markdown });
        } finally {
          finish();
        }
      },
      abandon: () => {
        if (finished) return;
        finish();
        if (!exists) this.events.publish(input.worldId, { type: 'documentRemoved', documentId: id });
      },
    };
  }

  /** Where the step asked, or else beside its run's chain; in either case clear of the rest. */
  private placeGenerated(input: GeneratedInput, id: string): Promise<[number, number, number]> {
    return input.position ? placeDocument(this.storage, input.worldId, input.position, [0, 0, 0, 1], id) : placeResults(this.storage, input.worldId, input.workflowId, id);
  }

  async remove(id: string): Promise<void> {
    const doc = await this.get(id);
    await this.exclusive(async () => {
      await this.storage.store.deleteDocument(id);
      if (!(await this.storage.store.referencedHashes()).has(doc.contentHash)) await this.storage.blobs.delete(doc.contentHash);
    });
    this.events.publish(doc.worldId, { type: 'documentRemoved', documentId: id });
    this.log.info({ worldId: doc.worldId, documentId: id }, 'document deleted');
  }
}
