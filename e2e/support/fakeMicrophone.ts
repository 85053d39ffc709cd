/**
 * A microphone for tests: Chromium plays a WAV file, looped, as its fake capture device
 * (`--use-file-for-fake-audio-capture`). This writes a steady sine tone as 16-bit mono PCM.
 */
import { writeFileSync } from 'node:fs';

export interface ToneOptions {
  hz?: number;
  seconds?: number;
  /** Peak, 0..1 of full scale. */
  amplitude?: number;
  sampleRate?: number;
}

/** A sine tone as a WAV file's bytes; whole cycles, so the loop joins without a click. */
export function toneWav(opts: ToneOptions = {}): Buffer {
  const hz = opts.hz ?? 440;
  const rate = opts.sampleRate ?? 48_000;
  const amplitude = Math.max(0, Math.min(1, opts.amplitude ?? 0.5));
  const cycles = Math.max(1, Math.round((opts.seconds ?? 2) * hz));
  const samples = Math.round((cycles * rate) / hz);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * amplitude * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export function writeToneWav(path: string, opts: ToneOptions = {}): void {
  writeFileSync(path, toneWav(opts));
}

/** Chromium flags: a fake microphone playing `wav`, and the permission prompt answered yes. */
export function fakeMicrophoneArgs(wav: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`];
}
