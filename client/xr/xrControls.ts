/**
 * The buttons for VR and AR in the world's overlay: "Enter VR" / "Enter AR" where this browser
 * offers them, comfort settings for moving in VR, and in AR (as a DOM overlay over the camera
 * view) exit, place again, life size or miniature, and a hint that says what to do next.
 */
import './xr.css';
import { h, replaceChildren } from '../ui/kit/dom';
import type { XrExperience, XrMode } from './XrExperience';
import { detectXrModes } from './xrModes';
import { SNAP_CHOICES, loadXrSettings, saveXrSettings } from './xrSettings';
import { inBackground } from '../ui/kit/background';

export function mountXrControls(xr: XrExperience, notify: (message: string) => void): HTMLElement {
  const enterVr = h('button', { type: 'button', 'data-testid': 'enter-vr', hidden: true }, 'Enter VR');
  const enterAr = h('button', { type: 'button', 'data-testid': 'enter-ar', hidden: true }, 'Enter AR');
  const settings = loadXrSettings();
  const locomotion = h(
    'select',
    { 'data-testid': 'xr-locomotion', title: 'How the thumbstick moves you in VR' },
    h('option', { value: 'teleport' }, 'Teleport'),
    h('option', { value: 'smooth' }, 'Smooth walking'),
  );
  locomotion.value = settings.locomotion;
  const turn = h('select', { 'data-testid': 'xr-snap', title: 'How the right thumbstick turns you in VR' }, ...SNAP_CHOICES.map((d) => h('option', { value: String(d) }, d === 0 ? 'Smooth turning' : `Snap turn ${d}°`)));
  turn.value = String(settings.snapDegrees);
  const vignette = h('input', { type: 'checkbox', 'data-testid': 'xr-vignette' });
  vignette.checked = settings.vignette;
  const vignetteLabel = h('label', { title: 'Darken the edge of the view while the thumbstick moves or turns you in VR' }, vignette, 'Comfort ring');
  const comfort = h('span', { class: 'xr-comfort', hidden: true }, locomotion, turn, vignetteLabel);
  const save = () => {
    const next = { locomotion: locomotion.value === 'smooth' ? ('smooth' as const) : ('teleport' as const), snapDegrees: Number(turn.value), vignette: vignette.checked };
    saveXrSettings(next);
    xr.setSettings(next);
  };
  locomotion.addEventListener('change', save);
  turn.addEventListener('change', save);
  vignette.addEventListener('change', save);

  const enter = (mode: XrMode) => {
    enterVr.disabled = enterAr.disabled = true;
    xr.enter(mode)
      .catch((err: unknown) => notify(err instanceof Error ? err.message : String(err)))
      .finally(() => (enterVr.disabled = enterAr.disabled = false));
  };
  enterVr.addEventListener('click', () => enter('vr'));
  enterAr.addEventListener('click', () => enter('ar'));
  inBackground(detectXrModes().then((modes) => {
    enterVr.hidden = !modes.vr;
    enterAr.hidden = !modes.ar;
    comfort.hidden = !modes.vr;
  }), 'Checking for VR and AR');

  const exit = h('button', { type: 'button', 'data-testid': 'exit-xr' }, 'Exit AR');
  exit.addEventListener('click', () => inBackground(xr.exit(), 'Leaving AR'));
  const recentre = h('button', { type: 'button', class: 'secondary', 'data-testid': 'recentre' }, 'Place again');
  recentre.addEventListener('click', () => xr.recentre());
  let lifeSize = false;
  const size = h('button', { type: 'button', class: 'secondary', 'data-testid': 'ar-life-size' }, 'Life size');
  size.addEventListener('click', () => xr.setLifeSize(!lifeSize));
  const hint = h('p', { class: 'xr-hint', 'data-testid': 'ar-hint' }, 'Point at a table and tap to place the workspace there.');
  xr.onArChange((state) => {
    lifeSize = state.lifeSize;
    size.textContent = lifeSize ? 'Miniature' : 'Life size';
    hint.textContent = state.hint;
  });
  replaceChildren(xr.overlay, hint, h('div', { class: 'xr-actions' }, recentre, size, exit));

  return h('div', { class: 'xr-controls' }, enterVr, enterAr, comfort);
}
