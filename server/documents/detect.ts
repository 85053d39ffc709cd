/**
 * Decides what an uploaded file is from its bytes, never from its name. The name is only checked
 * against the bytes, so a file whose extension lies is refused instead of being mislabelled.
 */
import { fileTypeFromBuffer } from 'file-type';
import { ErrorCode } from '../../shared/protocol';
import { KIND_LABELS, kindFromFileName, type DocumentKind } from '../../shared/model/documents';
import { AppError } from '../errors';

export interface Detected {
  kind: DocumentKind;
  mime: string;
}

const BINARY: Record<string, Detected> = {
  'application/pdf': { kind: 'pdf', mime: 'application/pdf' },
  'image/png': { kind: 'image', mime: 'image/png' },
  'image/jpeg': { kind: 'image', mime: 'image/jpeg' },
  'model/gltf-binary': { kind: 'model', mime: 'model/gltf-binary' },
};

const SUPPORTED = Object.values(KIND_LABELS).join(', ');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text if it decodes as UTF-8 and has no NUL bytes or other binary control characters. */
function asText(bytes: Uint8Array): string | undefined {
  try {
    const text = utf8.decode(bytes);
    return /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function isGltfJson(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const json = JSON.parse(text) as { asset?: { version?: unknown } };
    return typeof json.asset?.version === 'string';
  } catch {
    return false;
  }
}

const MARKDOWN_HINTS = /^(#{1,6} |\s*[-*+] |\s*\d+\. |> |```)/m;

/**
 * Detects the kind of `bytes` (the whole file; text kinds need all of it) uploaded as `fileName`.
 * Throws an AppError that says what was found and what is accepted.
 */
export async function detectKind(bytes: Uint8Array, fileName: string): Promise<Detected> {
  if (bytes.length === 0) throw new AppError(ErrorCode.BAD_REQUEST, 'The file is empty.', 400);
  const claimed = kindFromFileName(fileName);
  const sniffed = await fileTypeFromBuffer(bytes);
  let detected: Detected;
  if (sniffed) {
    const known = BINARY[sniffed.mime];
    if (!known) {
      throw new AppError(ErrorCode.UNSUPPORTED_TYPE, `This file is ${sniffed.mime} (.${sniffed.ext}), which cannot be shown as a document. Supported: ${SUPPORTED}.`, 415);
    }
    detected = known;
  } else {
    const text = asText(bytes);
    if (text === undefined) throw new AppError(ErrorCode.UNSUPPORTED_TYPE, `The file's content is not a type that can be shown as a document. Supported: ${SUPPORTED}.`, 415);
    if (isGltfJson(text)) detected = { kind: 'model', mime: 'model/gltf+json' };
    else if (claimed === 'markdown' || (claimed !== 'text' && MARKDOWN_HINTS.test(text))) detected = { kind: 'markdown', mime: 'text/markdown' };
    else detected = { kind: 'text', mime: 'text/plain' };
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
