import { describe, expect, it } from 'vitest';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine';
import { Scene } from '@babylonjs/core/scene';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { controlOf, isControlMesh, pressableControls, registerControl, unregisterControl } from './controls';

describe('controls', () => {
  const scene = new Scene(new NullEngine());

  it('finds a control from a child mesh, and not once it is unregistered', () => {
    const parent = new Mesh('button', scene);
    const child = new Mesh('label', scene);
    child.parent = parent;
    const presses: string[] = [];
    registerControl(parent, { label: 'Add step', press: (s) => presses.push(s) });
    controlOf(child)?.press('ray');
    expect(presses).toEqual(['ray']);
    expect(isControlMesh(child)).toBe(true);
    unregisterControl(parent);
    expect(controlOf(child)).toBeNull();
  });

  it('a disabled control is not found', () => {
    const mesh = new Mesh('off', scene);
    let on = false;
    registerControl(mesh, { label: 'Approve', press: () => undefined, enabled: () => on });
    expect(controlOf(mesh)).toBeNull();
    on = true;
    expect(controlOf(mesh)?.label).toBe('Approve');
  });

  it('lists the pressable controls: shown, enabled, and no longer once disposed', () => {
    const shown = new Mesh('shown', scene);
    const hidden = new Mesh('hidden', scene);
    hidden.isVisible = false;
    const gone = new Mesh('gone', scene);
    for (const m of [shown, hidden, gone]) registerControl(m, { label: m.name, press: () => undefined });
    gone.dispose();
    const names = pressableControls().map((m) => m.name);
    expect(names).toContain('shown');
    expect(names).not.toContain('hidden');
    expect(names).not.toContain('gone');
  });
});
