/**
 * Server configuration: read from the environment once at boot, validated, frozen. This is the only
 * module that reads process.env.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { IceServer } from '../shared/protocol';
import { DEV_NETWORK, NetworkConfig } from './chain/networks';
import { aiConfig, type AiConfig } from './ai/providers';
import { parseAllowList, type AllowRule } from './workflows/net/egress';
import { defaultShareConcurrency } from './workflows/engine/FairQueue';
import { SAMPLERS, type TracingConfig } from './tracing/Tracing';

/** Variables whose values never appear in an error message. */
// a webhook URL often carries its receiver's token in its path (chat services' incoming webhooks)
const HIDDEN_VALUES = new Set(['AUTH_SECRET', 'CHAIN_PRIVATE_KEY', 'OPENAI_API_KEY', 'ALERT_WEBHOOK_URL', 'MQTT_URL', 'MQTT_PASSWORD', 'REDIS_URL', 'MONGODB_URI']);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A port to listen on, 0 for any free one, or `off` for none. */
const Port = z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)], { error: 'a port number, 0 for any free one, or off' });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLIENT_DIR: z.string().min(1).default('./dist/client'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Seconds a dropped participant keeps their place (avatar, name) while their client reconnects. */
  RECONNECT_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  /** Intents a client may send per second on average (poses included); bursts of twice that pass. */
  INTENT_RATE: z.coerce.number().int().min(5).max(10_000).default(60),
  /** Days a world keeps its chat; older messages are dropped. */
  CHAT_RETENTION_DAYS: z.coerce.number().min(0.001).max(3650).default(30),
  /** The most chat messages a world keeps; older ones are dropped first. */
  CHAT_KEEP: z.coerce.number().int().min(10).max(100_000).default(1000),
  /** REST requests one address may make per minute; past it, 429 with Retry-After. */
  REST_RATE: z.coerce.number().int().min(10).max(1_000_000).default(1200),
  /** REST requests one API key may make per minute, wherever it calls from. */
  KEY_RATE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Origins other sites' pages may call the REST API from (comma-separated); none by default. */
  CORS_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)])))
    .default([]),
  /** WebSocket origins of EEG headband bridges the page may connect to (comma-separated); none by default. */
  EEG_BRIDGE_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^wss?$/ }).transform((u) => new URL(u).origin)))
    .default([]),
  /** STUN/TURN servers for voice across the internet, as JSON: [{"urls":"turn:…","username":"…","credential":"…"}]. None on a LAN. */
  ICE_SERVERS: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'ICE_SERVERS is not JSON: give a list such as [{"urls":"stun:stun.example.org:3478"}]' });
        return z.NEVER;
      }
    })
    .pipe(z.array(IceServer).max(8))
    .default([]),
  /** Seconds a held document stays held while its holder sends nothing. */
  HOLD_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /** Realtime (WebSocket) connections one address may hold open at once; past it a connection is refused with 429. */
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /** Largest upload accepted, in megabytes. */
  MAX_UPLOAD_MB: z.coerce.number().positive().max(2048).default(25),
  /** Camera models: a file path this server serves, or a URL it fetches once (see ModelSource). */
  NEURAL_POSE_MODEL: z.string().optional(),
  NEURAL_GESTURE_MODEL: z.string().optional(),
  NEURAL_FACE_MODEL: z.string().optional(),
  /** Serve HTTPS (needed for WebXR on headsets and phones on the LAN). */
  HTTPS: z.enum(['0', '1', 'true', 'false']).default('0'),
  /** A certificate and key to serve HTTPS with; a self-signed pair is made when absent. */
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** Workflow runs that may execute a step at the same time. */
  WORKFLOW_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Runs of one world (or of one workflow in no world) that may execute a step at once; default half of WORKFLOW_CONCURRENCY. */
  WORKFLOW_WORLD_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Most runs one request may start (a bulk run over many inputs). */
  WORKFLOW_BULK_MAX: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Shortest time a schedule (an interval or a cron pattern) may leave between two runs. */
  WORKFLOW_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Runs one account (signed in, or through any of its API keys) may start per minute. */
  WORKFLOW_RUNS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Runs one guest address may start per minute. */
  GUEST_RUNS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** What guests may do with workflows: start runs (`run`), also set schedules (`all`), or nothing (`off`). */
  GUEST_WORKFLOWS: z.enum(['off', 'run', 'all']).default('run'),
  /** Destinations webhooks may reach although they are not public: hosts, host:port pairs, CIDR ranges (comma-separated). */
  WEBHOOK_ALLOW: z.string().default(''),
  /** Time limit of a workflow step that sets none of its own. */
  STEP_TIMEOUT_SECONDS: z.coerce.number().positive().max(7 * 86_400).default(300),
  /** EVM networks as JSON (see server/chain/networks.ts); the embedded dev chain is always there. */
  CHAIN_NETWORKS: z.string().optional(),
  /** Shortcut for one network: its JSON-RPC URL, with the key in CHAIN_PRIVATE_KEY. */
  CHAIN_RPC_URL: z.string().url().optional(),
  CHAIN_PRIVATE_KEY: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, 'a 32-byte hex private key').optional(),
  CHAIN_DEFAULT_NETWORK: z.string().optional(),
  /**
   * Several processes as one site: rooms are found and joined across processes (Colyseus's Redis
   * presence and driver), world events, rate limits, the AI cache and schedules are shared through it.
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a Redis URL (redis://host:6379 or rediss://…)').optional(),
  /** Where browsers reach this process itself (host:port, or host/path behind a proxy); needed with REDIS_URL. */
  PUBLIC_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.[\]:-]+(\/[A-Za-z0-9._~-]+)*$/, 'host:port, or host/path behind a proxy (no scheme: the page picks ws or wss)')
    .optional(),
  /**
   * How long an AI result stays in Redis (with REDIS_URL). Keys are content-addressed, so an entry
   * for a document's old text is never asked for again: this is what lets Redis forget it.
   */
  AI_CACHE_TTL_HOURS: z.coerce.number().positive().max(365 * 24).default(7 * 24),
  /** With REDIS_URL: how long the process running the workflow engine keeps it without renewing (it renews every third of this); another takes over after it. */
  ENGINE_LEASE_SECONDS: z.coerce.number().min(1).max(300).default(15),
  /** When set, worlds and documents live in this MongoDB database instead of the embedded store. */
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a MongoDB connection string (mongodb://…)').optional(),
  /** AI providers as JSON (see server/ai/providers.ts); the built-in offline analyser is always there. */
  AI_PROVIDERS: z.string().optional(),
  /** Shortcut for one provider named "openai": its key, and optionally another OpenAI-compatible URL and model. */
  OPENAI_API_KEY: z.string().optional(),
  AI_BASE_URL: z.string().url().optional(),
  AI_MODEL: z.string().min(1).max(200).optional(),
  /** Providers used when a step names none, in order of preference (comma-separated). */
  AI_DEFAULT_PROVIDERS: z.string().optional(),
  /** Key that signs access tokens; when absent one is made once and kept in DATA_DIR/auth/secret. */
  AUTH_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  /** How long an access token lasts; a client renews it with its refresh token. */
  ACCESS_TOKEN_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  /** How long a sign-in lasts without being used. */
  REFRESH_TOKEN_DAYS: z.coerce.number().positive().max(365).default(30),
  /** Whether people may join worlds and use the API without an account. */
  GUEST_ACCESS: z.enum(['on', 'off', '1', '0', 'true', 'false']).default('on'),
  /** Usernames (comma-separated) that act as owners of every world and read the whole audit log. */
  ADMIN_USERS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((u) => u.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'usernames of 3 to 32 of a-z 0-9 _ . -'))),
  /**
   * Which reverse proxies' X-Forwarded-For to believe when telling clients apart: `false` (none, the
   * default), `true` (any: only when nothing can reach the server but through the proxy), a number of
   * proxy hops, or addresses and CIDR ranges (comma-separated; also loopback, linklocal, uniquelocal).
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((s, ctx) => {
      const v = trustProxy(s);
      if (v === undefined) ctx.addIssue({ code: 'custom', message: 'false, true, a number of proxy hops, or addresses/CIDR ranges separated by commas (e.g. 10.0.0.1,192.168.0.0/16 or loopback)' });
      return v ?? false;
    }),
  /** Days the hourly analytics rollups are kept (minutes: two days at most); 0 keeps them for ever. */
  ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /**
   * `off` stops timing each REST request and counting each intent (their series on the dashboard
   * and in /metrics then stand still); for measuring what the counting costs, or a server watched
   * by other means. Sessions, runs and the process's own figures are still kept.
   */
  METRICS: z.enum(['on', 'off']).default('on'),
  /** Seconds between analytics samples of the key series. */
  ANALYTICS_SAMPLE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Where alert notifications are POSTed for rules that name no webhook of their own; none by default. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000).optional(),
  /** Days the history of alerts (fired, escalated, resolved, acknowledged) is kept; 0 keeps it for ever. */
  ALERT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /** Days audit entries are kept (pruned at start and daily); 0 keeps them for ever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /** Failed sign-ins allowed per username and address in SIGNIN_WINDOW_MINUTES before sign-in is refused. */
  SIGNIN_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SIGNIN_WINDOW_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  /** How often a world sends its state changes to clients (a patch), per second. */
  PATCH_RATE_HZ: z.coerce.number().min(1).max(120).default(20),
  /** In a world of more than INTEREST_ABOVE people, each client gets full-rate poses only from its nearest this many (0: everyone, always). */
  INTEREST_NEAREST: z.coerce.number().int().min(0).max(1000).default(8),
  /** ...and only from those within this many metres. */
  INTEREST_RADIUS: z.coerce.number().positive().max(1000).default(15),
  /** Interest management starts above this many people; smaller worlds send everyone's poses to everyone. */
  INTEREST_ABOVE: z.coerce.number().int().min(1).max(1000).default(32),
  /** Of the nearest, how many come at every patch; the rest every second patch (default: half, rounded up). */
  INTEREST_FULL_RATE: z.coerce.number().int().min(1).max(1000).optional(),
  /** How often, per second, a crowded world tells everyone where a share of everyone else stands. */
  POSE_SUMMARY_HZ: z.coerce.number().min(0.1).max(30).default(2),
  /** What that summary may cost each client, bytes a second: the share is sized to it, and a large crowd is placed in turns. */
  POSE_SUMMARY_BYTES: z.coerce.number().int().min(256).max(1_000_000).default(2560),
  /** OpenTelemetry tracing is on when one of these OTLP/HTTP endpoints is set (the standard variables). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. http://collector:4318' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. http://collector:4318/v1/traces' }).optional(),
  // spans are sent as OTLP/HTTP JSON, which receivers take on the same port as protobuf; gRPC is another port and transport
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json', 'http/protobuf'], { error: 'http/json (gRPC is not supported: use the OTLP/HTTP port, 4318)' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(['http/json', 'http/protobuf'], { error: 'http/json (gRPC is not supported: use the OTLP/HTTP port, 4318)' }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('document-workflow-chain'),
  /** `true` keeps tracing off whatever else is set. */
  OTEL_SDK_DISABLED: z.string().default('false').transform((s) => s.trim().toLowerCase() === 'true'),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** Milliseconds between exports of the spans that ended meanwhile. */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(600_000).default(5000),
  /** The embedded MQTT broker's TCP port for devices (0: any free one; off: no embedded broker). */
  MQTT_PORT: Port.default(1883),
  /** Its MQTT-over-WebSocket port, path /mqtt (0: any free one; off: none). */
  MQTT_WS_PORT: Port.default(8083),
  /** An external MQTT broker for devices instead of the embedded one (mqtt://, mqtts://, ws://, wss://). */
  MQTT_URL: z.url({ protocol: /^(mqtts?|wss?)$/, error: 'an mqtt://, mqtts://, ws:// or wss:// URL' }).max(2000).optional(),
  /** The server's own account on that broker. */
  MQTT_USERNAME: z.string().min(1).max(200).optional(),
  MQTT_PASSWORD: z.string().min(1).max(500).optional(),
  /**
   * Who keeps each device to its own topics on that broker (required with MQTT_URL): `dynsec`, the
   * server, as clients of Mosquitto's dynamic security plugin; `broker`, the broker's own accounts
   * and ACLs (the server then believes the device id a topic names).
   */
  MQTT_DEVICE_AUTH: z.enum(['dynsec', 'broker']).optional(),
  /** The UDP port CoAP readings are taken on (5683 is CoAP's; 0: any free one); off by default: plain CoAP carries keys in the clear. */
  COAP_PORT: Port.default('off'),
  /** The most device connections the embedded broker holds at once. */
  MQTT_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Messages one device may send per second on average (bursts of twice that pass); more are dropped and the device told. */
  IOT_DEVICE_RATE: z.coerce.number().min(0.1).max(100_000).default(20),
  /** The most readings a second people in a world see per twin, whatever its device sends. */
  IOT_TWIN_HZ: z.coerce.number().min(0.1).max(60).default(4),
  /** Days telemetry is kept at each resolution: every reading, minute and hour summaries; 0 keeps it for ever. */
  IOT_RAW_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(7),
  IOT_MINUTE_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(90),
  IOT_HOUR_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(730),
  /** Benchmarks only: times every patch and serves /api/bench/probe (event-loop delay, fan-out times). */
  BENCH_PROBE: z.enum(['0', '1']).default('0'),
});

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as express's `trust proxy` takes it, or undefined when it is none of the accepted forms. */
function trustProxy(raw: string): boolean | number | string[] | undefined {
  const s = raw.trim().toLowerCase();
  if (s === 'false' || s === '0' || s === 'off') return false;
  if (s === 'true' || s === 'on') return true;
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const list = s.split(',').map((a) => a.trim()).filter(Boolean);
  const valid = (a: string) => {
    if (PROXY_NAMES.has(a)) return true;
    const [addr, bits, extra] = a.split('/');
    const family = isIP(addr ?? '');
    if (!family || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  return list.length && list.every(valid) ? list : undefined;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly clientDir: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly reconnectSeconds: number;
  readonly https: boolean;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly holdLeaseMs: number;
  readonly intentRate: number;
  /** How much chat each world keeps, and for how long. */
  readonly chatRetention: { keep: number; maxAgeMs: number };
  readonly restRatePerMinute: number;
  /** REST requests per minute per API key. */
  readonly keyRatePerMinute: number;
  /** Realtime connections one address may hold open at once. */
  readonly maxConnectionsPerAddress: number;
  readonly corsOrigins: readonly string[];
  /** Where the page may open EEG bridge WebSockets (added to the content security policy). */
  readonly eegBridgeOrigins: readonly string[];
  /** STUN/TURN servers handed to the people in a world for voice. */
  readonly iceServers: readonly IceServer[];
  readonly maxUploadBytes: number;
  /** MediaPipe task models for the camera source; the pose model defaults to the one shipped in npm. */
  readonly neuralModels: Readonly<{ pose?: ModelSource; gesture?: ModelSource; face?: ModelSource }>;
  readonly mongodbUri: string | undefined;
  /** Several processes as one site (see REDIS_URL); null: this process alone. */
  readonly cluster: Readonly<{ redisUrl: string; publicAddress: string; engineLeaseMs: number }> | null;
  /** How long an AI result is kept in Redis (AI_CACHE_TTL_HOURS). */
  readonly aiCacheTtlMs: number;
  readonly workflowConcurrency: number;
  /** Quotas that keep one world, caller or guest from taking the workflow engine for itself. */
  readonly workflowLimits: Readonly<WorkflowLimits>;
  /** Non-public destinations webhooks may reach anyway. */
  readonly webhookAllow: readonly AllowRule[];
  readonly stepTimeoutMs: number;
  readonly chainNetworks: NetworkConfig[];
  readonly chainDefaultNetwork: string;
  /** AI providers besides the built-in analyser, with their keys, and the default order. */
  readonly ai: AiConfig;
  /** The configured token-signing key, or undefined to use the one kept under the data directory. */
  readonly authSecret: string | undefined;
  readonly accessTokenMs: number;
  readonly refreshTokenMs: number;
  /** Whether callers without a token or key are let in as guests. */
  readonly guestAccess: boolean;
  /** Usernames of administrators. */
  readonly adminUsers: readonly string[];
  /** Reverse proxies whose X-Forwarded-For names the client (express's `trust proxy`). */
  readonly trustProxy: boolean | number | readonly string[];
  /** Days audit entries are kept; 0 for ever. */
  readonly auditRetentionDays: number;
  /** Days hourly analytics rollups are kept; 0 for ever. */
  readonly analyticsRetentionDays: number;
  /** Milliseconds between analytics samples. */
  readonly analyticsSampleMs: number;
  /** Whether REST requests are timed and intents counted (METRICS). */
  readonly metricsOn: boolean;
  /** Where alert notifications go when their rule names no webhook; undefined: only the log and the history. */
  readonly alertWebhookUrl: string | undefined;
  /** Days alert history is kept; 0 for ever. */
  readonly alertRetentionDays: number;
  /** Sign-in throttling: failures allowed per username and address within the window. */
  readonly signinFailures: number;
  readonly signinWindowMs: number;
  /** Milliseconds between state patches. */
  readonly patchIntervalMs: number;
  /** Who gets whose poses at full rate in crowded worlds (see server/rooms/interest.ts). */
  readonly interest: { nearest: number; radius: number; above: number; summaryMs: number; fullRate?: number; summaryBytesPerSecond: number };
  /** Devices: the embedded broker's ports (null: off), what a device may send, how long telemetry is kept. */
  readonly iot: Readonly<IotConfig>;
  /** Whether the benchmark probe is on (never in production). */
  readonly benchProbe: boolean;
  /** Where spans go, or null: tracing off (the default). */
  readonly tracing: Readonly<TracingConfig> | null;
  /** Values of the environment variables that networks name for their keys. */
  readonly secrets: Readonly<Record<string, string>>;
}

export interface IotConfig {
  mqttPort: number | null;
  /** An external broker (MQTT_URL), or null for the embedded one. */
  external: Readonly<{ url: string; username: string | undefined; password: string | undefined; dynsec: boolean }> | null;
  mqttWsPort: number | null;
  maxConnections: number;
  deviceRate: number;
  /** The UDP port for CoAP readings, or null for none. */
  coapPort: number | null;
  twinHz: number;
  retention: { rawDays: number; minuteDays: number; hourDays: number };
}

/** The configured networks: the embedded dev chain, the CHAIN_RPC_URL shortcut, and CHAIN_NETWORKS. */
function chainNetworks(e: { CHAIN_NETWORKS?: string; CHAIN_RPC_URL?: string }): NetworkConfig[] {
  const networks: NetworkConfig[] = [DEV_NETWORK];
  if (e.CHAIN_RPC_URL) networks.push(NetworkConfig.parse({ name: 'rpc', type: 'rpc', rpcUrl: e.CHAIN_RPC_URL, privateKeyEnv: 'CHAIN_PRIVATE_KEY' }));
  if (e.CHAIN_NETWORKS) {
    let raw: unknown;
    try {
      raw = JSON.parse(e.CHAIN_NETWORKS);
    } catch {
      throw new ConfigError('Invalid configuration:\n  CHAIN_NETWORKS: not valid JSON (a list like [{"name":"sepolia","rpcUrl":"…","privateKeyEnv":"SEPOLIA_KEY"}])');
    }
    const parsed = z.array(NetworkConfig).safeParse(raw);
    if (!parsed.success) throw new ConfigError(`Invalid configuration:\n  CHAIN_NETWORKS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    networks.push(...parsed.data);
  }
  const names = networks.map((n) => n.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ConfigError(`Invalid configuration:\n  CHAIN_NETWORKS: the network name "${dup}" is used twice`);
  return networks;
}

export interface WorkflowLimits {
  /** Runs of one world that may execute a step at once. */
  worldConcurrency: number;
  bulkMax: number;
  minIntervalMs: number;
  runsPerMinute: number;
  guestRunsPerMinute: number;
  guests: 'off' | 'run' | 'all';
}

function workflowLimits(e: z.output<typeof EnvSchema>): WorkflowLimits {
  const worldConcurrency = e.WORKFLOW_WORLD_CONCURRENCY ?? defaultShareConcurrency(e.WORKFLOW_CONCURRENCY);
  if (worldConcurrency > e.WORKFLOW_CONCURRENCY) {
    throw new ConfigError(`Invalid configuration:\n  WORKFLOW_WORLD_CONCURRENCY=${worldConcurrency}: at most WORKFLOW_CONCURRENCY (${e.WORKFLOW_CONCURRENCY})`);
  }
  return {
    worldConcurrency,
    bulkMax: e.WORKFLOW_BULK_MAX,
    minIntervalMs: e.WORKFLOW_MIN_INTERVAL_SECONDS * 1000,
    runsPerMinute: e.WORKFLOW_RUNS_PER_MINUTE,
    guestRunsPerMinute: e.GUEST_RUNS_PER_MINUTE,
    guests: e.GUEST_WORKFLOWS,
  };
}

function webhookAllow(text: string): AllowRule[] {
  try {
    return parseAllowList(text);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  WEBHOOK_ALLOW: ${(err as Error).message}`);
  }
}

/** Tracing is on with an OTLP endpoint, unless OTEL_SDK_DISABLED says otherwise. */
function tracingConfig(e: z.output<typeof EnvSchema>): TracingConfig | null {
  // the generic endpoint is a base URL to which each signal adds its path; the traces one is used as given
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT && `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (!endpoint || e.OTEL_SDK_DISABLED) return null;
  return Object.freeze({ endpoint, serviceName: e.OTEL_SERVICE_NAME, sampler: e.OTEL_TRACES_SAMPLER, samplerArg: e.OTEL_TRACES_SAMPLER_ARG, exportDelayMs: e.OTEL_BSP_SCHEDULE_DELAY });
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A model the server serves: a file on this machine, or a URL the server fetches once and keeps. */
export type ModelSource = { kind: 'file'; path: string } | { kind: 'url'; url: string };

function modelSource(variable: string, value: string | undefined): ModelSource | undefined {
  if (value === undefined) return undefined;
  if (/^https?:\/\//i.test(value)) {
    if (!URL.canParse(value)) throw new ConfigError(`Invalid configuration:\n  ${variable}=${JSON.stringify(value)}: not a valid URL`);
    return { kind: 'url', url: value };
  }
  const file = path.resolve(value);
  if (!existsSync(file)) throw new ConfigError(`Invalid configuration:\n  ${variable}=${JSON.stringify(value)}: no such file (give a .task file on this machine, or an http(s) URL)`);
  return { kind: 'file', path: file };
}

/** Parses the environment into a Config, or throws a ConfigError naming what to set. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // an empty variable means "not set", as it does in most shells' `VAR= command`
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '');
      // a refused secret is still a secret: say what is wrong with it without printing it
      const shown = HIDDEN_VALUES.has(name) ? '(hidden)' : JSON.stringify(env[name] ?? '');
      return `  ${name}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.MQTT_URL && !e.MQTT_DEVICE_AUTH) {
    throw new ConfigError(
      "Invalid configuration:\n  MQTT_DEVICE_AUTH: say who keeps each device to its own topics on the broker at MQTT_URL: dynsec (the server, through Mosquitto's dynamic security plugin; MQTT_USERNAME is its administrator) or broker (the broker's own accounts and ACLs, which must keep each device to dwc/<its id>/…)",
    );
  }
  if ((e.TLS_CERT_FILE === undefined) !== (e.TLS_KEY_FILE === undefined)) {
    throw new ConfigError('Invalid configuration:\n  TLS_CERT_FILE and TLS_KEY_FILE: set both, or neither for a self-signed certificate');
  }
  if (e.REDIS_URL && !e.PUBLIC_ADDRESS) {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_ADDRESS: with REDIS_URL each process needs the address browsers reach it at (host:port, or host/path that a proxy sends to this process), so that a world hosted here can be joined through any process',
    );
  }
  const networks = chainNetworks(e);
  const defaultNetwork = e.CHAIN_DEFAULT_NETWORK ?? 'dev';
  if (!networks.some((n) => n.name === defaultNetwork)) {
    throw new ConfigError(`Invalid configuration:\n  CHAIN_DEFAULT_NETWORK="${defaultNetwork}": no such network (configured: ${networks.map((n) => n.name).join(', ')})`);
  }
  const ai = aiConfig(env);
  if (!ai.ok) throw new ConfigError(`Invalid configuration:\n  ${ai.message}`);
  const secrets: Record<string, string> = {};
  for (const n of networks) {
    const value = n.privateKeyEnv ? env[n.privateKeyEnv] : undefined;
    if (n.privateKeyEnv && value) secrets[n.privateKeyEnv] = value;
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    clientDir: path.resolve(e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    reconnectSeconds: e.RECONNECT_SECONDS,
    https: e.HTTPS === '1' || e.HTTPS === 'true',
    tlsCertFile: e.TLS_CERT_FILE && path.resolve(e.TLS_CERT_FILE),
    tlsKeyFile: e.TLS_KEY_FILE && path.resolve(e.TLS_KEY_FILE),
    holdLeaseMs: Math.round(e.HOLD_LEASE_SECONDS * 1000),
    intentRate: e.INTENT_RATE,
    chatRetention: Object.freeze({ keep: e.CHAT_KEEP, maxAgeMs: Math.round(e.CHAT_RETENTION_DAYS * 86_400_000) }),
    restRatePerMinute: e.REST_RATE,
    keyRatePerMinute: e.KEY_RATE,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    corsOrigins: Object.freeze(e.CORS_ORIGINS),
    eegBridgeOrigins: Object.freeze(e.EEG_BRIDGE_ORIGINS),
    iceServers: Object.freeze(e.ICE_SERVERS),
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    neuralModels: Object.freeze({
      pose: modelSource('NEURAL_POSE_MODEL', e.NEURAL_POSE_MODEL),
      gesture: modelSource('NEURAL_GESTURE_MODEL', e.NEURAL_GESTURE_MODEL),
      face: modelSource('NEURAL_FACE_MODEL', e.NEURAL_FACE_MODEL),
    }),
    mongodbUri: e.MONGODB_URI,
    cluster: e.REDIS_URL ? Object.freeze({ redisUrl: e.REDIS_URL, publicAddress: e.PUBLIC_ADDRESS!, engineLeaseMs: Math.round(e.ENGINE_LEASE_SECONDS * 1000) }) : null,
    aiCacheTtlMs: Math.round(e.AI_CACHE_TTL_HOURS * 3_600_000),
    workflowConcurrency: e.WORKFLOW_CONCURRENCY,
    workflowLimits: Object.freeze(workflowLimits(e)),
    webhookAllow: Object.freeze(webhookAllow(e.WEBHOOK_ALLOW)),
    stepTimeoutMs: Math.round(e.STEP_TIMEOUT_SECONDS * 1000),
    chainNetworks: networks,
    chainDefaultNetwork: defaultNetwork,
    ai: ai.config,
    authSecret: e.AUTH_SECRET,
    accessTokenMs: Math.round(e.ACCESS_TOKEN_MINUTES * 60_000),
    refreshTokenMs: Math.round(e.REFRESH_TOKEN_DAYS * 86_400_000),
    guestAccess: e.GUEST_ACCESS === 'on' || e.GUEST_ACCESS === '1' || e.GUEST_ACCESS === 'true',
    adminUsers: Object.freeze(e.ADMIN_USERS),
    trustProxy: Array.isArray(e.TRUST_PROXY) ? Object.freeze(e.TRUST_PROXY) : e.TRUST_PROXY,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    analyticsRetentionDays: e.ANALYTICS_RETENTION_DAYS,
    analyticsSampleMs: e.ANALYTICS_SAMPLE_SECONDS * 1000,
    metricsOn: e.METRICS === 'on',
    alertWebhookUrl: e.ALERT_WEBHOOK_URL,
    alertRetentionDays: e.ALERT_RETENTION_DAYS,
    signinFailures: e.SIGNIN_FAILURES,
    signinWindowMs: Math.round(e.SIGNIN_WINDOW_MINUTES * 60_000),
    patchIntervalMs: Math.round(1000 / e.PATCH_RATE_HZ),
    interest: Object.freeze({ nearest: e.INTEREST_NEAREST, radius: e.INTEREST_RADIUS, above: e.INTEREST_ABOVE, summaryMs: Math.round(1000 / e.POSE_SUMMARY_HZ), fullRate: e.INTEREST_FULL_RATE, summaryBytesPerSecond: e.POSE_SUMMARY_BYTES }),
    iot: Object.freeze({
      // an external broker takes the embedded one's place
      mqttPort: e.MQTT_PORT === 'off' || e.MQTT_URL ? null : e.MQTT_PORT,
      mqttWsPort: e.MQTT_PORT === 'off' || e.MQTT_WS_PORT === 'off' || e.MQTT_URL ? null : e.MQTT_WS_PORT,
      external: e.MQTT_URL ? Object.freeze({ url: e.MQTT_URL, username: e.MQTT_USERNAME, password: e.MQTT_PASSWORD, dynsec: e.MQTT_DEVICE_AUTH === 'dynsec' }) : null,
      maxConnections: e.MQTT_MAX_CONNECTIONS,
      deviceRate: e.IOT_DEVICE_RATE,
      coapPort: e.COAP_PORT === 'off' ? null : e.COAP_PORT,
      twinHz: e.IOT_TWIN_HZ,
      retention: Object.freeze({ rawDays: e.IOT_RAW_RETENTION_DAYS, minuteDays: e.IOT_MINUTE_RETENTION_DAYS, hourDays: e.IOT_HOUR_RETENTION_DAYS }),
    }),
    benchProbe: e.BENCH_PROBE === '1',
    tracing: tracingConfig(e),
    secrets: Object.freeze(secrets),
  });
}
