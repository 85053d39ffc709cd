/**
 * A WebXR headset for the e2e browser: the `iwer` runtime (Meta's emulator, the same API a Quest's
 * browser offers) installed into the page before the app asks for XR. Only tests load it; it comes
 * from the npm package on disk, never over the network. The device is left on `window.__iwer` so
 * a test can move the headset, controllers and hands, and press their buttons.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const IWER_BUNDLE = createRequire(import.meta.url).resolve('iwer/build/iwer.min.js');

export interface EmulatorOptions {
  /**
   * A flat, endless surface at this height for AR hit tests. iwer answers hit tests only through a
   * "synthetic environment" plug-in (its SEM interface); this is the smallest such plug-in: one
   * horizontal plane, hit where a ray crosses it.
   */
  surfaceHeight?: number;
}

/** Installs the emulated Meta Quest 3 in `page` on every load. */
export async function installXrEmulator(page: Page, opts: EmulatorOptions = {}): Promise<void> {
  await page.addInitScript({ path: IWER_BUNDLE });
  await page.addInitScript((surfaceHeight: number | null) => {
    const IWER = (window as unknown as { IWER: any }).IWER;
    const device = new IWER.XRDevice(IWER.metaQuest3);
    device.installRuntime({ forceInstall: true });
    // iwer 2.5 hands the XRRigidTransform itself, not its matrix, to the new space, so every offset
    // reference space poses exactly like its parent. Apps (Babylon's camera among them) move and
    // turn the viewer with offset spaces, as a real headset allows: pass the matrix, per the spec.
    const spaceProto = (window as unknown as { XRReferenceSpace: { prototype: any } }).XRReferenceSpace.prototype;
    const makeOffset = spaceProto.getOffsetReferenceSpace;
    spaceProto.getOffsetReferenceSpace = function (this: unknown, offset: { matrix: Float32Array }) {
      return makeOffset.call(this, offset.matrix);
    };
    if (surfaceHeight !== null) {
      class FlatSurface {
        version = 'test';
        planesVisible = false;
        boundingBoxesVisible = false;
        meshesVisible = false;
        trackedPlanes = new Set();
        trackedMeshes = new Set();
        environmentCanvas = document.createElement('canvas');
        render() {}
        loadEnvironment() {}
        loadDefaultEnvironment() {}
        deleteAll() {}
        computeDepthBuffer() {
          return null;
        }
        /** rayMatrix: column-major 4x4 of the ray's pose; the ray runs along its -Z axis. */
        computeHitTestResults(m: Float32Array | number[]) {
          const origin = [m[12]!, m[13]!, m[14]!];
          const dir = [-m[8]!, -m[9]!, -m[10]!];
          if (Math.abs(dir[1]!) < 1e-6) return [];
          const t = (surfaceHeight! - origin[1]!) / dir[1]!;
          if (t <= 0) return [];
          // a pose on the surface, facing up: the identity rotation with the hit point as translation
          const hit = new Float32Array(16);
          hit[0] = hit[5] = hit[10] = hit[15] = 1;
          hit[12] = origin[0]! + dir[0]! * t;
          hit[13] = surfaceHeight!;
          hit[14] = origin[2]! + dir[2]! * t;
          return [hit];
        }
      }
      device.installSEM(FlatSurface);
    }
    (window as unknown as { __iwer: unknown }).__iwer = device;
  }, opts.surfaceHeight ?? null);
}
