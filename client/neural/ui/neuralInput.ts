/**
 * The "Neural input" control of a world: one button (with an indicator while any source is on)
 * opening a panel of opt-in sources — XR hand gestures, EEG (a headband bridge or the built-in
 * simulator, with a live band-power chart) and any source another module registers (the camera)
 * — and the HUDs that show what the channel recognised and whether it was sent.
 */
import './neural.css';
import { ErrorCode, ServerEvent, type IntentError, type NeuralAccepted } from '../../../shared/protocol';
import type { WorldSession } from '../../net/session';
import { h } from '../../ui/kit/dom';
import type { XrExperience } from '../../xr/XrExperience';
import { DEFAULT_EEG_RULES } from '../eeg/EegProcessor';
import { EegSource } from '../eeg/EegSource';
import type { SimulatedState } from '../eeg/EegSimulator';
import { NeuralChannel } from '../NeuralChannel';
import type { NeuralSource } from '../types';
import { XrHandSource } from '../xr/XrHandSource';
import { addCameraInput } from '../camera/cameraInput';
import { BandChart } from './BandChart';
import { eegReadout } from './eegReadout';
import { NeuralHud } from './NeuralHud';
import type { NeuralXrHud } from './NeuralXrHud';
import { inBackground } from '../../ui/kit/background';

export interface NeuralInputHost {
  session: WorldSession;
  xr: XrExperience;
  notify(message: string): void;
}

export interface NeuralInput {
  /** The button, the panel and the HUD, for the world's overlay. */
  readonly element: HTMLElement;
  readonly channel: NeuralChannel;
  /**
   * Adds an on/off switch for a source to the panel; the source is made on first use and its
   * readings go through the channel's policy.
   */
  registerSourceToggle(label: string, factory: () => NeuralSource, options?: { testId?: string; hint?: string }): void;
  /** Adds a control that manages its own source (call `channel.addSource` and `channel.setRunning`). */
  addControl(element: HTMLElement): void;
  /** The XR hand gestures switch, for the headset's menu (same as ticking it in the panel). */
  readonly handGestures: { on(): boolean; set(on: boolean): void };
  dispose(): void;
}

export const DEFAULT_BRIDGE_URL = 'ws://localhost:8765';

export function mountNeuralInput(host: NeuralInputHost): NeuralInput {
  const { session, xr } = host;
  const channel = new NeuralChannel({
    sendCommand: (c) => session.sendNeuralCommand(c),
    reportSources: (s) => session.reportNeuralSources(s),
  });
  const hud = new NeuralHud();
  const cleanups: Array<() => void> = [];

  const indicator = h('span', { class: 'neural-indicator', 'data-testid': 'neural-indicator', role: 'status', hidden: true });
  const toggle = h('button', { type: 'button', class: 'neural-toggle', 'data-testid': 'neural-toggle', 'aria-expanded': 'false' }, 'Neural input', indicator);
  const sources = h('div', { class: 'neural-sources' });
  const close = h('button', { type: 'button', class: 'secondary', 'aria-label': 'Close neural input' }, '×');
  const panel = h(
    'aside',
    { class: 'neural-panel', 'data-testid': 'neural-panel', 'aria-label': 'Neural input', hidden: true },
    h('header', { class: 'row' }, h('h2', {}, 'Neural input'), close),
    h('p', { class: 'muted' }, 'Opt in to the inputs you want. Only recognised commands leave this device.'),
    sources,
  );
  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(panel.hidden));
  close.addEventListener('click', () => setOpen(false));
  const element = h('div', { class: 'neural-input' }, toggle, panel, hud.element);

  const switchRow = (label: string, testId: string, hint: string | undefined, onChange: (on: boolean, box: HTMLInputElement) => void) => {
    const box = h('input', { type: 'checkbox', 'data-testid': testId });
    box.addEventListener('change', () => onChange(box.checked, box));
    const row = h('div', { class: 'neural-source' }, h('label', {}, box, label), hint ? h('p', { class: 'muted' }, hint) : null);
    sources.append(row);
    return { row, box };
  };

  const registerSourceToggle: NeuralInput['registerSourceToggle'] = (label, factory, options = {}) => {
    let source: NeuralSource | null = null;
    switchRow(label, options.testId ?? `neural-source-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, options.hint, (on, box) => {
      if (!on) return void (source && channel.stop(source));
      if (!source) {
        const made = factory();
        source = made;
        cleanups.push(channel.addSource(made), () => made.dispose());
      }
      channel.start(source).catch((err: unknown) => {
        box.checked = false;
        host.notify(err instanceof Error ? err.message : String(err));
      });
    });
  };

  // XR hands: read every frame while hands are tracked in VR or AR
  registerSourceToggle(
    'XR hand gestures',
    () =>
      new XrHandSource({
        handJoints: (side) => xr.handJoints(side),
        onFrame: (frame) => {
          const observer = xr.scene.onBeforeRenderObservable.add(frame);
          return () => xr.scene.onBeforeRenderObservable.remove(observer);
        },
      }),
    { testId: 'neural-source-xr-hands', hint: 'Pinch, thumbs-up, open palm or fist, in VR with tracked hands.' },
  );

  mountEeg();
  // the camera brings its own switch, indicator and preview
  cleanups.push(addCameraInput({ channel, addControl: (c) => sources.append(c), notify: host.notify }));

  // the indicator, the server's list and the HUDs follow the sources that are on
  let xrHud: NeuralXrHud | null = null;
  let xrHudLoading = false;
  const syncXrHud = () => {
    const want = channel.active().length > 0 && xr.mode !== null;
    if (want && !xrHud && !xrHudLoading) {
      xrHudLoading = true;
      inBackground(import('./NeuralXrHud').then(({ NeuralXrHud }) => {
        xrHudLoading = false;
        if (disposed) return;
        xrHud = new NeuralXrHud(xr.scene);
        xrHud.draw(hud.lines());
        syncXrHud();
      }), 'Loading the neural headset display');
    }
    xrHud?.setVisible(want);
  };
  cleanups.push(
    channel.onActiveChange((active) => {
      indicator.hidden = active.length === 0;
      indicator.textContent = active.length ? `● ${active.join(', ')}` : '';
      toggle.classList.toggle('on', active.length > 0);
      hud.setVisible(active.length > 0);
      syncXrHud();
    }),
    channel.onEvent((e) => hud.show(e)),
    hud.onChange((lines) => xrHud?.draw(lines)),
    xr.onModeChange(syncXrHud),
    session.room.onMessage(ServerEvent.NEURAL_ACCEPTED, (m: NeuralAccepted) => hud.answer(true, `accepted by ${m.runIds.length === 1 ? 'the waiting run' : `${m.runIds.length} runs`}`)),
    session.onIntentError((e: IntentError) => {
      // no run waiting is the usual state of a world, not a failure of the person's command
      if (e.intent === 'neuralCommand') hud.answer(false, e.message, e.code === ErrorCode.RUN_NOT_WAITING);
    }),
  );

  function mountEeg(): void {
    const eeg = new EegSource();
    const chart = new BandChart();
    const input = h('select', { 'data-testid': 'eeg-input', 'aria-label': 'EEG input' }, h('option', { value: 'simulator' }, 'Simulator'), h('option', { value: 'websocket' }, 'Headband bridge'));
    const url = h('input', { type: 'url', 'data-testid': 'eeg-url', 'aria-label': 'EEG bridge address', value: DEFAULT_BRIDGE_URL, hidden: true });
    const state = h(
      'select',
      { 'data-testid': 'eeg-sim-state', 'aria-label': 'What the simulator imitates' },
      ...(['neutral', 'focus', 'relax'] as const).map((s) => h('option', { value: s }, s === 'neutral' ? 'Neutral' : s === 'focus' ? 'Focused → confirm' : 'Relaxed → relax')),
    );
    const stateLabel = h('label', {}, 'Imitates', state);
    const readout = h('div', { class: 'eeg-readout', 'data-testid': 'eeg-readout' });
    const error = h('p', { class: 'error', 'data-testid': 'eeg-error', role: 'alert', hidden: true });
    // the input is chosen before turning EEG on; the chart and readout show while it is on
    const settings = h('div', { class: 'neural-eeg' }, h('div', { class: 'row' }, h('label', {}, 'Input', input), stateLabel, url));
    const details = h('div', { class: 'neural-eeg', hidden: true }, chart.element, readout, error);
    const { row, box } = switchRow('EEG', 'neural-source-eeg', 'Focus held for 3 s gives confirm; relaxation gives relax.', (on) => {
      details.hidden = !on;
      error.hidden = true;
      if (!on) return channel.stop(eeg);
      eeg.input = input.value === 'websocket' ? { type: 'websocket', url: url.value.trim() } : { type: 'simulator' };
      channel.start(eeg).catch((err: unknown) => {
        box.checked = false;
        details.hidden = true;
        host.notify(err instanceof Error ? err.message : String(err));
      });
    });
    row.append(settings, details);
    input.addEventListener('change', () => {
      url.hidden = input.value !== 'websocket';
      stateLabel.hidden = input.value === 'websocket';
      if (channel.isOn(eeg)) box.dispatchEvent(new Event('change'));
    });
    state.addEventListener('change', () => eeg.setSimulatedState(state.value as SimulatedState));
    cleanups.push(
      channel.addSource(eeg),
      eeg.onUpdate((u) => {
        chart.push(u.bands);
        readout.replaceChildren(
          ...eegReadout(u.indices, DEFAULT_EEG_RULES).map((r) =>
            h('label', { 'data-index': r.index }, r.text, h('meter', { min: '0', max: '100', low: '50', optimum: '100', value: String(r.percent), 'aria-label': r.label })),
          ),
        );
      }),
      eeg.onError((message) => {
        error.textContent = message;
        error.hidden = false;
      }),
      () => chart.dispose(),
      () => eeg.dispose(),
    );
  }

  let disposed = false;
  const handsBox = () => sources.querySelector<HTMLInputElement>('[data-testid="neural-source-xr-hands"]');
  return {
    element,
    channel,
    registerSourceToggle,
    addControl: (control) => sources.append(control),
    handGestures: {
      on: () => handsBox()?.checked ?? false,
      set: (on) => {
        const box = handsBox();
        if (!box || box.checked === on) return;
        box.checked = on;
        box.dispatchEvent(new Event('change'));
      },
    },
    dispose() {
      disposed = true;
      for (const c of cleanups.splice(0)) c();
      channel.dispose();
      hud.dispose();
      xrHud?.dispose();
      element.remove();
    },
  };
}
