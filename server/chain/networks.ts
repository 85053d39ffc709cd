/**
 * EVM networks by configuration. The embedded dev chain (`dev`) is the default: a local EVM run
 * inside the server whose state is kept under the data directory, so an anchor made yesterday
 * still verifies today. Any other EVM network is added by name with its RPC URL and key.
 */
import { z } from 'zod';

export const NetworkConfig = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  /** `embedded` runs the dev chain in-process; `rpc` talks to a node over JSON-RPC. */
  type: z.enum(['embedded', 'rpc']).default('rpc'),
  rpcUrl: z.string().url().optional(),
  chainId: z.number().int().positive().optional(),
  /** Name of the environment variable that holds the signer's private key (never the key itself). */
  privateKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  confirmations: z.number().int().min(1).max(64).default(1),
  /** Address of a deployed DocumentRegistry; deployed on first use and recorded when absent. */
  registryAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
});
export type NetworkConfig = z.output<typeof NetworkConfig>;

export const DEV_NETWORK: NetworkConfig = { name: 'dev', type: 'embedded', chainId: 1337, confirmations: 1 };
