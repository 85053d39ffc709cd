/**
 * How richly a world is drawn. `full`: PBR surfaces lit by the place's own panorama, a soft shadow
 * map and filmic tone mapping. `light`: the same place in plain lit colours, without image-based
 * light, shadows or tone mapping, which a software renderer or a weak GPU can draw several times
 * faster. The person chooses, or leaves it to `auto`, which picks `light` where the browser draws
 * WebGL on the CPU (SwiftShader, llvmpipe and friends: a machine without GPU acceleration).
 */

export type GraphicsSetting = 'auto' | 'full' | 'light';
export type GraphicsTier = 'full' | 'light';

export const GRAPHICS_SETTINGS: readonly GraphicsSetting[] = ['auto', 'full', 'light'];
const STORAGE_KEY = 'dwc.graphics';

/** Renderer names of WebGL drawn on the CPU. */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render driver|lavapipe/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

export function chooseTier(setting: GraphicsSetting, renderer: string): GraphicsTier {
  if (setting !== 'auto') return setting;
  return isSoftwareRenderer(renderer) ? 'light' : 'full';
}

/** This browser's choice; anything unreadable or unknown is `auto`. */
export function graphicsSetting(): GraphicsSetting {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return GRAPHICS_SETTINGS.includes(value as GraphicsSetting) ? (value as GraphicsSetting) : 'auto';
  } catch {
    return 'auto';
  }
}

export function saveGraphicsSetting(setting: GraphicsSetting): void {
  try {
    if (setting === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, setting);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
}

/**
 * The name of the WebGL renderer this browser would draw with (unmasked where the browser allows),
 * asked of a throwaway context; '' when there is no WebGL.
 */
export function detectRenderer(): string {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return '';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return '';
  }
}
