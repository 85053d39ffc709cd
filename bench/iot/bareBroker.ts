/**
 * The IoT bench's baseline: a bare aedes broker on a TCP port (no authentication, nothing stored,
 * a PUBACK as soon as the message is routed) with one subscriber inside it counting telemetry, run
 * as its own process like our server. Prints `listening <port>`; a line `count` on stdin is
 * answered `count <n>`.
 */
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Aedes } from 'aedes';

const aedes = await Aedes.createBroker();
let count = 0;
await new Promise<void>((resolve) => aedes.subscribe('dwc/+/telemetry', (_packet, done) => (count++, done()), resolve));
const server = createServer((socket) => aedes.handle(socket));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'count') process.stdout.write(`count ${count}\n`);
});
const stop = () => {
  server.close();
  aedes.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
