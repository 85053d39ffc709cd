/**
 * Regenerates the compiled contracts shipped beside their sources: server/chain/contracts/<Name>.json
 * (ABI + bytecode) from server/chain/contracts/*.sol, with the solc npm package (offline,
 * WebAssembly). Run it after changing a contract: `npm run contracts`; `npm run build` and
 * `npm start` run it too when an artifact is missing or older than the sources. The server only reads the
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

/** Why the artifacts need compiling again, or null when each was compiled from the sources as they are. */
export function contractsStaleReason() {
  const artifacts = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.json'));
  if (!artifacts.length) return 'no compiled contract yet';
  const current = sourcesHash();
  const stale = artifacts.filter((f) => JSON.parse(readFileSync(path.join(CONTRACTS_DIR, f), 'utf8')).sourcesHash !== current);
  return stale.length ? `${stale.join(', ')} compiled from other sources` : null;
}

/** Compiles the contracts when their artifacts are stale; returns the files written (none when current). */
export function ensureContracts({ quiet = false } = {}) {
  const reason = contractsStaleReason();
  if (!reason) return [];
  if (!quiet) process.stdout.write(`Compiling the contracts (${reason})…\n`);
  return compileContracts();
}

function loadSolc() {
  try {
    return createRequire(import.meta.url)('solc');
  } catch (err) {
    if (err?.code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error('compiling the contracts needs solc, a dev dependency: run `npm install` (without --omit=dev), then `npm run build`');
  }
}

/** Compiles every contract and writes its artifact; returns the files written. Throws with solc's messages on errors. */
export function compileContracts() {
  const input = contractSources();
  const solc = loadSolc();
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
