/**
 * Decides what an uploaded file is from its bytes, never from its name. The name is only checked
 * against the bytes, so a file whose extension lies is refused instead of being mislabelled.
 *
 * Only the first {@link HEAD_BYTES} are kept in memory: binary kinds are known from their first
 * few kilobytes, and text kinds are decided from that prefix while the rest of the file is only
 * streamed through a UTF-8 check, so a large upload is never read whole.
 */
import { TextDecoder } from 'node:util';
import { fileTypeFromBuffer } from 'file-type';
import { ErrorCode } from '../../shared/protocol';
import { KIND_LABELS, kindFromFileName, type DocumentKind } from '../../shared/model/documents';
import { AppError } from '../errors';

export interface Detected {
  kind: DocumentKind;
  mime: string;
}

/** How much of a file detection keeps: file-type needs about 4 KB, the text hints far less. */
export const HEAD_BYTES = 64 * 1024;

const BINARY: Record<string, Detected> = {
  'application/pdf': { kind: 'pdf', mime: 'application/pdf' },
  'image/png': { kind: 'image', mime: 'image/png' },
  'image/jpeg': { kind: 'image', mime: 'image/jpeg' },
  'model/gltf-binary': { kind: 'model', mime: 'model/gltf-binary' },
};

const SUPPORTED = Object.values(KIND_LABELS).join(', ');
const BINARY_CONTROLS = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;
// `[ \t]` rather than `\s`: under /m a `\s*` runs across line breaks and retries from every line
const MARKDOWN_HINTS = /^(?:#{1,6} |[ \t]*[-*+] |[ \t]*\d+\. |> |```)/m;

function isGltfJson(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const json = JSON.parse(text) as { asset?: { version?: unknown } };
    return typeof json.asset?.version === 'string';
  } catch {
    return false;
  }
}

/**
 * For JSON too large to parse here: an `"asset": { … "version": "…" }` object in its first part.
 * The body class excludes braces, so every scan stops at the next one and the whole is linear.
 */
function looksLikeGltfHead(head: string): boolean {
  if (!/^\s*\{/.test(head)) return false;
  for (const m of head.matchAll(/"asset"\s*:\s*\{([^{}]*)\}/g)) if (/"version"\s*:\s*"/.test(m[1]!)) return true;
  return false;
}

/** Splits a source of chunks into its first HEAD_BYTES and an iterator over the rest. */
async function readHead(source: AsyncIterator<Uint8Array>): Promise<{ head: Uint8Array; spill: Uint8Array | undefined; ended: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < HEAD_BYTES) {
    const next = await source.next();
    if (next.done) return { head: Buffer.concat(parts), spill: undefined, ended: true };
    parts.push(next.value);
    size += next.value.length;
  }
  const all = Buffer.concat(parts);
  return { head: all.subarray(0, HEAD_BYTES), spill: all.length > HEAD_BYTES ? all.subarray(HEAD_BYTES) : undefined, ended: false };
}

/**
 * Streams the rest of a text file through a fatal UTF-8 decoder, so every byte is checked while
 * only one chunk at a time is held. False at the first invalid sequence or binary control.
 */
async function restIsText(decoder: TextDecoder, spill: Uint8Array | undefined, rest: AsyncIterator<Uint8Array>): Promise<{ ok: boolean; more: boolean }> {
  let more = false;
  try {
    const check = (chunk: Uint8Array) => {
      if (chunk.length) more = true;
      return !BINARY_CONTROLS.test(decoder.decode(chunk, { stream: true }));
    };
    if (spill && !check(spill)) return { ok: false, more };
    for (let next = await rest.next(); !next.done; next = await rest.next()) if (!check(next.value)) return { ok: false, more };
    return { ok: !BINARY_CONTROLS.test(decoder.decode()), more };
  } catch {
    return { ok: false, more };
  }
}

const notADocument = () => new AppError(ErrorCode.UNSUPPORTED_TYPE, `The file's content is not a type that can be shown as a document. Supported: ${SUPPORTED}.`, 415);

async function detectFrom(source: AsyncIterator<Uint8Array>, claimed: DocumentKind | undefined): Promise<Detected> {
  const { head, spill, ended } = await readHead(source);
  if (head.length === 0) throw new AppError(ErrorCode.BAD_REQUEST, 'The file is empty.', 400);
  const sniffed = await fileTypeFromBuffer(head);
  if (sniffed) {
    const known = BINARY[sniffed.mime];
    if (!known) {
      throw new AppError(ErrorCode.UNSUPPORTED_TYPE, `This file is ${sniffed.mime} (.${sniffed.ext}), which cannot be shown as a document. Supported: ${SUPPORTED}.`, 415);
    }
    return known;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = decoder.decode(head, { stream: !ended });
  } catch {
    throw notADocument();
  }
  if (BINARY_CONTROLS.test(text)) throw notADocument();
  const rest = ended ? { ok: true, more: false } : await restIsText(decoder, spill, source);
  if (!rest.ok) throw notADocument();
  if (rest.more ? looksLikeGltfHead(text) : isGltfJson(text)) return { kind: 'model', mime: 'model/gltf+json' };
  if (claimed === 'markdown' || (claimed !== 'text' && MARKDOWN_HINTS.test(text))) return { kind: 'markdown', mime: 'text/markdown' };
  return { kind: 'text', mime: 'text/plain' };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Detects the kind of a file uploaded as `fileName`, from its bytes or a stream of them (a file
 * read stream: it is closed as soon as the kind is known). Throws an AppError that says what was
 * found and what is accepted.
 */
export async function detectKind(content: Uint8Array | AsyncIterable<Uint8Array>, fileName: string): Promise<Detected> {
  const claimed = kindFromFileName(fileName);
  const source = (content instanceof Uint8Array ? once(content) : content)[Symbol.asyncIterator]();
  let detected: Detected;
  try {
    detected = await detectFrom(source, claimed);
  } finally {
    await source.return?.();
  }
  const textual = (k: DocumentKind | undefined) => k === 'markdown' || k === 'text';
  if (claimed && claimed !== detected.kind && !(textual(claimed) && textual(detected.kind))) {
    throw new AppError(
      ErrorCode.UNSUPPORTED_TYPE,
      `The file is named like ${KIND_LABELS[claimed]} but its content is ${KIND_LABELS[detected.kind]}. Rename it or upload the right file.`,
      415,
    );
  }
  return detected;
}
