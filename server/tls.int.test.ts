import { request } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from './testing/bootServer';

let server: BootedServer | undefined;
afterAll(async () => {
  await server?.stop();
  server?.cleanup();
});

/** GET over HTTPS trusting only the given certificate (as a headset would once it is accepted). */
function get(url: string, ca?: string): Promise<{ status: number; body: string; cert: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, rejectUnauthorized: ca !== undefined, servername: 'localhost', agent: false }, (res) => {
      const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().raw?.toString('base64') ?? '';
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cert }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS on the LAN', () => {
  it('serves over HTTPS with a self-signed certificate kept under the data directory, and offers a QR code to join', async () => {
    server = await bootServer({ env: { HTTPS: '1', HOST: '0.0.0.0' } });
    expect(server.url.startsWith('https://')).toBe(true);
    // the QR code follows the banner once it has been drawn
    for (let i = 0; i < 50 && !/scan with a headset or phone/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.output()).toMatch(/scan with a headset or phone/);
    const { readFileSync } = await import('node:fs');
    const ca = readFileSync(`${server.dataDir}/tls/cert.pem`, 'utf8');
    const health = await get(`https://localhost:${server.port}/api/v3/health`, ca);
    expect(health.status).toBe(200);
    const connect = JSON.parse((await get(`https://localhost:${server.port}/api/v3/connect`, ca)).body);
    expect(connect).toMatchObject({ secure: true, local: `https://localhost:${server.port}/` });
    expect(connect.qr.svg).toMatch(/^<svg/);

    // the same certificate is used again after a restart
    const first = (await get(`https://localhost:${server.port}/`, ca)).cert;
    await server.stop();
    server = await bootServer({ dataDir: server.dataDir, env: { HTTPS: '1', HOST: '0.0.0.0' } });
    expect((await get(`https://localhost:${server.port}/`, ca)).cert).toBe(first);
  });
});
