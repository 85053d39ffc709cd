/**
 * How a cached JSON value is written to Redis: as it is when small, gzip-compressed past a size
 * (long AI answers are prose and JSON, which shrink several times over). The first byte says which,
 * so a reader never has to guess, and values written before a threshold changed still read.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const PLAIN = 0x6a; // 'j'
const GZIP = 0x7a; // 'z'

/** The stored form of `json`: compressed when its UTF-8 is over `compressOverBytes`. */
export async function encodeValue(json: string, compressOverBytes: number): Promise<Buffer> {
  const raw = Buffer.from(json, 'utf8');
  // compression runs on libuv's pool, not on the event loop that serves requests
  const [tag, body] = raw.length > compressOverBytes ? [GZIP, await gzipAsync(raw)] : [PLAIN, raw];
  return Buffer.concat([Buffer.of(tag), body]);
}

/** The JSON text of a stored value; throws on bytes this codec did not write. */
export async function decodeValue(stored: Buffer): Promise<string> {
  const body = stored.subarray(1);
  switch (stored[0]) {
    case PLAIN:
      return body.toString('utf8');
    case GZIP:
      return (await gunzipAsync(body)).toString('utf8');
    default:
      throw new Error(`a cached value starts with byte ${stored[0] ?? 'none'}, which is neither plain (${PLAIN}) nor gzip (${GZIP})`);
  }
}
