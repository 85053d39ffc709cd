import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
  it('has working defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 2567, host: '0.0.0.0', logLevel: 'info', reconnectSeconds: 20, holdLeaseMs: 15_000, maxUploadBytes: 25 * 1024 * 1024, mongodbUri: undefined });
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads values from the environment', () => {
    const c = loadConfig({ PORT: '8080', HOST: '127.0.0.1', DATA_DIR: '/srv/dwc', LOG_LEVEL: 'debug' });
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: '/srv/dwc', logLevel: 'debug' });
  });

  it('accepts a MongoDB URI and refuses something that is not one', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/dwc' }).mongodbUri).toBe('mongodb://db:27017/dwc');
    expect(() => loadConfig({ MONGODB_URI: 'http://db' })).toThrow(/MONGODB_URI/);
  });

  it('always has the embedded dev chain, adds configured networks, and names a bad one', () => {
    expect(loadConfig({}).chainNetworks.map((n) => n.name)).toEqual(['dev']);
    const c = loadConfig({
      CHAIN_RPC_URL: 'http://127.0.0.1:8545',
      CHAIN_PRIVATE_KEY: 'ab'.repeat(32),
      CHAIN_NETWORKS: JSON.stringify([{ name: 'sepolia', rpcUrl: 'http://127.0.0.1:9545', chainId: 11155111, privateKeyEnv: 'SEPOLIA_KEY' }]),
      SEPOLIA_KEY: 'cd'.repeat(32),
      CHAIN_DEFAULT_NETWORK: 'sepolia',
    });
    expect(c.chainNetworks.map((n) => n.name)).toEqual(['dev', 'rpc', 'sepolia']);
    expect(c.chainDefaultNetwork).toBe('sepolia');
    expect(c.secrets).toEqual({ CHAIN_PRIVATE_KEY: 'ab'.repeat(32), SEPOLIA_KEY: 'cd'.repeat(32) });
    expect(() => loadConfig({ CHAIN_NETWORKS: '[{"name":"Bad Name"}]' })).toThrow(/CHAIN_NETWORKS/);
    expect(() => loadConfig({ CHAIN_NETWORKS: 'not json' })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ CHAIN_DEFAULT_NETWORK: 'mainnet' })).toThrow(/no such network/);
  });

  it('turns HTTPS on and wants both or neither of the certificate files', () => {
    expect(loadConfig({}).https).toBe(false);
    expect(loadConfig({ HTTPS: '1' }).https).toBe(true);
    expect(() => loadConfig({ HTTPS: 'yes' })).toThrow(/HTTPS/);
    expect(() => loadConfig({ TLS_CERT_FILE: 'cert.pem' })).toThrow(/set both/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(2567);
  });

  it('names every bad variable and its value', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect((err as Error).message).toContain('PORT="70000"');
      expect((err as Error).message).toContain('LOG_LEVEL="loud"');
    }
  });
});
