/**
 * HTTPS for the LAN: headsets and phones only allow WebXR in a secure context. Uses the given
 * certificate, or makes a self-signed one for this machine's names and addresses once and keeps
 * it under the data directory (made again when the addresses change).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import selfsigned from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
  /** Where it came from, for the start-up message. */
  source: string;
}

export async function loadCertificate(opts: { dataDir: string; certFile?: string; keyFile?: string; hosts: string[] }): Promise<Certificate> {
  if (opts.certFile && opts.keyFile) {
    return { cert: await readFile(opts.certFile, 'utf8'), key: await readFile(opts.keyFile, 'utf8'), source: opts.certFile };
  }
  const dir = path.join(opts.dataDir, 'tls');
  const wanted = [...new Set(['localhost', '127.0.0.1', ...opts.hosts])].sort();
  try {
    const meta = JSON.parse(await readFile(path.join(dir, 'hosts.json'), 'utf8')) as string[];
    if (JSON.stringify(meta) === JSON.stringify(wanted)) {
      return { cert: await readFile(path.join(dir, 'cert.pem'), 'utf8'), key: await readFile(path.join(dir, 'key.pem'), 'utf8'), source: `${dir} (self-signed)` };
    }
  } catch {
    // none yet, or unreadable: make a new one below
  }
  const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'Document Workflow Chain (self-signed)' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 825 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: wanted.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  await writeFile(path.join(dir, 'cert.pem'), pems.cert);
  await writeFile(path.join(dir, 'hosts.json'), JSON.stringify(wanted));
  return { cert: pems.cert, key: pems.private, source: `${dir} (self-signed, made now)` };
}
