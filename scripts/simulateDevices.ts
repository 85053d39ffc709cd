/**
 * `npm run simulate:devices -- --world <id> [--server http://localhost:2567] [--token <access token or
 * API key>] [--thermostats 2 --meters 2 --doors 2] [--hz 1] [--binary] [--no-twins] [--data-dir ./data]`
 *
 * Runs simulated devices in a world through the server's MQTT broker until Ctrl+C. The devices are
 * registered on the first run and kept in <data dir>/simulator/<world id>.json for the next.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SimulatorError, startSimulator } from '../server/iot/simulator/Simulator';

const USAGE = `Usage: npm run simulate:devices -- --world <world id> [options]

  --world <id>        the world the devices belong to (in its link: #/w/<id>)
  --server <url>      the server (default http://localhost:2567)
  --token <token>     an access token or API key of an editor of the world (none: as a guest,
                      who may add devices only in a world that lets guests edit)
  --thermostats <n>   how many thermostats (default 2)
  --meters <n>        how many power meters (default 2)
  --doors <n>         how many door sensors (default 2)
  --hz <n>            readings a second per device (default 1)
  --binary            send readings in the compact binary form instead of JSON
  --no-twins          do not stand the devices it registers in the world as twins
  --data-dir <dir>    where the devices' keys are kept (default ./data)
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parse() {
  return parseArgs({
    options: {
      world: { type: 'string' },
      server: { type: 'string', default: 'http://localhost:2567' },
      token: { type: 'string' },
      thermostats: { type: 'string', default: '2' },
      meters: { type: 'string', default: '2' },
      doors: { type: 'string', default: '2' },
      hz: { type: 'string', default: '1' },
      binary: { type: 'boolean', default: false },
      'no-twins': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
}
const args = (() => {
  try {
    return parse();
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`);
  }
})();
if (args.help) {
  out(USAGE);
  process.exit(0);
}
if (!args.world) fail(`Say which world: --world <world id>.\n\n${USAGE}`);

const count = (flag: 'thermostats' | 'meters' | 'doors'): number => {
  const n = Number(args[flag]);
  return Number.isInteger(n) && n >= 0 ? n : fail(`--${flag} is a whole number, 0 or more (got "${args[flag]}").`);
};

try {
  const sim = await startSimulator({
    server: args.server,
    worldId: args.world,
    token: args.token,
    counts: { thermostat: count('thermostats'), power_meter: count('meters'), door_sensor: count('doors') },
    hz: Number(args.hz),
    binary: args.binary,
    twins: !args['no-twins'],
    dataDir: path.resolve(args['data-dir'] ?? './data'),
    print: out,
    // the meters' day follows this machine's clock
    utcOffsetMin: -new Date().getTimezoneOffset(),
  });
  out('Running; Ctrl+C stops.');
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    out('Stopping…');
    sim.stop().then(
      () => {
        const stats = Object.values(sim.stats());
        const sum = (k: 'sent' | 'acknowledged' | 'commands') => stats.reduce((n, s) => n + s[k], 0);
        out(`Stopped: ${sum('acknowledged')} of ${sum('sent')} readings acknowledged, ${sum('commands')} command(s) answered.`);
        process.exit(0);
      },
      (err: unknown) => fail(`Stopping failed: ${(err as Error).message}`),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  if (err instanceof SimulatorError) fail(err.message);
  throw err;
}
