/** The addresses people on the same network can reach this server at. */
import { networkInterfaces } from 'node:os';
import QRCode from 'qrcode';

export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/** The URLs to open: localhost first, then one per LAN address when listening on all of them. */
export function serverUrls(opts: { https: boolean; host: string; port: number }): { local: string; lan: string[] } {
  const scheme = opts.https ? 'https' : 'http';
  const lan = opts.host === '0.0.0.0' || opts.host === '::' ? lanAddresses() : opts.host === '127.0.0.1' || opts.host === 'localhost' ? [] : [opts.host];
  return { local: `${scheme}://localhost:${opts.port}/`, lan: lan.map((a) => `${scheme}://${a}:${opts.port}/`) };
}

/** A service's URLs on a port: this machine first, then each LAN address when listening on all of them. */
export function reachableUrls(host: string, scheme: string, port: number, path = ''): string[] {
  const hosts = host === '0.0.0.0' || host === '::' ? ['localhost', ...lanAddresses()] : [host];
  return hosts.map((h) => `${scheme}://${h}:${port}${path}`);
}

/** A QR code of `url` for a terminal. */
export const terminalQr = (url: string) => QRCode.toString(url, { type: 'terminal', small: true });
/** A QR code of `url` as an SVG document. */
export const svgQr = (url: string) => QRCode.toString(url, { type: 'svg', margin: 1 });
