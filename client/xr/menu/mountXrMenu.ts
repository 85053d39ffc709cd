/**
 * Puts the in-world menu and toasts into a world's VR and AR sessions. Cheap until someone enters:
 * the 3D parts load on the first session and are kept for the next.
 */
import type { WorldSession } from '../../net/session';
import { inBackground } from '../../ui/kit/background';
import { TOAST_MS, onToast } from '../../ui/kit/toast';
import type { XrExperience } from '../XrExperience';
import type { XrMenu, XrMenuHost } from './XrMenu';

export interface XrMenuOptions {
  xr: XrExperience;
  session: WorldSession;
  neural: XrMenuHost['neural'];
  /** The world's chains (see workflows/Workflows.ts). */
  chains: XrMenuHost['chains'];
  /** Leaves the world (the page goes back to the lobby). */
  leave(): void;
  /** Places props and undoes layout changes (the Room tab). */
  room: XrMenuHost['room'];
  voice: XrMenuHost['voice'];
  goTo: XrMenuHost['goTo'];
  stats: XrMenuHost['stats'];
}

export function mountXrMenu(opts: XrMenuOptions): () => void {
  const { xr } = opts;
  let menu: XrMenu | null = null;
  let loading = false;
  let disposed = false;
  const host: XrMenuHost = {
    scene: xr.scene,
    session: opts.session,
    controllers: () => xr.inputSources(),
    head: () => xr.loadedRig?.head ?? null,
    unit: () => xr.loadedRig?.worldUnit ?? 1,
    settings: () => xr.getSettings(),
    setSettings: (s) => xr.setSettings(s),
    neural: opts.neural,
    chains: opts.chains,
    room: opts.room,
    voice: opts.voice,
    goTo: opts.goTo,
    stats: opts.stats,
    leave: () => inBackground(xr.exit().finally(() => opts.leave()), 'Leaving the world'),
    // reading in a headset takes a moment longer than on a screen
    toastLifeMs: TOAST_MS + 1500,
  };
  const sync = () => {
    const on = xr.mode !== null;
    if (on && !menu && !loading) {
      loading = true;
      inBackground(
        import('./XrMenu').then(({ XrMenu }) => {
          loading = false;
          if (disposed) return;
          menu = new XrMenu(host);
          xr.attachMenu(menu);
          sync();
        }),
        'Loading the headset menu',
      );
    }
    menu?.setActive(on);
  };
  const stopMode = xr.onModeChange(sync);
  const stopToasts = onToast((message, kind, key) => menu?.toast(message, kind, key));
  return () => {
    disposed = true;
    stopMode();
    stopToasts();
    xr.attachMenu(null);
    menu?.dispose();
    menu = null;
  };
}
