import { describe, expect, it } from 'vitest';
import { chooseTier, isSoftwareRenderer } from './graphics';

describe('graphics tier', () => {
  it('takes a software renderer for what it is, and a GPU for a GPU', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Adreno (TM) 740')).toBe(false);
    expect(isSoftwareRenderer('Apple GPU')).toBe(false);
  });

  it('draws light on the CPU only when left to choose; a choice of its own always wins', () => {
    expect(chooseTier('auto', 'SwiftShader Device')).toBe('light');
    expect(chooseTier('auto', 'Adreno (TM) 740')).toBe('full');
    expect(chooseTier('full', 'SwiftShader Device')).toBe('full');
    expect(chooseTier('light', 'Apple GPU')).toBe('light');
  });
});
