import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourcesHash } from '../../scripts/compileContracts.mjs';
import { REGISTRY_ARTIFACT, loadRegistryArtifact } from './registryArtifact';

describe('the shipped DocumentRegistry artifact', () => {
  it('was compiled from the Solidity source as it is now (run `npm run contracts` after changing it)', () => {
    const artifact = JSON.parse(readFileSync(REGISTRY_ARTIFACT, 'utf8')) as { sourcesHash: string };
    expect(artifact.sourcesHash).toBe(sourcesHash());
  });

  it('loads with an ABI that has the registry functions and deployable bytecode', async () => {
    const { abi, bytecode } = await loadRegistryArtifact();
    const names = (abi as Array<{ type: string; name?: string }>).filter((e) => e.type === 'function').map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['anchor', 'count']));
    expect(bytecode).toMatch(/^0x[0-9a-f]{200,}$/);
  });
});
