/** REST routes for anchoring and verifying documents on chain, under /api/v3/blockchain. */
import express, { type Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../shared/protocol';
import { ChainError, type ChainService } from '../chain/ChainService';
import { DocumentNotFound, type DocumentProofs } from '../chain/DocumentProofs';
import { AppError } from '../errors';

const AnchorInput = z.strictObject({ documentId: z.string().min(1).max(64), network: z.string().max(32).optional() });

/** Chain and lookup failures as errors a client can act on. */
function asAppError(err: unknown): unknown {
  if (err instanceof DocumentNotFound) return new AppError(ErrorCode.NOT_FOUND, err.message, 404);
  if (err instanceof ChainError) {
    return err.code === 'UNKNOWN_NETWORK' ? new AppError(ErrorCode.BAD_REQUEST, err.message, 400) : new AppError(ErrorCode.INTERNAL, err.message, 502);
  }
  return err;
}

/** Checks the caller's role in a document's world: editors anchor, anyone let in verifies. */
export type DocumentGuard = (res: express.Response, documentId: string, action: 'read' | 'editDocuments') => Promise<unknown>;

export function blockchainRoutes(chain: ChainService, proofs: DocumentProofs, guard: DocumentGuard = async () => {}): Router {
  const r = express.Router({ caseSensitive: true });

  r.get('/networks', (_req, res) => {
    res.json({ networks: chain.networkNames(), default: chain.defaultNetwork });
  });

  r.post('/anchor', async (req, res) => {
    const input = AnchorInput.safeParse(req.body);
    if (!input.success) throw new AppError(ErrorCode.BAD_REQUEST, 'Send { "documentId": "…", "network"?: "…" }.', 400);
    await guard(res, input.data.documentId, 'editDocuments');
    try {
      res.status(201).json({ proof: await proofs.anchor(input.data.documentId, input.data.network) });
    } catch (err) {
      throw asAppError(err);
    }
  });

  r.get('/verify/:documentId', async (req, res) => {
    const network = typeof req.query.network === 'string' ? req.query.network : undefined;
    await guard(res, req.params.documentId, 'read');
    try {
      res.json({ verification: await proofs.verify(req.params.documentId, network) });
    } catch (err) {
      throw asAppError(err);
    }
  });
  return r;
}
