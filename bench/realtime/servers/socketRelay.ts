/**
 * Baseline 3: a socket.io relay in the style of Networked-Aframe's server: every message a client
 * sends is forwarded at once to everyone else in the room, as it came. No tick, no state.
 */
import { Server } from 'socket.io';
import { announce, probe, probeServer } from './listen';

const http = probeServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  // the in-memory adapter joins at once; the promise is only there for adapters that go over the network
  Promise.resolve(socket.join('world')).catch((err: unknown) => socket.disconnect(Boolean(err)));
  socket.on('pose', (message: unknown) => {
    probe.time(() => socket.to('world').emit('pose', message));
  });
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => announce(http));
