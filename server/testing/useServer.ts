/** Boots one real server for a test file and stops it afterwards. */
import { afterAll, beforeAll } from 'vitest';
import { bootServer, type BootOptions, type BootedServer } from './bootServer';

export function useServer(opts: BootOptions = {}): () => BootedServer {
  let server: BootedServer | undefined;
  beforeAll(async () => {
    server = await bootServer(opts);
  });
  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });
  return () => {
    if (!server) throw new Error('the server has not started yet');
    return server;
  };
}
