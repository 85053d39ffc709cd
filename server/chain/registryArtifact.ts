/** The compiled DocumentRegistry (ABI + bytecode), compiled from its Solidity source if needed. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { InterfaceAbi } from 'ethers';
import { ensureContracts } from '../../scripts/compileContracts.mjs';

let cached: Promise<{ abi: InterfaceAbi; bytecode: string }> | undefined;

export function loadRegistryArtifact(): Promise<{ abi: InterfaceAbi; bytecode: string }> {
  cached ??= (async () => {
    // compiled at build time; compiling here too covers a server started without a build
    const dir = ensureContracts();
    const json = JSON.parse(await readFile(path.join(dir, 'DocumentRegistry.json'), 'utf8')) as { abi: InterfaceAbi; bytecode: string };
    return { abi: json.abi, bytecode: json.bytecode };
  })();
  return cached;
}

