/**
 * Devices over REST, under /api/v3/iot: register, list, change, re-key, revoke and remove a world's
 * devices; their telemetry by range; commands with their answers; where the broker listens. Devices
 * themselves post telemetry here with their own key (X-Device-Key), for those that speak no MQTT.
 */
import express, { type Request, type Response, type Router } from 'express';
import { ErrorCode } from '../../shared/protocol';
import { MAX_TELEMETRY_BYTES } from '../../shared/model/iot';
import type { IotService } from '../iot/IotService';
import { AppError } from '../errors';
import { noScope, who } from './access';
import { readUpload } from './upload';
import { rm } from 'node:fs/promises';

/** The longest a request may wait for a command's answer. */
const MAX_WAIT_MS = 30_000;

function waitOf(req: Request): number {
  const raw = req.query.wait;
  if (raw === undefined) return 0;
  const ms = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(ms) || ms < 0 || ms > MAX_WAIT_MS) throw new AppError(ErrorCode.BAD_REQUEST, `?wait= is how many milliseconds to wait for the device's answer, 0 to ${MAX_WAIT_MS}.`);
  return ms;
}

/** The largest firmware image taken. */
export const FIRMWARE_MAX_BYTES = 64 * 1024 * 1024;

export function iotRoutes(iot: IotService, spoolDir: string): Router {
  const r = express.Router({ caseSensitive: true });
  const id = (req: Request) => String(req.params.id ?? '').slice(0, 80);
  // once a call about a device passed its world's check, the request's audit entry is filed under that world
  const filed = <T extends { worldId: string }>(res: Response, thing: T): T => {
    res.locals.auditWorld = thing.worldId;
    return thing;
  };

  r.get('/broker', async (req, res) => {
    const device = req.query.device;
    if (device !== undefined && typeof device !== 'string') throw new AppError(ErrorCode.BAD_REQUEST, 'Give one device id as ?device=, or none for the addresses alone.');
    res.json(await iot.broker(who(res), device));
  });

  r.get('/devices', async (req, res) => {
    const world = req.query.world;
    if (typeof world !== 'string') throw new AppError(ErrorCode.BAD_REQUEST, "Say whose devices to list: ?world=<the world's id>.");
    res.json({ devices: await iot.list(who(res), world.slice(0, 64)) });
  });
  r.post('/devices', async (req, res) => {
    const { device, key } = await iot.register(who(res), req.body);
    res.status(201).json({ device: filed(res, device), key, keyNote: 'Give this key to the device now: it is not shown again.' });
  });
  r.get('/devices/:id', async (req, res) => {
    res.json(await iot.get(who(res), id(req)));
  });
  r.patch('/devices/:id', async (req, res) => {
    res.json({ device: filed(res, await iot.change(who(res), id(req), req.body)) });
  });
  r.delete('/devices/:id', async (req, res) => {
    filed(res, await iot.remove(who(res), id(req)));
    res.status(204).end();
  });
  r.post('/devices/:id/key', async (req, res) => {
    const { device, key } = await iot.newKey(who(res), id(req));
    res.json({ device: filed(res, device), key, keyNote: 'The old key no longer works. Give this one to the device now: it is not shown again.' });
  });
  r.post('/devices/:id/revoke', async (req, res) => {
    res.json({ device: filed(res, await iot.revoke(who(res), id(req))) });
  });

  r.put('/devices/:id/twin', async (req, res) => {
    res.json({ device: filed(res, await iot.setTwin(who(res), id(req), req.body ?? {})) });
  });
  r.delete('/devices/:id/twin', async (req, res) => {
    res.json({ device: filed(res, await iot.setTwin(who(res), id(req), null)) });
  });

  r.get('/devices/:id/telemetry', async (req, res) => {
    res.json(await iot.query(who(res), id(req), req.query));
  });
  // a device posts with its own key: neither a person's token nor an API key, so no scope applies
  r.post(
    '/devices/:id/telemetry',
    noScope("a device sends its readings with its own key (X-Device-Key); people's tokens and API keys are not used"),
    express.raw({ type: 'application/octet-stream', limit: MAX_TELEMETRY_BYTES }),
    async (req, res) => {
      const binary = Buffer.isBuffer(req.body);
      const body = binary ? (req.body as Buffer) : Buffer.from(JSON.stringify(req.body ?? null));
      if (!binary && !req.is('application/json')) throw new AppError(ErrorCode.UNSUPPORTED_TYPE, 'Send telemetry as application/json, or the binary form as application/octet-stream.', 415);
      res.status(201).json(await iot.inbox.ingest(id(req), req.get('x-device-key'), body, binary));
    },
  );

  // ---- firmware ----
  r.get('/firmware', async (req, res) => {
    const world = req.query.world;
    if (typeof world !== 'string') throw new AppError(ErrorCode.BAD_REQUEST, "Say whose firmware to list: ?world=<the world's id>.");
    res.json({ firmware: await iot.listFirmware(who(res), world.slice(0, 64)) });
  });
  r.post('/firmware', async (req, res) => {
    let input: Awaited<ReturnType<IotService['firmwareUpload']>> | undefined;
    // the caller's role and the fields are checked before a byte of the image is spooled
    const upload = await readUpload(req, { spoolDir, maxBytes: FIRMWARE_MAX_BYTES, what: 'the firmware image (the fields world, type, version and sha256 first)', beforeFile: async (fields) => void (input = await iot.firmwareUpload(who(res), fields)) });
    try {
      input ??= await iot.firmwareUpload(who(res), upload.fields);
      res.status(201).json({ firmware: filed(res, await iot.addFirmware(who(res), input, upload.file)) });
    } finally {
      await rm(upload.file.path, { force: true });
    }
  });
  r.post('/firmware/:id/rollout', async (req, res) => {
    const updates = await iot.rollOut(who(res), id(req), req.body);
    if (updates[0]) res.locals.auditWorld = updates[0].worldId;
    res.status(201).json({ updates });
  });
  // a device fetches its image with its own key (?device=<its id>); people with their token or API key
  r.get('/firmware/:id/content', async (req, res) => {
    const key = req.get('x-device-key');
    const device = typeof req.query.device === 'string' && key ? { id: req.query.device.slice(0, 80), key } : undefined;
    const { firmware, size, stream } = await iot.firmwareContent(who(res), id(req), device);
    res.set({
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${firmware.type}-${firmware.version}.bin"`,
      'X-Content-SHA256': firmware.sha256,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  });
  r.get('/devices/:id/firmware', async (req, res) => {
    res.json({ updates: await iot.deviceUpdates(who(res), id(req)) });
  });
  r.post('/devices/:id/firmware/rollback', async (req, res) => {
    res.status(201).json({ update: filed(res, await iot.rollback(who(res), id(req))) });
  });

  r.post('/devices/:id/commands', async (req, res) => {
    const wait = waitOf(req);
    const command = filed(res, await iot.sendCommand(who(res), id(req), req.body));
    const answered = wait > 0 ? await iot.command(who(res), id(req), command.id, wait) : command;
    res.status(201).json({ command: answered });
  });
  r.get('/devices/:id/commands', async (req, res) => {
    res.json({ commands: await iot.recentCommands(who(res), id(req)) });
  });
  r.get('/devices/:id/commands/:commandId', async (req, res) => {
    res.json({ command: await iot.command(who(res), id(req), String(req.params.commandId).slice(0, 80), waitOf(req)) });
  });
  return r;
}
