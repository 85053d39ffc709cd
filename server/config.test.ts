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

  it('lets pages reach only the EEG bridges it names, as WebSocket origins', () => {
    expect(loadConfig({}).eegBridgeOrigins).toEqual([]);
    expect(loadConfig({ EEG_BRIDGE_ORIGINS: 'ws://localhost:8765/, wss://eeg.lan:9000' }).eegBridgeOrigins).toEqual(['ws://localhost:8765', 'wss://eeg.lan:9000']);
    expect(() => loadConfig({ EEG_BRIDGE_ORIGINS: 'http://localhost:8765' })).toThrow(/EEG_BRIDGE_ORIGINS/);
  });

  it('takes STUN/TURN servers for voice as JSON, none by default, and names bad ones', () => {
    expect(loadConfig({}).iceServers).toEqual([]);
    const servers = [{ urls: 'stun:stun.lan:3478' }, { urls: ['turn:turn.lan:3478?transport=udp', 'turns:turn.lan:5349'], username: 'dwc', credential: 's3cret' }];
    expect(loadConfig({ ICE_SERVERS: JSON.stringify(servers) }).iceServers).toEqual(servers);
    expect(() => loadConfig({ ICE_SERVERS: 'stun:stun.lan' })).toThrow(/ICE_SERVERS.*not JSON/);
    expect(() => loadConfig({ ICE_SERVERS: JSON.stringify([{ urls: 'http://stun.lan' }]) })).toThrow(/ICE_SERVERS/);
    expect(() => loadConfig({ ICE_SERVERS: JSON.stringify([{ urls: 'stun:a', extra: 1 }]) })).toThrow(/ICE_SERVERS/);
  });

  it('caps realtime connections per address at 50 unless told otherwise, and names a bad cap', () => {
    expect(loadConfig({}).maxConnectionsPerAddress).toBe(50);
    expect(loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: '1000' }).maxConnectionsPerAddress).toBe(1000);
    expect(() => loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: '0' })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS/);
  });

  it('accepts a MongoDB URI and refuses something that is not one', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/dwc' }).mongodbUri).toBe('mongodb://db:27017/dwc');
    expect(() => loadConfig({ MONGODB_URI: 'http://db' })).toThrow(/MONGODB_URI/);
  });

  it('serves alone unless REDIS_URL is set; with it wants PUBLIC_ADDRESS, and never prints the Redis URL', () => {
    expect(loadConfig({}).cluster).toBeNull();
    const site = loadConfig({ REDIS_URL: 'redis://:s3cret@cache:6379', PUBLIC_ADDRESS: 'dwc.example.com/p1', ENGINE_LEASE_SECONDS: '5' }).cluster;
    expect(site).toEqual({ redisUrl: 'redis://:s3cret@cache:6379', publicAddress: 'dwc.example.com/p1', engineLeaseMs: 5000 });
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379' })).toThrow(/PUBLIC_ADDRESS: with REDIS_URL each process needs the address browsers reach it at/);
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379', PUBLIC_ADDRESS: 'wss://dwc.example.com' })).toThrow(/PUBLIC_ADDRESS="wss:\/\/dwc.example.com": host:port, or host\/path/);
    const bad = (() => {
      try {
        loadConfig({ REDIS_URL: 'http://:s3cret@cache:6379', PUBLIC_ADDRESS: 'a:1' });
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(bad).toMatch(/REDIS_URL=\(hidden\): a Redis URL/);
    expect(bad).not.toContain('s3cret');
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

  it('has only the built-in analyser until AI providers are configured', () => {
    expect(loadConfig({}).ai).toEqual({ providers: [], defaultProviders: ['builtin'] });
  });

  it('reads AI providers: the OpenAI shorthand first with the analyser behind it, a JSON list, keys from named variables', () => {
    const c = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      AI_PROVIDERS: JSON.stringify([
        { name: 'local', baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.2', jsonSchema: false },
        { name: 'azure', baseURL: 'https://res.openai.azure.com', apiKeyEnv: 'AZURE_KEY', model: 'gpt-4o', azure: { apiVersion: '2024-10-21', deployment: 'gpt4o' }, pricing: { inputPer1M: 2.5, outputPer1M: 10 } },
      ]),
      AZURE_KEY: 'az-secret',
    });
    expect(c.ai.providers.map((p) => [p.name, p.model, p.apiKey])).toEqual([
      ['openai', 'gpt-4o-mini', 'sk-test'],
      ['local', 'llama3.2', undefined],
      ['azure', 'gpt-4o', 'az-secret'],
    ]);
    expect(c.ai.providers[0]).toMatchObject({ maxRetries: 2, jsonSchema: true });
    // no base URL of our own: the openai SDK's default endpoint is used
    expect(c.ai.providers[0]!.baseURL).toBeUndefined();
    expect(c.ai.providers[2]).toMatchObject({ azure: { apiVersion: '2024-10-21', deployment: 'gpt4o' }, pricing: { inputPer1M: 2.5, outputPer1M: 10 } });
    expect(c.ai.defaultProviders).toEqual(['openai', 'builtin']);
    expect(loadConfig({ AI_BASE_URL: 'http://127.0.0.1:8000/v1', AI_MODEL: 'qwen', AI_DEFAULT_PROVIDERS: 'builtin, openai' }).ai).toMatchObject({
      providers: [{ name: 'openai', baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen', apiKey: undefined }],
      defaultProviders: ['builtin', 'openai'],
    });
  });

  it('names what is wrong with the AI configuration', () => {
    expect(() => loadConfig({ AI_PROVIDERS: 'not json' })).toThrow(/AI_PROVIDERS: not valid JSON/);
    expect(() => loadConfig({ AI_PROVIDERS: '[{"name":"x","baseURL":"ftp://h","model":"m"}]' })).toThrow(/AI_PROVIDERS: 0\.baseURL/);
    expect(() => loadConfig({ AI_PROVIDERS: '[{"name":"builtin","baseURL":"http://h","model":"m"}]' })).toThrow(/cannot be redefined/);
    expect(() => loadConfig({ AI_PROVIDERS: '[{"name":"a","baseURL":"http://h","model":"m"},{"name":"a","baseURL":"http://h","model":"m"}]' })).toThrow(/"a" is used twice/);
    expect(() => loadConfig({ AI_PROVIDERS: '[{"name":"a","baseURL":"http://h","model":"m","apiKeyEnv":"A_KEY"}]' })).toThrow(/A_KEY, which is not set/);
    expect(() => loadConfig({ AI_DEFAULT_PROVIDERS: 'openai' })).toThrow(/AI_DEFAULT_PROVIDERS: no provider "openai"/);
    expect(() => loadConfig({ AI_BASE_URL: 'not a url' })).toThrow(/AI_BASE_URL/);
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

  it('has guest access on, 15-minute access tokens and 30-day sign-ins by default, and reads the auth settings', () => {
    expect(loadConfig({})).toMatchObject({ authSecret: undefined, accessTokenMs: 15 * 60_000, refreshTokenMs: 30 * 86_400_000, guestAccess: true });
    const secret = 'x'.repeat(40);
    const c = loadConfig({ AUTH_SECRET: secret, ACCESS_TOKEN_MINUTES: '5', REFRESH_TOKEN_DAYS: '7', GUEST_ACCESS: 'off' });
    expect(c).toMatchObject({ authSecret: secret, accessTokenMs: 5 * 60_000, refreshTokenMs: 7 * 86_400_000, guestAccess: false });
    expect(loadConfig({ GUEST_ACCESS: '0' }).guestAccess).toBe(false);
    expect(loadConfig({ GUEST_ACCESS: 'true' }).guestAccess).toBe(true);
  });

  it('refuses a short auth secret without printing it, and bad token lifetimes or guest settings', () => {
    let message = '';
    try {
      loadConfig({ AUTH_SECRET: 'short-but-secret' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/AUTH_SECRET=\(hidden\): at least 32 characters/);
    expect(message).not.toContain('short-but-secret');
    expect(() => loadConfig({ ACCESS_TOKEN_MINUTES: '0' })).toThrow(/ACCESS_TOKEN_MINUTES/);
    expect(() => loadConfig({ ACCESS_TOKEN_MINUTES: 'soon' })).toThrow(/ACCESS_TOKEN_MINUTES/);
    expect(() => loadConfig({ REFRESH_TOKEN_DAYS: '1000' })).toThrow(/REFRESH_TOKEN_DAYS/);
    expect(() => loadConfig({ GUEST_ACCESS: 'maybe' })).toThrow(/GUEST_ACCESS/);
  });

  it('limits workflows by default: half the slots per world, 100 runs a request, schedules a minute apart, guests stricter; webhooks public only', () => {
    const c = loadConfig({});
    expect(c.workflowLimits).toEqual({ worldConcurrency: 4, bulkMax: 100, minIntervalMs: 60_000, runsPerMinute: 120, guestRunsPerMinute: 20, guests: 'run' });
    expect(c.webhookAllow).toEqual([]);
    expect(loadConfig({ WORKFLOW_CONCURRENCY: '1' }).workflowLimits.worldConcurrency).toBe(1);
    const set = loadConfig({ WORKFLOW_WORLD_CONCURRENCY: '3', WORKFLOW_BULK_MAX: '10', WORKFLOW_MIN_INTERVAL_SECONDS: '5', GUEST_WORKFLOWS: 'off', WEBHOOK_ALLOW: '127.0.0.1:4000,10.0.0.0/8' });
    expect(set.workflowLimits).toMatchObject({ worldConcurrency: 3, bulkMax: 10, minIntervalMs: 5000, guests: 'off' });
    expect(set.webhookAllow).toEqual([
      { kind: 'host', host: '127.0.0.1', port: 4000 },
      { kind: 'cidr', network: '10.0.0.0', prefix: 8, family: 'ipv4' },
    ]);
    expect(() => loadConfig({ WORKFLOW_WORLD_CONCURRENCY: '9' })).toThrow(/WORKFLOW_WORLD_CONCURRENCY=9: at most WORKFLOW_CONCURRENCY \(8\)/);
    expect(() => loadConfig({ GUEST_WORKFLOWS: 'some' })).toThrow(/GUEST_WORKFLOWS/);
    expect(() => loadConfig({ WEBHOOK_ALLOW: '10.0.0.0/40' })).toThrow(/WEBHOOK_ALLOW: "10.0.0.0\/40" is not a CIDR range/);
  });

  it('reads TRUST_PROXY as express takes it, and refuses what is none of its forms', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/8/2', 'yes please']) expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).auditRetentionDays).toBe(90);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '-1' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('sends alerts to no webhook unless told, keeps their history 90 days, and refuses a webhook that is not http(s) without printing it', () => {
    expect(loadConfig({})).toMatchObject({ alertWebhookUrl: undefined, alertRetentionDays: 90 });
    expect(loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example/T0/secret', ALERT_RETENTION_DAYS: '0' })).toMatchObject({ alertWebhookUrl: 'https://hooks.example/T0/secret', alertRetentionDays: 0 });
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: 'ftp://hooks.example/secret-token' })).toThrow(/ALERT_WEBHOOK_URL=\(hidden\): an http\(s\) URL/);
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: 'ftp://hooks.example/secret-token' })).not.toThrow(/secret-token/);
    expect(() => loadConfig({ ALERT_RETENTION_DAYS: 'ever' })).toThrow(/ALERT_RETENTION_DAYS/);
  });
  it('traces nothing unless an OTLP endpoint is set, and OTEL_SDK_DISABLED wins', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeNull();
    const on = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(on.tracing).toEqual({ endpoint: 'http://collector:4318/v1/traces', serviceName: 'document-workflow-chain', sampler: 'parentbased_always_on', samplerArg: undefined, exportDelayMs: 5000 });
    expect(Object.isFrozen(on.tracing)).toBe(true);
    // the signal's own endpoint is taken as it is, before the generic one
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces' }).tracing?.endpoint).toBe('https://b/otlp/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'TRUE' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'false', OTEL_SERVICE_NAME: 'dwc-eu', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_BSP_SCHEDULE_DELAY: '200' }).tracing).toMatchObject({ serviceName: 'dwc-eu', sampler: 'parentbased_traceidratio', samplerArg: 0.25, exportDelayMs: 200 });
  });

  it('refuses OTEL settings it cannot honour, naming the variable', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL.*gRPC is not supported/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).tracing).toBeNull();
  });

  it('takes an external MQTT broker only with a word on who keeps devices to their own topics there', () => {
    expect(() => loadConfig({ MQTT_URL: 'mqtt://broker.local:1883' })).toThrow(/MQTT_DEVICE_AUTH: say who keeps each device/);
    const c = loadConfig({ MQTT_URL: 'mqtt://broker.local:1883', MQTT_DEVICE_AUTH: 'dynsec', MQTT_USERNAME: 'admin', MQTT_PASSWORD: 'secret' });
    expect(c.iot).toMatchObject({ mqttPort: null, mqttWsPort: null, external: { url: 'mqtt://broker.local:1883', dynsec: true } });
    expect(loadConfig({}).iot).toMatchObject({ mqttPort: 1883, mqttWsPort: 8083, coapPort: null, external: null });
    expect(() => loadConfig({ MQTT_URL: 'http://x', MQTT_DEVICE_AUTH: 'broker' })).toThrow(/MQTT_URL=\(hidden\)/);
  });
});
