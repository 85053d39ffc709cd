/**
 * Regenerates the compiled contracts shipped beside their sources: server/chain/contracts/<Name>.json
 * (ABI + bytecode) from server/chain/contracts/*.sol, with the solc npm package (offline,
 * WebAssembly). Run it after changing a contract: `npm run contracts`. The server only reads the
 * JSON: loading solc in a running server would let it install its own process-wide handlers, which
 * turn any unhandled promise rejection into an exit.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CONTRACTS_DIR = path.join(ROOT, 'server/chain/contracts');

/** The Solidity sources by file name, in a stable order. */
export function contractSources() {
  return Object.fromEntries(
    readdirSync(CONTRACTS_DIR)
      .filter((f) => f.endsWith('.sol'))
      .sort()
      .map((f) => [f, { content: readFileSync(path.join(CONTRACTS_DIR, f), 'utf8') }]),
  );
}

/** The digest each artifact records of the sources it was compiled from. */
export function sourcesHash(sources = contractSources()) {
  return createHash('sha256').update(JSON.stringify(sources)).digest('hex');
}

/** Compiles every contract and writes its artifact; returns the files written. Throws with solc's messages on errors. */
export function compileContracts() {
  const input = contractSources();
  const solc = createRequire(import.meta.url)('solc');
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: input,
        settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'paris', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
      }),
    ),
  );
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`Solidity compilation failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  const written = [];
  for (const [file, contracts] of Object.entries(output.contracts)) {
    for (const [name, c] of Object.entries(contracts)) {
      const out = path.join(CONTRACTS_DIR, `${name}.json`);
      const artifact = { contractName: name, sourceFile: file, sourcesHash: sourcesHash(input), compiler: solc.version(), abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
      writeFileSync(out, `${JSON.stringify(artifact, null, 2)}\n`);
      written.push(out);
    }
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    for (const file of compileContracts()) process.stdout.write(`Wrote ${path.relative(ROOT, file)}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
