/**
 * Server configuration: read from the environment once at boot, validated, frozen. This is the only
 * module that reads process.env.
 */
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLIENT_DIR: z.string().min(1).default('./dist/client'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Seconds a dropped participant keeps their place (avatar, name) while their client reconnects. */
  RECONNECT_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly clientDir: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly reconnectSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment into a Config, or throws a ConfigError naming what to set. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // an empty variable means "not set", as it does in most shells' `VAR= command`
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    clientDir: path.resolve(e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    reconnectSeconds: e.RECONNECT_SECONDS,
  });
}
