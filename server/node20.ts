/**
 * Colyseus 0.18 targets Node 22 and reads the global `WebSocket` (only its readyState constants)
 * when a dropped client reconnects. Node 20 has no global WebSocket, so without this every
 * reconnection fails. The `ws` class has the same constants.
 */
import { WebSocket as NodeWebSocket } from 'ws';

if (!('WebSocket' in globalThis)) {
  Object.defineProperty(globalThis, 'WebSocket', { value: NodeWebSocket, writable: true, configurable: true });
}
