/**
 * `npm test`: the whole suite — typecheck, lint, client build, then unit, integration and e2e tests —
 * ending with one line that counts every check: `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClientBuild } from './ensureClientBuild.mjs';
import { PROJECTS, typecheck } from './typecheck.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'test-results');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const tally = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(title) {
  process.stdout.write(`\n── ${title} ──\n`);
}
function record(name, ok) {
  if (ok) tally.passed++;
  else {
    tally.failed++;
    failures.push(name);
  }
}

mkdirSync(RESULTS, { recursive: true });

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  process.stdout.write(
    `\nNOTE: the e2e tests need Chromium and it is not at ${chromium}.\n` +
      '      Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.\n' +
      '      The e2e tests will fail until then.\n',
  );
}

if (!['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some((p) => existsSync(p))) {
  process.stdout.write(
    '\nNOTE: the external-broker test needs Mosquitto (with its dynamic security plugin) and it is not installed.\n' +
      '      Install it (Debian/Ubuntu: apt-get install -y mosquitto). That test will fail until then.\n',
  );
}

if (!['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'].some((p) => existsSync(p))) {
  process.stdout.write(
    '\nNOTE: the tests of several processes serving one site need Redis and redis-server is not installed.\n' +
      '      Install it (Debian/Ubuntu: apt-get install -y redis-server). Those tests will fail until then.\n',
  );
}

for (const project of PROJECTS) {
  step(`typecheck ${project} (tsc)`);
  record(`typecheck ${project}`, typecheck(project));
}

step('lint (promises nobody waits for)');
record('lint', spawnSync(bin('eslint'), ['.'], { cwd: ROOT, stdio: 'inherit' }).status === 0);

step('build (client with vite)');
try {
  await ensureClientBuild();
  record('build', true);
} catch (err) {
  process.stdout.write(`${err?.stack ?? err}\n`);
  record('build', false);
}

// Docker and Kubernetes cannot run here: the deployment files are checked against the server's
// configuration and routes, and the Dockerfile's runtime stage is replayed and booted (scripts/deploy/)
step('deployment files (Dockerfile, compose.yaml, deploy/)');
record('deployment check', spawnSync(process.execPath, ['--import', 'tsx', 'scripts/checkDeploy.ts'], { cwd: ROOT, stdio: 'inherit' }).status === 0);

// Unit and integration tests run first, then e2e on its own: on a small machine the browsers and
// the integration servers fight for the same cores, and the two phases one after the other finish
// sooner than all three projects at once. Arguments (files, filters) run as one vitest call.
const extra = process.argv.slice(2);
const phases = extra.length
  ? [{ title: 'tests (vitest)', args: extra }]
  : [
      { title: 'unit and integration tests (vitest)', args: ['--project', 'unit', '--project', 'integration'] },
      { title: 'e2e tests in Chromium (vitest)', args: ['--project', 'e2e'] },
    ];
for (const [i, phase] of phases.entries()) {
  step(phase.title);
  const report = path.join(RESULTS, `vitest-${i + 1}.json`);
  rmSync(report, { force: true });
  const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...phase.args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    tally.passed += r.numPassedTests;
    tally.failed += r.numFailedTests;
    tally.skipped += r.numPendingTests + r.numTodoTests;
    // a file that fails to load has no tests to count but is still a failure
    const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
    for (const f of brokenFiles) record(`load ${path.relative(ROOT, f.name)}`, false);
    for (const f of r.testResults)
      for (const a of f.assertionResults) if (a.status === 'failed') failures.push(a.fullName);
    if (vitest.status !== 0 && r.numFailedTests === 0 && brokenFiles.length === 0) record(`${phase.title}: vitest run`, false);
  } else {
    record(`${phase.title}: vitest run (no report written)`, false);
  }
}

if (failures.length) process.stdout.write(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
process.stdout.write(`\n${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
process.exit(tally.failed === 0 ? 0 : 1);
