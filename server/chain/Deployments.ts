/** Where the DocumentRegistry was deployed on each network, kept in a small JSON file. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class Deployments {
  private readonly file: string;

  constructor(private readonly dir: string) {
    this.file = path.join(dir, 'deployments.json');
  }

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }

  async get(network: string, chainId: bigint): Promise<string | undefined> {
    return (await this.read())[`${network}:${chainId}`];
  }

  async set(network: string, chainId: bigint, address: string): Promise<void> {
    const all = { ...(await this.read()), [`${network}:${chainId}`]: address };
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(all, null, 2));
    await rename(tmp, this.file);
  }
}
