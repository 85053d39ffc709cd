/**
 * Assembles the product's one process: express (REST + the built client) and the Colyseus world
 * rooms on one HTTP server and one port.
 */
import './node20';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express, { type Application } from 'express';
import { Server, matchMaker } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { WORLD_ROOM } from '../shared/protocol';
import type { Config } from './config';
import type { Logger } from './log';
import { closeStorage, createStorage, openStorage, type Storage } from './adapters/storage';
import { DocumentService } from './documents/DocumentService';
import { apiRouter } from './http/api';
import { finalErrors, harden } from './http/hardening';
import { Metrics } from './metrics/Metrics';
import { auditRequests, auditRoutes } from './http/audit';
import { accountRoutes, authRoutes, keyRoutes, resolveCaller } from './http/auth';
import { noScope, requireWorld, who } from './http/access';
import { assertRoutesGuarded } from './http/routes';
import { AuthService } from './auth/AuthService';
import { loadAuthSecret } from './auth/secret';
import { AuditLog } from './audit/AuditLog';
import { lanAddresses, serverUrls, svgQr } from './lan';
import { loadCertificate } from './tls';
import { blockchainRoutes } from './http/blockchain';
import { aiRoutes } from './http/ai';
import { neuralAssetsRouter } from './http/neuralAssets';
import { KITS_PATH, kitsRouter } from './http/kits';
import { NEURAL_ASSETS_PATH } from '../shared/neuralAssets';
import { AiService } from './ai/AiService';
import { clearStaleSpool } from './http/upload';
import { defineWorldRoomClass } from './rooms/WorldRoom';
import { BenchProbe, CpuProfiler, probeRoute, profileRoutes } from './bench/probe';
import { presenceEventBus, publishAlertNotice, publishSessionEnded } from './rooms/worldEvents';
import { PropModels } from './props/PropModels';
import { colyseusLogger } from './rooms/malformedFrames';
import { connectionCap } from './rooms/connectionCap';
import { realtimeAddress } from './rooms/clientAddress';
import { Engine, type RunEngine } from './workflows/engine/Engine';
import { BUILT_IN_STEPS, StepRegistry } from './workflows/steps';
import { offeredBy, type StepAdapters } from './workflows/steps/StepKind';
import { WorkflowService } from './workflows/WorkflowService';
import { Scheduler } from './workflows/Scheduler';
import { WorkflowScope } from './workflows/WorkflowScope';
import { Analytics } from './analytics/Analytics';
import { analyticsRoutes } from './http/analytics';
import { insightRoutes } from './http/insights';
import { Sessions } from './analytics/Sessions';
import { Usage } from './analytics/Usage';
import { Alerts } from './alerts/Alerts';
import { WebhookDelivery } from './alerts/WebhookDelivery';
import { alertRoutes } from './http/alerts';
import { watchWorkflows } from './metrics/workflowMetrics';
import { Readiness, type DependencyCheck } from './health/Readiness';
import { randomUUID } from 'node:crypto';
import { ChainService } from './chain/ChainService';
import { DocumentProofs } from './chain/DocumentProofs';
import { newId } from './worlds';
import { xrProfilesRouter } from './http/xrProfiles';
import { XR_PROFILES_PATH } from '../shared/xrProfiles';
import { WorldAccess } from './access/WorldAccess';
import { NeuralService } from './neural/NeuralService';
import { neuralRoutes } from './http/neural';
import { workflowQuota } from './http/workflowQuota';
import { EgressPolicy } from './workflows/net/egress';
import { egressFetch } from './workflows/net/egressFetch';
import { runSummary } from '../shared/model/runs';
import { EventService } from './events/EventService';
import { startTracing } from './tracing/Tracing';
import { requestContext } from './http/requestContext';
import { IotService } from './iot/IotService';
import { EmbeddedBroker } from './iot/broker/EmbeddedBroker';
import { ExternalBroker } from './iot/broker/ExternalBroker';
import type { Broker } from './iot/broker/Broker';
import { iotRoutes } from './http/iot';
import { IotTriggers } from './iot/IotTriggers';
import type { WorldEventBus } from './rooms/worldEvents';
import { openCluster, type Cluster } from './cluster/Cluster';
import { limitersFor } from './cluster/limiters';
import { HybridCache } from './cluster/HybridCache';
import { SiteEngine } from './cluster/SiteEngine';
import { siteSchedules } from './cluster/siteSchedules';
import { siteTriggers } from './cluster/siteTriggers';
import { hostname } from 'node:os';

export interface RunningApp {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  https: boolean;
  /** The express app serving HTTP, for reading its routes. */
  http: Application;
  close(): Promise<void>;
}

export function productVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function liveRooms(): Promise<Array<{ worldId: string; clients: number }>> {
  const rooms = await matchMaker.query({ name: WORLD_ROOM });
  return rooms.map((r) => ({ worldId: String(r.metadata?.worldId ?? ''), clients: r.clients }));
}

function serveClient(app: Application, clientDir: string, log: Logger): void {
  const index = path.join(clientDir, 'index.html');
  if (!existsSync(index)) {
    log.warn({ clientDir }, 'no built client found; run `npm run build` (npm start does it for you)');
  }
  app.use(express.static(clientDir, { index: false, maxAge: '1h', setHeaders: noCacheForHtml }));
  // the client routes by hash (/#/w/<id>), so every page request gets the same document
  app.get(['/', '/index.html'], (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The client has not been built yet. Run `npm run build`, or start with `npm start`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function noCacheForHtml(res: { setHeader(name: string, value: string): void }, file: string): void {
  if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}

/** What readiness asks (see Readiness.ts): the store, each chain network, each AI provider elsewhere. */
function dependencyChecks(storage: Storage, chain: ChainService, ai: AiService, redis: Cluster['redis']): DependencyCheck[] {
  const KEY = 'readiness-probe';
  return [
    {
      name: 'store',
      required: true,
      async check() {
        const written = randomUUID();
        await storage.cache.put(KEY, written);
        if ((await storage.cache.get(KEY)) !== written) throw new Error('the store did not read back what was just written to it');
      },
    },
    // the site's rooms, engine and limits go through it: a process that cannot reach it should get no work
    ...(redis ? [{ name: 'redis', required: true, check: async () => void (await redis.ping()) }] : []),
    ...chain.networkNames().map((network) => ({ name: `chain:${network}`, required: network === chain.defaultNetwork, check: () => chain.probe(network) })),
    ...ai.reachable().map((p) => ({ name: `ai:${p.name}`, required: false, check: (signal: AbortSignal) => p.probe(signal) })),
  ];
}

/** The embedded broker, an external one (MQTT_URL), or none (MQTT_PORT=off). */
function iotBroker(config: Config, log: Logger, siteDuty: () => boolean): Broker | null {
  const external = config.iot.external;
  if (external) return new ExternalBroker({ url: external.url, ...(external.username ? { username: external.username } : {}), ...(external.password ? { password: external.password } : {}), dynsec: external.dynsec, shared: config.cluster !== null, deliversOnReturn: siteDuty, log });
  if (config.cluster && config.iot.mqttPort !== null) log.warn('several processes each run their own MQTT broker: a device gets commands only from the process it is connected to; set MQTT_URL to one broker for the site');
  if (config.iot.mqttPort === null) return null;
  return new EmbeddedBroker({ host: config.host, port: config.iot.mqttPort, wsPort: config.iot.mqttWsPort, maxConnections: config.iot.maxConnections, log });
}

/** Opens the store, registers the rooms and starts listening. */
export async function startApp(config: Config, log: Logger, storage: Storage = createStorage(config)): Promise<RunningApp> {
  await openStorage(storage);
  log.info({ storage: storage.describe }, 'storage open');
  const staleUploads = await clearStaleSpool(storage.spoolDir);
  if (staleUploads) log.info({ files: staleUploads }, 'removed uploads left unfinished by an earlier run');
  const startedAt = Date.now();
  const version = productVersion();
  const tracing = await startTracing(config.tracing, { version, log });
  // alone, or one of several processes serving one site (REDIS_URL)
  const cluster = await openCluster(config, log.child({ component: 'cluster' }));
  const presence = cluster.presence;
  // rate limits counted for the site (in Redis) or for this process alone
  const limiters = limitersFor(cluster.redis);
  const events = presenceEventBus(() => presence, log);
  const documents = new DocumentService(storage, events, log);
  const props = new PropModels(storage, events, log.child({ component: 'props' }));
  const metrics = new Metrics({ dataDir: config.dataDir });
  const chain = new ChainService({
    networks: config.chainNetworks,
    defaultNetwork: config.chainDefaultNetwork,
    dataDir: config.dataDir,
    secret: (name) => config.secrets[name],
    log: log.child({ component: 'chain' }),
    observe: (network, outcome, seconds) => {
      metrics.chainTransaction(network, outcome, seconds);
      tracing.ended('chain anchor', { 'dwc.chain.network': network, 'dwc.outcome': outcome }, seconds, outcome === 'failed' ? 'TX_FAILED' : undefined);
    },
  });
  const proofs = new DocumentProofs(storage.store, storage.blobs, chain);
  const audit = new AuditLog(storage.audit, log.child({ component: 'audit' }), { retentionDays: config.auditRetentionDays });
  audit.startRetention();
  const authSecret = await loadAuthSecret(config);
  log.info({ secret: authSecret.source, guestAccess: config.guestAccess }, 'accounts');
  const auth = new AuthService({ store: storage.auth, secret: authSecret.secret, accessTokenMs: config.accessTokenMs, refreshTokenMs: config.refreshTokenMs, audit, sessionEnded: publishSessionEnded(() => presence, log) });
  const analytics = new Analytics({ registry: metrics.registry, store: storage.analytics, log: log.child({ component: 'analytics' }), sampleMs: config.analyticsSampleMs, retentionDays: config.analyticsRetentionDays });
  // old rows go before the server takes its first request
  analytics.start();
  const sessions = new Sessions({ metrics, store: storage.analytics, log: log.child({ component: 'analytics' }) });
  const usage = new Usage({ analytics: storage.analytics, store: storage.store, workflows: storage.workflows, sessions });
  const access = new WorldAccess({ store: storage.store, members: storage.members, events, audit, admins: new Set(config.adminUsers) });
  const eventService = new EventService({ events: storage.events, store: storage.store, access, log: log.child({ component: 'events' }) });
  const ai = new AiService({
    config: config.ai,
    cache: new HybridCache({ store: storage.cache, redis: cluster.redis, log: log.child({ component: 'ai-cache' }), ttlMs: config.aiCacheTtlMs, observe: (layer, outcome) => metrics.aiCacheLookup(layer, outcome) }),
    log: log.child({ component: 'ai' }),
    observe: (call) => {
      metrics.aiCall(call);
      tracing.ended(`ai ${call.operation}`, { 'dwc.ai.provider': call.provider, 'dwc.outcome': call.outcome, 'dwc.ai.input_tokens': call.inputTokens, 'dwc.ai.output_tokens': call.outputTokens }, call.seconds, call.code);
    },
  });
  log.info({ providers: ai.describe().map((p) => p.name), default: ai.defaultProviders }, 'AI providers');
  const readiness = new Readiness({ checks: dependencyChecks(storage, chain, ai, cluster.redis), log: log.child({ component: 'readiness' }) });
  // alert webhooks go only where workflow webhooks may: an administrator's URL is no way into the private network either
  const guardedFetch = egressFetch(new EgressPolicy(config.webhookAllow));
  const alerts = new Alerts({
    store: storage.alerts,
    rows: storage.analytics,
    delivery: new WebhookDelivery({ fetch: guardedFetch, store: storage.alerts, log: log.child({ component: 'alerts' }) }),
    log: log.child({ component: 'alerts' }),
    defaultWebhookUrl: config.alertWebhookUrl,
    retentionDays: config.alertRetentionDays,
    onNotice: publishAlertNotice(() => presence, log),
  });
  await alerts.start();
  const adapters: StepAdapters = {
    fetch: guardedFetch,
    documentText: (id) => documents.text(id),
    createDocument: (input) => documents.createGenerated(input),
    draftDocument: (input) => documents.startDraft(input),
    ai,
    anchorDocument: (id, network) => proofs.anchor(id, network),
    verifyDocument: (id, network) => proofs.verify(id, network),
  };
  // devices are offered through the scope below, which alone knows a run's world
  const registry = new StepRegistry(BUILT_IN_STEPS, new Set([...offeredBy(adapters), 'devices' as const]));
  metrics.know({ kinds: registry.names(), providers: ai.describe().map((p) => p.name), networks: chain.networkNames() });
  // every run's steps touch only what its workflow's world (or owner) may
  const scope = new WorkflowScope({
    base: adapters,
    workflows: storage.workflows,
    documentWorld: async (id) => (await storage.store.getDocument(id))?.worldId,
    account: async (userId) => {
      const user = await storage.auth.getUser(userId);
      return user ? { userId: user.id, username: user.username } : null;
    },
    may: (who, worldId, action) => access.require(worldId, who, action).then(() => true, () => false),
    devices: {
      deviceRecord: (id) => iot.deviceRecord(id),
      commandOnce: (device, input, id) => iot.commandOnce(device, input, id),
      awaitCommand: (commandId, waitMs) => iot.commands.waitFor(commandId, waitMs),
    },
  });
  const makeEngine = () =>
    new Engine({
      store: storage.workflows,
      registry,
      adapters: (run) => scope.adaptersFor(run),
      log: log.child({ component: 'workflows' }),
      concurrency: config.workflowConcurrency,
      shareConcurrency: config.workflowLimits.worldConcurrency,
      defaultStepTimeoutMs: config.stepTimeoutMs,
      newId: () => newId(),
      tracing,
    });
  // several processes: one runs the site's runs at a time, the others hand theirs to it (see SiteEngine)
  const engine: RunEngine = cluster.redis
    ? new SiteEngine({ redis: cluster.redis, presence, store: storage.workflows, makeEngine, processId: `${hostname()}:${process.pid}:${randomUUID()}`, log: log.child({ component: 'workflows' }), newId: () => newId(), leaseMs: config.cluster!.engineLeaseMs })
    : makeEngine();
  // what the site does once, not once per process (alert rules, handing a returning device what waited for it), is done by the engine's holder
  const siteDuty = () => !(engine instanceof SiteEngine) || engine.holding;
  analytics.onSample(() => siteDuty() && alerts.evaluateInBackground());
  let workflowService!: WorkflowService;
  let expressApp!: Application;
  // every process keeps every schedule; each fire starts its runs in one process only
  const scheduler = new Scheduler(async (workflowId, schedule, at) => {
    if (!(await cluster.claimOnce(`schedule:${workflowId}:${at.getTime()}`, 3_600_000))) return;
    await workflowService.startRuns(workflowId, { input: schedule.input, priority: schedule.priority });
  }, log.child({ component: 'scheduler' }), config.workflowLimits.minIntervalMs);
  const schedules = await siteSchedules(scheduler, presence, log.child({ component: 'scheduler' }));
  // a workflow's device trigger is re-armed each time its world is told the workflow changed
  const workflowEvents: WorldEventBus = {
    publish(worldId, event) {
      events.publish(worldId, event);
      if (event.type === 'workflowChanged') deviceTriggers.workflowChanged(event.workflowId);
    },
  };
  workflowService = new WorkflowService(storage.workflows, registry, engine, schedules, workflowEvents, config.workflowLimits);
  watchWorkflows(engine, metrics);
  // runs show their progress in their workflow's world, never in one their input names
  engine.onRun((run) => {
    scope
      .worldOf(run.workflowId)
      .then((worldId) => worldId && events.publish(worldId, { type: 'runChanged', run: runSummary(run) }))
      .catch((err: unknown) => log.warn({ err, runId: run.id }, 'could not show a run in its world'));
  });
  // one allowance per person, whether runs are started over REST or in a world
  const quota = workflowQuota(config.workflowLimits, limiters);
  const workflowDeps = { workflows: workflowService, store: storage.workflows, engine, registry, access, quota };
  const guardDocument = async (res: import('express').Response, documentId: string, action: 'read' | 'editDocuments') => {
    const doc = await storage.store.getDocument(String(documentId).slice(0, 64));
    if (doc) await requireWorld(access, res, doc.worldId, action);
    return doc?.worldId;
  };
  const accountOf = async (nameOrId: string) => ((await storage.auth.getUser(nameOrId)) ?? (await storage.auth.findUser(nameOrId.toLowerCase())))?.id ?? null;
  const aiGuards = {
    readDocument: (res: import('express').Response, documentId: string) => guardDocument(res, documentId, 'read'),
    runIn: async (res: import('express').Response, worldId: string) => void (await requireWorld(access, res, worldId, 'editWorkflows')),
    signedIn: (res: import('express').Response) => who(res) !== null,
  };
  const iot = new IotService({
    store: storage.iot,
    blobs: storage.blobs,
    access,
    broker: iotBroker(config, log.child({ component: 'mqtt' }), siteDuty),
    log: log.child({ component: 'iot' }),
    retention: config.iot.retention,
    deviceRate: config.iot.deviceRate,
    events,
    twinHz: config.iot.twinHz,
    coap: config.iot.coapPort === null ? null : { host: config.host, port: config.iot.coapPort },
    observe: (channel, outcome) => metrics.iotMessage(channel, outcome),
    newId: () => newId(),
  });
  metrics.watchDevices(() => iot.connectedCount());
  const triggers = new IotTriggers({ store: storage.workflows, engine, workflows: workflowService, quota, log: log.child({ component: 'iot-triggers' }) });
  // in a site, conditions are evaluated where the engine runs, on every reading whichever process took it
  const deviceTriggers = await siteTriggers({ presence, triggers, holding: siteDuty, log: log.child({ component: 'iot-triggers' }) });
  iot.onReading((device, reading) => deviceTriggers.reading(device, reading));
  const neural = new NeuralService({ store: storage.workflows, accountOf, engine, log: log.child({ component: 'neural' }), observe: (source, outcome) => metrics.neuralCommand(source, outcome) });

  const certificate = config.https
    ? await loadCertificate({ dataDir: config.dataDir, certFile: config.tlsCertFile, keyFile: config.tlsKeyFile, hosts: lanAddresses() })
    : undefined;
  if (certificate) log.info({ certificate: certificate.source }, 'serving HTTPS');
  const transport = new WebSocketTransport({
    maxPayload: 64 * 1024,
    verifyClient: connectionCap(config.maxConnectionsPerAddress, log.child({ component: 'realtime' }), realtimeAddress(config.trustProxy)),
    ...(certificate ? { server: createHttpsServer({ key: certificate.key, cert: certificate.cert }) } : {}),
  });
  const boundPort = () => (transport.server!.address() as AddressInfo).port;
  const probe = config.benchProbe ? new BenchProbe() : undefined;
  const gameServer = new Server({
    transport,
    presence,
    driver: cluster.driver,
    ...(cluster.publicAddress ? { publicAddress: cluster.publicAddress } : {}),
    // a world's room opens in the process its first join came through: the load balancer spreads them
    selectProcessIdToCreateRoom: async () => matchMaker.processId,
    greet: false,
    gracefullyShutdown: false,
    logger: colyseusLogger(log.child({ component: 'colyseus' })),
    express: (app) => {
      expressApp = app;
      // paths match as written, so a guard attached to /api/v3/workflows cannot be walked around as /API/V3/Workflows
      app.set('case sensitive routing', true);
      // the address rate limits, the sign-in throttle and the audit log know a client by (req.ip)
      app.set('trust proxy', config.trustProxy);
      if (probe) {
        app.get('/api/bench/probe', probeRoute(probe));
        // benchmarks only (BENCH_PROBE=1, never on by default): a CPU profile of the measured window
        const profile = profileRoutes(new CpuProfiler());
        app.post('/api/bench/profile/start', profile.start);
        app.post('/api/bench/profile/stop', profile.stop);
      }
      // first, so every answer (a 429 included) carries the request's id and is in its span
      app.use('/api', requestContext(tracing));
      // timed from the first moment, so requests refused by the rate limits are counted too
      if (config.metricsOn) app.use('/api', metrics.httpTimer());
      app.use('/api', auditRequests(audit));
      harden(app, { restRatePerMinute: config.restRatePerMinute, corsOrigins: config.corsOrigins, connectOrigins: config.eegBridgeOrigins, limiters });
      app.get('/api/v3/connect', noScope('the addresses this server is reached at, shown to anyone on the network'), async (_req, res) => {
        const urls = serverUrls({ https: config.https, host: config.host, port: boundPort() });
        const join = urls.lan[0] ?? urls.local;
        res.json({ local: urls.local, lan: urls.lan, secure: config.https, qr: { url: join, svg: await svgQr(join) } });
      });
      app.use('/api/v3', apiRouter({ storage, documents, props, maxUploadBytes: config.maxUploadBytes, workflowDeps, blockchain: blockchainRoutes(chain, proofs, guardDocument), ai: aiRoutes(ai, documents, log.child({ component: 'ai' }), aiGuards), audit: auditRoutes(audit, access), auth: authRoutes(auth, { failures: config.signinFailures, windowMs: config.signinWindowMs }, limiters), keys: keyRoutes(auth), account: accountRoutes(auth), caller: resolveCaller(auth), keyRatePerMinute: config.keyRatePerMinute, limiters, access, neural: neuralRoutes(neural, storage.store, access), events: eventService, metrics, analytics: analyticsRoutes(storage.analytics, access, insightRoutes({ usage, access, store: storage.store, workflows: storage.workflows })), alerts: alertRoutes(alerts, access), iot: iotRoutes(iot, storage.spoolDir), readiness, log, version, startedAt, liveRooms }));
      // controller and hand models for VR, served from here so headsets fetch nothing elsewhere
      app.use(XR_PROFILES_PATH, xrProfilesRouter());
      // the camera source's wasm and models, for the same reason: nothing is fetched from elsewhere
      app.use(NEURAL_ASSETS_PATH, neuralAssetsRouter({ models: config.neuralModels, dataDir: config.dataDir, corsOrigins: config.corsOrigins, log: log.child({ component: 'neural-assets' }) }));
      // the prop catalogue's models, for the same reason
      app.use(KITS_PATH, kitsRouter());
      serveClient(app, config.clientDir, log);
      app.use(finalErrors(log));
      assertRoutesGuarded(app.router, '/api/v3');
    },
  });
  const roomDeps = {
    store: storage.store,
    blobs: storage.blobs,
    log,
    reconnectSeconds: config.reconnectSeconds,
    holdLeaseMs: config.holdLeaseMs,
    intentRate: config.intentRate,
    chat: { store: storage.chat, retention: config.chatRetention },
    iceServers: config.iceServers,
    ...(config.metricsOn ? { metrics } : {}),
    sessions,
    patchIntervalMs: config.patchIntervalMs,
    interest: config.interest,
    probe,
    workflows: workflowService,
    workflowStore: storage.workflows,
    engine,
    audit,
    auth: { guestAccess: config.guestAccess, identify: (token: string) => auth.identify(token), sessionLive: (userId: string, familyId: string) => auth.sessionLive(userId, familyId) },
    access,
    neural,
    quota,
    attendance: eventService,
    tracing,
    twins: (worldId: string) => iot.twinsOf(worldId),
  };
  gameServer.define(WORLD_ROOM, defineWorldRoomClass(roomDeps)).filterBy(['worldId']);

  // the broker first: a port it cannot have stops the start with a message saying what to set
  await iot.start();
  const broker = iot.brokerAddresses();
  if (broker.length) log.info({ broker }, 'MQTT broker listening for devices');
  await gameServer.listen(config.port, config.host);
  await engine.start();
  await neural.start();
  await triggers.start();
  await workflowService.startSchedules();
  const port = (transport.server!.address() as AddressInfo).port;

  let closed = false;
  return {
    port,
    https: config.https,
    http: expressApp,
    async close() {
      if (closed) return;
      closed = true;
      // load balancers first: no new work comes here while what is under way finishes or moves
      readiness.drain();
      scheduler.stopAll();
      await schedules.close();
      neural.stop();
      triggers.stop();
      await deviceTriggers.close();
      await analytics.stop();
      await alerts.stop();
      await engine.stop();
      await gameServer.gracefullyShutdown(false);
      await iot.stop();
      await sessions.flush();
      await chain.close();
      await audit.close();
      await closeStorage(storage);
      await cluster.close();
      // last, so the spans of everything that stopped above are sent
      await tracing.shutdown();
    },
  };
}
