import { describe, expect, it } from 'vitest';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine';
import { Scene } from '@babylonjs/core/scene';
import { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { Constants } from '@babylonjs/core/Engines/constants';
import { markAmbient, RenderDemand, RenderPacing, type FrameFacts } from './renderDemand';

const PACING = { settleMs: 500, heartbeatMs: 1000, ambientMs: 250 };
const still = (now: number, more: Partial<{ presenting: boolean; changed: boolean; ambient: boolean }> = {}): FrameFacts => ({
  now,
  presenting: more.presenting ?? false,
  changed: () => more.changed ?? false,
  ambient: () => more.ambient ?? false,
});

/** Runs frames every `step` ms from `from` to `to`, drawing when told; returns the times drawn. */
function run(p: RenderPacing, from: number, to: number, facts: (now: number) => FrameFacts, step = 16): number[] {
  const drawnAt: number[] = [];
  for (let now = from; now < to; now += step) {
    if (p.shouldDraw(facts(now))) {
      p.drawn(now);
      drawnAt.push(now);
    }
  }
  return drawnAt;
}

describe('drawing only when the picture can have changed', () => {
  it('draws a still scene only at the heartbeat', () => {
    const p = new RenderPacing(PACING);
    p.drawn(0);
    expect(run(p, 16, 3016, (now) => still(now))).toEqual([1008, 2016]);
  });

  it('draws every frame while something changes, and for the settling time after a poke', () => {
    const p = new RenderPacing(PACING);
    p.drawn(0);
    expect(run(p, 16, 400, (now) => still(now, { changed: now < 100 }))).toEqual([16, 32, 48, 64, 80, 96]);
    p.poke(400);
    const settling = run(p, 400, 1200, (now) => still(now));
    // every frame from the poke to the end of the settling time, then nothing
    expect(settling).toEqual(Array.from({ length: 32 }, (_, i) => 400 + i * 16));
    // and then quiet until the heartbeat, a second after the last drawing
    expect(run(p, 1200, 2000, (now) => still(now))).toEqual([1904]);
  });

  it('draws breathing and other ambient motion at its own lower rate', () => {
    const p = new RenderPacing(PACING);
    p.drawn(0);
    expect(run(p, 10, 1010, (now) => still(now, { ambient: true }), 10)).toEqual([250, 500, 750, 1000]);
  });

  it('draws every frame in VR or AR', () => {
    const p = new RenderPacing(PACING);
    p.drawn(0);
    expect(run(p, 10, 110, (now) => still(now, { presenting: true }), 10)).toHaveLength(10);
  });

  it('asks what changed only when the answer matters', () => {
    const p = new RenderPacing(PACING);
    let asked = 0;
    p.poke(0);
    p.shouldDraw({ now: 10, presenting: false, changed: () => (asked++, false), ambient: () => false });
    expect(asked).toBe(0);
    p.shouldDraw({ now: 600, presenting: false, changed: () => (asked++, false), ambient: () => false });
    expect(asked).toBe(1);
  });
});

describe('what counts as a change, in a Babylon scene', () => {
  // the real scene graph and engine entry points, without a GPU
  const setup = () => {
    const engine = new NullEngine();
    const scene = new Scene(engine);
    const camera = new UniversalCamera('eye', new Vector3(0, 1.6, 4), scene);
    const box = CreateBox('box', { size: 1 }, scene);
    const breathing = CreateBox('torso', { size: 1 }, scene);
    markAmbient(breathing);
    const canvas = new EventTarget();
    const page = new EventTarget();
    // no heartbeat within a test: every drawing must come from a change
    const demand = new RenderDemand({ scene, camera, canvas, page, pacing: { ...PACING, heartbeatMs: 3_600_000 }, busy: () => busy });
    let busy = false;
    let now = 0;
    // draws whenever asked; returns whether this frame was drawn
    const frame = (ms = 16) => {
      now += ms;
      if (!demand.shouldDraw(now, false)) return false;
      demand.draw(now, () => scene.render());
      return true;
    };
    const settle = () => {
      for (let i = 0; i < 200 && frame(); i++);
      // past the settling time of whatever happened while building the scene
      for (let i = 0; i < 40; i++) frame();
    };
    return { engine, scene, camera, box, breathing, canvas, page, demand, frame, settle, setBusy: (b: boolean) => (busy = b), dispose: () => (demand.dispose(), scene.dispose(), engine.dispose()) };
  };

  it('leaves a still scene alone, and draws when a mesh moves, hides, or the camera turns', () => {
    const s = setup();
    s.settle();
    expect(s.frame()).toBe(false);
    s.box.position.x += 0.01;
    expect(s.frame()).toBe(true);
    expect(s.frame()).toBe(false);
    s.box.isVisible = false;
    expect(s.frame()).toBe(true);
    expect(s.frame()).toBe(false);
    s.camera.rotation.y += 0.1;
    expect(s.frame()).toBe(true);
    expect(s.frame()).toBe(false);
    s.dispose();
  });

  it('draws for a while after input meant for the view, not for letters typed into a field', () => {
    const s = setup();
    s.settle();
    s.canvas.dispatchEvent(new Event('pointermove'));
    expect(s.frame()).toBe(true);
    s.settle();
    const typed = Object.assign(new Event('keydown'), { code: 'KeyW' });
    Object.defineProperty(typed, 'target', { value: { tagName: 'INPUT', type: 'text' } });
    s.page.dispatchEvent(typed);
    expect(s.frame()).toBe(false);
    // W held on the view walks: drawn for as long as it is down, as the camera moves while drawing
    s.page.dispatchEvent(Object.assign(new Event('keydown'), { code: 'KeyW' }));
    for (let i = 0; i < 60; i++) expect(s.frame()).toBe(true);
    s.page.dispatchEvent(Object.assign(new Event('keyup'), { code: 'KeyW' }));
    s.settle();
    expect(s.frame()).toBe(false);
    s.dispose();
  });

  it('draws after a texture upload or a new mesh, and while a layer has work that drawing does', () => {
    const s = setup();
    s.settle();
    const texture = new RawTexture(new Uint8Array(16), 2, 2, Constants.TEXTUREFORMAT_RGBA, s.scene, false);
    expect(s.frame()).toBe(true);
    s.settle();
    texture.update(new Uint8Array(16).fill(255));
    expect(s.frame()).toBe(true);
    s.settle();
    s.setBusy(true);
    for (let i = 0; i < 60; i++) expect(s.frame()).toBe(true);
    s.setBusy(false);
    expect(s.frame()).toBe(false);
    s.dispose();
  });

  it('draws motion marked ambient at the ambient rate only', () => {
    const s = setup();
    s.settle();
    let drawn = 0;
    for (let i = 0; i < 30; i++) {
      s.breathing.scaling.x = 1 + 0.01 * Math.sin(i);
      if (s.frame(16)) drawn++;
    }
    // 480 ms of breathing at one drawing per 250 ms
    expect(drawn).toBeGreaterThanOrEqual(1);
    expect(drawn).toBeLessThanOrEqual(2);
    s.dispose();
  });

  it('gives the engine back as it found it', () => {
    const s = setup();
    const engine = s.engine as unknown as Record<string, unknown>;
    s.demand.dispose();
    expect(engine['updateDynamicTexture']).toBe(Object.getPrototypeOf(s.engine).updateDynamicTexture);
    s.dispose();
  });
});
