/**
 * Runs the MongoDB wire stand-in as its own process, for tests that share one among several server
 * processes: `node --import tsx server/testing/mongoWire/main.ts --port N [--host H]`. Prints
 * `mongo wire listening on <port>` once it accepts connections; ends on SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startMongoWire } from './server';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number (0 for any free one), not ${values.port}\n`);
  process.exit(2);
}

const wire = await startMongoWire({ port, host: values.host });
process.stdout.write(`mongo wire listening on ${wire.port}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    wire.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
