/**
 * `npm run bench`: runs every benchmark in turn, or only those named on the command line
 * (`npm run bench -- workflows`). Each prints its own table beside its baseline and writes its
 * figures under bench/results/.
 */
import { runRenderBench } from './render';
import { runWorkflowBench } from './workflows';
import { runRealtimeBench } from './realtime/realtime';
import { runAnalysisQualityBench } from './analysis/quality';
import { runVoiceBench } from './voice';
import { runIotBench } from './iot/iot';
import { runScaleBench } from './scale/scale';

const BENCHES: Record<string, () => Promise<unknown>> = {
  workflows: runWorkflowBench,
  render: runRenderBench,
  analysis: runAnalysisQualityBench,
  realtime: () => runRealtimeBench(),
  voice: runVoiceBench,
  iot: () => runIotBench(),
  scale: () => runScaleBench(),
};

// flags (--quick, --crowd=…) belong to the benchmarks themselves
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length) {
  process.stderr.write(`Unknown benchmark ${unknown.join(', ')}; there are: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  process.stdout.write(`\n== ${name} ==\n`);
  try {
    await BENCHES[name]!();
  } catch (err) {
    process.stderr.write(`benchmark ${name} failed: ${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 1;
  }
}
