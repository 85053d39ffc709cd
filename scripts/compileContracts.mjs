/**
 * Compiles the Solidity contracts in server/chain/contracts with the solc npm package (offline,
 * WebAssembly) into dist/contracts/<Name>.json (ABI + bytecode). Skips the work when the
 * sources have not changed since the last build. Used by `npm run build`, `npm start` and tests.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'server/chain/contracts');
const OUT = path.join(ROOT, 'dist/contracts');

function sources() {
  return Object.fromEntries(
    readdirSync(SRC)
      .filter((f) => f.endsWith('.sol'))
      .sort()
      .map((f) => [f, { content: readFileSync(path.join(SRC, f), 'utf8') }]),
  );
}

/** Compiles when needed; returns the output folder. Throws with solc's messages on errors. */
export function ensureContracts() {
  const input = sources();
  const solc = createRequire(import.meta.url)('solc');
  const key = createHash('sha256').update(JSON.stringify(input)).update(solc.version()).digest('hex');
  const stamp = path.join(OUT, '.sources-hash');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return OUT;
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
  mkdirSync(OUT, { recursive: true });
  for (const [file, contracts] of Object.entries(output.contracts)) {
    for (const [name, c] of Object.entries(contracts)) {
      writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify({ contractName: name, sourceFile: file, compiler: solc.version(), abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }, null, 2));
    }
  }
  writeFileSync(stamp, key);
  return OUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    process.stdout.write(`Contracts compiled into ${path.relative(ROOT, ensureContracts())}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
