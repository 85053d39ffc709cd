/**
 * The scale benchmark's load: the realtime bench's generator run once per world, all in this one
 * process (on two cores one process of worker threads costs less than one process per world).
 * Each world's `generate` prints its own JOINED / WINDOW_START / WINDOW_END lines, so the
 * orchestrator sees each of them once per world; at the end this prints `CROWDS {json}`, the
 * generators' results in the order of the worlds.
 */
import { generate, type GeneratorInput } from '../realtime/generator';

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const worlds = JSON.parse(process.argv[2]!) as GeneratorInput[];
  Promise.all(worlds.map((w) => generate(w)))
    .then((results) => {
      process.stdout.write(`CROWDS ${JSON.stringify(results)}\n`);
      process.exit(0);
    })
    .catch((err) => {
      process.stderr.write(`crowds failed: ${(err as Error)?.stack ?? err}\n`);
      process.exit(1);
    });
}
