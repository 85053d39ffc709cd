import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startTracing } from './Tracing';
import { createLogger } from '../log';

describe('Tracing off', () => {
  it('TRACE-2: without an endpoint starts no SDK: spans record nothing and work runs as it would', async () => {
    const tracing = await startTracing(null, { version: '0', log: createLogger('silent') });
    expect(tracing.on).toBe(false);
    const span = tracing.start('intent grab', { a: 1 });
    expect(span.isRecording()).toBe(false);
    expect(await tracing.inSpan('step x', {}, async (s) => (s.isRecording() ? 'recorded' : 'ran'))).toBe('ran');
    await expect(tracing.inSpan('step x', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    // nothing was registered with the API either
    expect(trace.getTracerProvider().getTracer('x').startSpan('y').isRecording()).toBe(false);
    await tracing.shutdown();
  });
});
