/**
 * REST routes for direct use of AI, under /api/v3/ai: analyse a text or a stored document, and
 * generate Markdown (as one reply, or streamed as Server-Sent Events while it is written).
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { ErrorCode, describeIssues } from '../../shared/protocol';
import { AiFailure, type AiService } from '../ai/AiService';
import { ProviderName } from '../ai/providers';
import type { DocumentService } from '../documents/DocumentService';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { requestIdOf, requestLog } from './requestContext';

const Providers = {
  /** One provider, or several in order of preference; the server's default providers when neither. */
  provider: ProviderName.optional(),
  providers: z.array(ProviderName).min(1).max(5).optional(),
};
const Source = {
  text: z.string().min(1).max(60_000).optional(),
  documentId: z.string().min(1).max(64).optional(),
  /** The world the request is made for; a guest must name one (or a document in one). */
  worldId: z.string().min(1).max(64).optional(),
};
const oneSource = (b: { text?: string; documentId?: string }) => (b.text === undefined) !== (b.documentId === undefined);
const SOURCE_MESSAGE = 'send either "text" or "documentId"';

const AnalyzeInput = z
  .strictObject({
    ...Source,
    ...Providers,
    summarySentences: z.number().int().min(1).max(20).default(3),
    labels: z
      .array(z.union([z.string().min(1).max(60).transform((label) => ({ label, hints: [] as string[] })), z.strictObject({ label: z.string().min(1).max(60), hints: z.array(z.string().max(60)).max(50).default([]) })]))
      .max(30)
      .default([]),
  })
  .refine(oneSource, SOURCE_MESSAGE);

const GenerateInput = z
  .strictObject({
    prompt: z.string().min(1).max(20_000),
    /** Material to write from, as text or a stored document; optional. */
    context: z.string().max(60_000).optional(),
    documentId: Source.documentId,
    worldId: Source.worldId,
    ...Providers,
    maxTokens: z.number().int().min(16).max(32_000).default(1024),
    temperature: z.number().min(0).max(2).default(0.3),
    /** Stream the text as Server-Sent Events while it is written. */
    stream: z.boolean().default(false),
  })
  .refine((b) => !(b.context !== undefined && b.documentId !== undefined), 'send "context" or "documentId", not both');

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, `Cannot do that: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

const providersOf = (b: { provider?: string; providers?: string[] }) => b.providers ?? (b.provider ? [b.provider] : undefined);

/** Aborted when the client goes away before the reply is complete. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client went away'));
  });
  return controller.signal;
}

function failureBody(err: AiFailure, requestId?: string) {
  return { error: { code: ErrorCode.AI_FAILED, message: err.message, failures: err.failures, requestId } };
}

export interface AiGuards {
  /** Reading a document for an answer needs the right to read it in its world; answers its world. */
  readDocument(res: Response, documentId: string): Promise<string | undefined>;
  /** Asking on behalf of a world needs the right to run workflows there. */
  runIn(res: Response, worldId: string): Promise<void>;
  signedIn(res: Response): boolean;
}

/**
 * Who may ask: an answer costs money once a paid provider is set, so a guest asks only on behalf of
 * a world they may run workflows in (the one named, or the document's); an account may ask anywhere.
 */
async function mayAsk(g: AiGuards, res: Response, input: { documentId?: string; worldId?: string }): Promise<void> {
  const documentWorld = input.documentId === undefined ? undefined : await g.readDocument(res, input.documentId);
  const worldId = input.worldId ?? (g.signedIn(res) ? undefined : documentWorld);
  if (worldId !== undefined) await g.runIn(res, worldId);
  else if (!g.signedIn(res)) throw new AppError(ErrorCode.UNAUTHORIZED, 'Sign in to ask the AI, or name a world you may run workflows in ("worldId").', 401);
}

export function aiRoutes(ai: AiService, documents: DocumentService, log: Logger, guards: AiGuards): Router {
  const r = express.Router({ caseSensitive: true });

  r.get('/providers', (_req, res) => {
    res.json({ providers: ai.describe() });
  });

  r.post('/analyze', async (req: Request, res: Response) => {
    const input = parse(AnalyzeInput, req.body);
    await mayAsk(guards, res, input);
    const text = input.text ?? (await documents.text(input.documentId!));
    const signal = clientGone(res);
    try {
      const answer = await ai.analyse(text, { summarySentences: input.summarySentences, labels: input.labels, providers: providersOf(input) }, signal);
      res.json({ analysis: answer.result, provider: answer.provider, model: answer.model, usage: answer.usage, failures: answer.failures });
    } catch (err) {
      if (signal.aborted) return; // nobody is left to answer
      if (!(err instanceof AiFailure)) throw err;
      res.status(502).json(failureBody(err, requestIdOf(res)));
    }
  });

  r.post('/generate', async (req: Request, res: Response) => {
    const input = parse(GenerateInput, req.body);
    await mayAsk(guards, res, input);
    const context = input.context ?? (input.documentId ? await documents.text(input.documentId) : '');
    const request = { prompt: input.prompt, context, maxTokens: input.maxTokens, temperature: input.temperature, providers: providersOf(input) };
    const signal = clientGone(res);
    if (!input.stream) {
      try {
        const answer = await ai.generate(request, signal, () => undefined);
        res.json({ text: answer.result, provider: answer.provider, model: answer.model, usage: answer.usage, failures: answer.failures });
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof AiFailure)) throw err;
        res.status(502).json(failureBody(err, requestIdOf(res)));
      }
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let sent = '';
    try {
      const answer = await ai.generate(request, signal, (soFar) => {
        // a provider that fails part-way is replaced by the next, which starts again
        if (!soFar.startsWith(sent)) {
          send('reset', {});
          sent = '';
        }
        if (soFar.length > sent.length) send('delta', { text: soFar.slice(sent.length) });
        sent = soFar;
      });
      send('done', { text: answer.result, provider: answer.provider, model: answer.model, usage: answer.usage, failures: answer.failures });
    } catch (err) {
      if (signal.aborted) return;
      send('error', err instanceof AiFailure ? failureBody(err).error : { code: ErrorCode.INTERNAL, message: 'Generation stopped by an error on the server; it has been logged.' });
      if (!(err instanceof AiFailure)) requestLog(res, log).error({ err }, 'generation failed');
    }
    res.end();
  });
  return r;
}
