/**
 * Two races in Babylon's lazy shader loading, closed for the world's engine:
 * - An effect whose shader source was still being fetched when the view was torn down (a person
 *   leaving just after entering) finishes compiling after the engine has gone, and Babylon then binds
 *   the samplers of an effect with no pipeline left ("reading 'program'" of null). Binding nothing
 *   for an effect that has no pipeline is all that can be done then.
 * - Babylon fetches some shader sources only when first needed; if that moment falls while the
 *   server restarts, the fetch fails. The few it needs later on are fetched once up front instead.
 */
import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine';
import type { Effect } from '@babylonjs/core/Materials/effect';

export function guardEngine(engine: AbstractEngine): void {
  const bind = engine.bindSamplers.bind(engine);
  engine.bindSamplers = (effect: Effect) => {
    if (effect.getPipelineContext()) bind(effect);
  };
}

let warmed = false;
/** Loads ahead the shader sources Babylon would otherwise fetch mid-session (once a page). */
export function warmShaders(): void {
  if (warmed) return;
  warmed = true;
  // the same modules Babylon imports itself, so its later imports find them loaded
  for (const load of [() => import('@babylonjs/core/Shaders/postprocess.vertex'), () => import('@babylonjs/core/Shaders/pass.fragment')]) load().catch(() => undefined);
}
