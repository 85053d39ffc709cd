/**
 * `blockchain_anchor` and `blockchain_verify`: anchor the run's document on an EVM network and
 * prove it against the chain later. Anchoring is idempotent per content hash, so a resumed or
 * retried step never anchors twice.
 */
import { z } from 'zod';
import { STEP_KIND } from '../../../shared/model/stepKinds';
import { StepFailure, defineStep, done, type StepContext } from './StepKind';

const Params = z.strictObject({
  /** A configured network; the default network when omitted. */
  network: z.string().max(32).optional(),
});

function documentOf(ctx: StepContext): string {
  const id = ctx.run.input.documentId;
  if (typeof id !== 'string') throw new StepFailure('NO_DOCUMENT', 'This step needs a document: start the run on one.', false);
  return id;
}

export const blockchainAnchorStep = defineStep({
  kind: STEP_KIND.BLOCKCHAIN_ANCHOR,
  title: 'Anchor on chain',
  description: "Records the document's sha256 in the DocumentRegistry contract and waits for confirmation.",
  needs: ['anchorDocument'],
  params: Params,
  async run(params, ctx) {
    return done(await ctx.adapters.anchorDocument(documentOf(ctx), params.network));
  },
});

export const blockchainVerifyStep = defineStep({
  kind: STEP_KIND.BLOCKCHAIN_VERIFY,
  title: 'Verify on chain',
  description: "Hashes the stored document again and checks it against its anchor on chain.",
  needs: ['verifyDocument'],
  params: Params,
  async run(params, ctx) {
    const result = await ctx.adapters.verifyDocument(documentOf(ctx), params.network);
    if (!result.verified) {
      const why = !result.anchored ? 'it was never anchored' : 'its content changed since it was anchored';
      throw new StepFailure('NOT_VERIFIED', `The document does not verify on "${result.network}": ${why}.`, false);
    }
    return done(result);
  },
});
