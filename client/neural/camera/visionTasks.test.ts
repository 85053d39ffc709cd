import { describe, expect, it } from 'vitest';
import { onBestDelegate, type Delegate } from './visionTasks';

describe('choosing where a model runs', () => {
  it('runs on the GPU when it can', async () => {
    const tried: Delegate[] = [];
    const result = await onBestDelegate(async (d) => (tried.push(d), `task on ${d}`), 'GPU');
    expect(result).toEqual({ task: 'task on GPU', delegate: 'GPU' });
    expect(tried).toEqual(['GPU']);
  });

  it('falls back to the CPU when the GPU fails', async () => {
    const tried: Delegate[] = [];
    const result = await onBestDelegate(async (d) => {
      tried.push(d);
      if (d === 'GPU') throw new Error('no WebGL2');
      return 'task on CPU';
    }, 'GPU');
    expect(result).toEqual({ task: 'task on CPU', delegate: 'CPU' });
    expect(tried).toEqual(['GPU', 'CPU']);
  });

  it('goes straight to the CPU when asked, and passes on the CPU’s own failure', async () => {
    const tried: Delegate[] = [];
    await expect(onBestDelegate(async (d) => (tried.push(d), Promise.reject(new Error(`model broken on ${d}`))), 'CPU')).rejects.toThrow('model broken on CPU');
    expect(tried).toEqual(['CPU']);
  });
});
