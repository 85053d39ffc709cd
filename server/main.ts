/** Entry point: configuration, logger, app, signals. Wiring only. */
import { networkInterfaces } from 'node:os';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { startApp } from './app';

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const app = await startApp(config, log);
  log.info({ port: app.port, host: config.host, dataDir: config.dataDir }, 'listening');

  const local = `http://localhost:${app.port}/`;
  const lan = config.host === '0.0.0.0' ? lanAddresses().map((a) => `http://${a}:${app.port}/`) : [];
  process.stdout.write(`\nDocument Workflow Chain is running.\n  Open ${local}\n${lan.map((u) => `  On your network: ${u}\n`).join('')}\n`);

  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`Could not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
