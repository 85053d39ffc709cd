/** Entry point: configuration, logger, app, signals. Wiring only. */
import { ConfigError, loadConfig } from './config';
import { createLogger, keepRunningOnStrayErrors } from './log';
import { startApp } from './app';
import { serverUrls, terminalQr } from './lan';

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
  keepRunningOnStrayErrors(log);
  const app = await startApp(config, log);
  log.info({ port: app.port, host: config.host, dataDir: config.dataDir }, 'listening');

  // a stop asked for from here on closes cleanly (the banner below may take a moment to draw its QR code)
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(signal).catch((err: unknown) => {
        log.error({ err }, 'shutting down failed');
        process.exit(1);
      });
    });
  }

  const { local, lan } = serverUrls({ https: config.https, host: config.host, port: app.port });
  process.stdout.write(`\nDocument Workflow Chain is running.\n  Open ${local}\n${lan.map((u) => `  On your network: ${u}\n`).join('')}`);
  if (lan[0]) {
    const hint = config.https ? 'scan with a headset or phone (accept the self-signed certificate once)' : 'scan with a phone; set HTTPS=1 for VR and AR';
    process.stdout.write(`\n  ${hint}:\n${await terminalQr(lan[0])}\n`);
  }
  process.stdout.write('\n');
}

main().catch((err) => {
  process.stderr.write(`Could not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
