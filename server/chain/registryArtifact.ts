/**
 * The compiled DocumentRegistry (ABI + bytecode), shipped beside its Solidity source and read as
 * plain JSON. `npm run contracts` regenerates it; the compiler is never loaded by the server.
 */
import { readFile } from 'node:fs/promises';
import type { InterfaceAbi } from 'ethers';

export const REGISTRY_ARTIFACT = new URL('./contracts/DocumentRegistry.json', import.meta.url);

let cached: Promise<{ abi: InterfaceAbi; bytecode: string }> | undefined;

export function loadRegistryArtifact(): Promise<{ abi: InterfaceAbi; bytecode: string }> {
  cached ??= (async () => {
    const json = JSON.parse(await readFile(REGISTRY_ARTIFACT, 'utf8')) as { abi: InterfaceAbi; bytecode: string };
    return { abi: json.abi, bytecode: json.bytecode };
  })();
  return cached;
}
