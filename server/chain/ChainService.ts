/**
 * Anchors document hashes in the DocumentRegistry contract and looks them up, on any configured
 * EVM network through ethers v6. Anchoring is idempotent: a hash already on chain is answered
 * with its existing proof, and the contract itself refuses a second anchor of the same hash, so
 * a step retried or resumed after a crash never anchors twice.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BrowserProvider, Contract, ContractFactory, JsonRpcProvider, Wallet, type Eip1193Provider, type Provider } from 'ethers';
import type { Logger } from '../log';
import { serial, type Serial } from '../serial';
import { Deployments } from './Deployments';
import type { NetworkConfig } from './networks';
import { loadRegistryArtifact } from './registryArtifact';

export interface AnchorProof {
  network: string;
  chainId: number;
  registry: string;
  /** The anchored sha256, 0x-prefixed. */
  hash: string;
  txHash: string;
  blockNumber: number;
  blockTime: string;
  anchoredBy: string;
  meta: string;
}

interface Connection {
  /** Transactions from one signer go one at a time, so their nonces never collide. */
  sending: Serial;
  config: NetworkConfig;
  provider: Provider;
  signer: Wallet;
  registry: Contract;
  chainId: number;
  close(): Promise<void>;
}

export class ChainError extends Error {
  override name = 'ChainError';
  constructor(
    readonly code: 'UNKNOWN_NETWORK' | 'NO_SIGNER' | 'UNREACHABLE' | 'TX_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * ganache is an optional dependency, large and needed only by the embedded dev chain: a server that
 * anchors on CHAIN_RPC_URL or CHAIN_NETWORKS runs without it, and says what to do if it is asked for.
 */
export async function loadGanache(specifier = 'ganache'): Promise<typeof import('ganache')['default']> {
  try {
    return ((await import(specifier)) as typeof import('ganache')).default;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new ChainError(
      'UNREACHABLE',
      'The embedded dev chain needs the optional package ganache, which is not installed: run `npm install ganache`, or anchor on another network with CHAIN_RPC_URL (or CHAIN_NETWORKS) and CHAIN_DEFAULT_NETWORK.',
    );
  }
}

const toBytes32 = (sha256Hex: string) => (sha256Hex.startsWith('0x') ? sha256Hex : `0x${sha256Hex}`).toLowerCase();

export class ChainService {
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly deployments: Deployments;

  constructor(
    private readonly o: {
      networks: NetworkConfig[];
      defaultNetwork: string;
      dataDir: string;
      /** Looks up the private key an `rpc` network names by environment variable. */
      secret(name: string): string | undefined;
      log: Logger;
      /** Told of each anchoring transaction: confirmed (with the seconds from sending) or failed. */
      observe?(network: string, outcome: 'confirmed' | 'failed', seconds: number): void;
    },
  ) {
    this.deployments = new Deployments(path.join(o.dataDir, 'chain'));
  }

  get defaultNetwork(): string {
    return this.o.defaultNetwork;
  }

  networkNames(): string[] {
    return this.o.networks.map((n) => n.name);
  }

  private connect(name: string): Promise<Connection> {
    let conn = this.connections.get(name);
    if (!conn) {
      conn = this.open(name);
      this.connections.set(name, conn);
      // a failed connection is not kept, so the next call tries again
      conn.catch(() => this.connections.delete(name));
    }
    return conn;
  }

  private async open(name: string): Promise<Connection> {
    const config = this.o.networks.find((n) => n.name === name);
    if (!config) throw new ChainError('UNKNOWN_NETWORK', `There is no network "${name}" (configured: ${this.networkNames().join(', ')}).`);
    let provider: Provider;
    let key: string | undefined;
    let close = async () => {};
    if (config.type === 'embedded') {
      const dir = path.join(this.o.dataDir, 'chain', config.name);
      await mkdir(dir, { recursive: true });
      key = await this.devKey(dir);
      const ganache = await loadGanache();
      const eip1193 = ganache.provider({
        database: { dbPath: path.join(dir, 'db') },
        wallet: { accounts: [{ secretKey: key, balance: '0x3635C9ADC5DEA00000' }] },
        chain: { chainId: config.chainId ?? 1337 },
        miner: { instamine: 'eager' },
        logging: { quiet: true },
      });
      // a database another process holds never answers: fail with a reason instead of hanging
      const ready = await Promise.race([
        eip1193.request({ method: 'eth_chainId', params: [] }).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 20_000).unref()),
      ]);
      if (!ready) {
        throw new ChainError('UNREACHABLE', `The dev chain in ${dir} did not start; is another server using this data directory?`);
      }
      const browser = new BrowserProvider(eip1193 as unknown as Eip1193Provider, config.chainId ?? 1337);
      browser.pollingInterval = 50;
      provider = browser;
      close = async () => {
        browser.destroy();
        await eip1193.disconnect();
      };
    } else {
      if (!config.rpcUrl) throw new ChainError('UNREACHABLE', `Network "${name}" has no rpcUrl.`);
      const rpc = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: config.chainId !== undefined });
      provider = rpc;
      key = config.privateKeyEnv ? this.o.secret(config.privateKeyEnv) : undefined;
      close = async () => rpc.destroy();
    }
    if (!key) throw new ChainError('NO_SIGNER', `Network "${name}" has no signing key: set ${config.privateKeyEnv ?? 'privateKeyEnv'}.`);
    const signer = new Wallet(key, provider);
    let chainId: number;
    try {
      chainId = Number((await provider.getNetwork()).chainId);
    } catch (err) {
      await close();
      throw new ChainError('UNREACHABLE', `Cannot reach network "${name}": ${(err as Error).message}`);
    }
    const registry = await this.registryOn(config, signer, BigInt(chainId));
    this.o.log.info({ network: name, chainId, registry: await registry.getAddress() }, 'chain connected');
    return { sending: serial(), config, provider, signer, registry, chainId, close };
  }

  /** Whether a network answers now: connects if need be, then asks for its latest block (for readiness). */
  async probe(network = this.o.defaultNetwork): Promise<void> {
    const conn = await this.connect(network);
    try {
      await conn.provider.getBlockNumber();
    } catch (err) {
      throw new ChainError('UNREACHABLE', `Cannot reach network "${network}": ${(err as Error).message}`);
    }
  }

  /** The dev chain's signing key: made once and kept beside its database. */
  private async devKey(dir: string): Promise<string> {
    const file = path.join(dir, 'dev-key');
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch {
      const key = `0x${randomBytes(32).toString('hex')}`;
      await writeFile(file, key, { mode: 0o600 });
      return key;
    }
  }

  private async registryOn(config: NetworkConfig, signer: Wallet, chainId: bigint): Promise<Contract> {
    const { abi, bytecode } = await loadRegistryArtifact();
    const known = config.registryAddress ?? (await this.deployments.get(config.name, chainId));
    if (known && (await signer.provider!.getCode(known)) !== '0x') return new Contract(known, abi, signer);
    const deployed = await new ContractFactory(abi, bytecode, signer).deploy();
    await deployed.waitForDeployment();
    const address = await deployed.getAddress();
    await this.deployments.set(config.name, chainId, address);
    this.o.log.info({ network: config.name, address }, 'DocumentRegistry deployed');
    return new Contract(address, abi, signer);
  }

  /** The anchor of `sha256Hex` on a network, or undefined when it was never anchored there. */
  async lookup(sha256Hex: string, network = this.o.defaultNetwork): Promise<AnchorProof | undefined> {
    const c = await this.connect(network);
    const hash = toBytes32(sha256Hex);
    const [by, at, blockNumber, meta] = (await c.registry.getFunction('lookup')(hash)) as [string, bigint, bigint, string];
    if (at === 0n) return undefined;
    const events = await c.registry.queryFilter(c.registry.filters.Anchored!(hash), Number(blockNumber), Number(blockNumber));
    return {
      network,
      chainId: c.chainId,
      registry: await c.registry.getAddress(),
      hash,
      txHash: events[0]?.transactionHash ?? '',
      blockNumber: Number(blockNumber),
      blockTime: new Date(Number(at) * 1000).toISOString(),
      anchoredBy: by,
      meta,
    };
  }

  /** Anchors `sha256Hex` (once per network) and waits for the configured confirmations. */
  async anchor(sha256Hex: string, meta: string, network = this.o.defaultNetwork): Promise<AnchorProof> {
    const c = await this.connect(network);
    return c.sending(() => this.anchorNow(c, sha256Hex, meta, network));
  }

  private async anchorNow(c: Connection, sha256Hex: string, meta: string, network: string): Promise<AnchorProof> {
    const existing = await this.lookup(sha256Hex, network);
    if (existing) return existing;
    const sent = performance.now();
    try {
      const tx = await c.registry.getFunction('anchor')(toBytes32(sha256Hex), meta.slice(0, 1024));
      await tx.wait(c.config.confirmations);
      this.o.observe?.(network, 'confirmed', (performance.now() - sent) / 1000);
    } catch (err) {
      // someone (or an earlier attempt of this very step) anchored it meanwhile: that is success
      const again = await this.lookup(sha256Hex, network);
      if (again) return again;
      this.o.observe?.(network, 'failed', (performance.now() - sent) / 1000);
      throw new ChainError('TX_FAILED', `The anchoring transaction failed on "${network}": ${(err as Error).message}`);
    }
    const proof = await this.lookup(sha256Hex, network);
    if (!proof) throw new ChainError('TX_FAILED', `The anchor is not visible on "${network}" after the transaction.`);
    return proof;
  }

  /** How many hashes the registry holds on a network (for tests and the dashboard). */
  async anchorCount(network = this.o.defaultNetwork): Promise<number> {
    const c = await this.connect(network);
    return Number(await c.registry.getFunction('count')());
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const conn of await Promise.allSettled(all)) if (conn.status === 'fulfilled') await conn.value.close();
  }
}
