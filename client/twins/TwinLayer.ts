/**
 * The devices' twins of a world (`state.twins`), kept in step with the synchronised state: a twin
 * of its own stands as a gauge at its place; a twin that is a prop tints that prop by the colour
 * scale and floats its readout above it (a gauge again while the prop is missing). Pressing a
 * readout opens the twin's panel (TwinPanel). WorldView makes one and calls update() each frame.
 *
 * State patches only mark a twin changed; the frame after shows it once, however many patches
 * came, so a flood of readings costs one face drawing per frame at most.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { TwinState } from '../../shared/schema/WorldState';
import type { TwinCommand } from '../../shared/model/iot';
import type { StateCallbacks, WorldSession } from '../net/session';
import type { PropLayer } from '../scene/props/PropLayer';
import { PropTint } from './PropTint';
import { TwinPanel, type TwinPanelHost } from './TwinPanel';
import { TwinReadout, type ReadoutStyle } from './TwinReadout';
import type { DrawnFace } from './twinFace';
import { ALARM_RED, commandsOf, type TwinFacts } from './twinLook';

/** How far above a prop's top its readout floats (metres, to the face's centre). */
const FLOAT_ABOVE_M = 0.45;

export interface TwinLayerHost extends TwinPanelHost {
  scene: Scene;
  session: WorldSession;
  props: PropLayer;
}

/** A twin as this browser shows it (for the test probe). */
export interface ShownTwin {
  id: string;
  /** 'gauge': a dial of its own; 'prop': the prop it is, tinted, with the readout above. */
  shows: 'gauge' | 'prop';
  propId: string;
  face: DrawnFace | null;
  /** The prop's tint, while it has one. */
  tint: string | null;
  /** Where the readout's face is in the world: what a ray aims at. */
  position: [number, number, number];
  label: string;
}

interface TwinView {
  readout: TwinReadout;
  tint: PropTint | null;
  commands: TwinCommand[];
  commandsJson: string;
}

const factsOf = (t: TwinState): TwinFacts => ({
  name: t.name,
  metric: t.metric,
  unit: t.unit,
  min: t.min,
  max: t.max,
  lowOn: t.lowOn,
  low: t.low,
  highOn: t.highOn,
  high: t.high,
  value: t.value,
  at: t.at,
  alarm: t.alarm,
  online: t.online,
});

export class TwinLayer {
  private readonly views = new Map<string, TwinView>();
  private readonly dirty = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly perTwin = new Map<string, () => void>();
  readonly panel: TwinPanel;

  constructor(private readonly host: TwinLayerHost) {
    this.panel = new TwinPanel(host);
  }

  attach(callbacks: StateCallbacks): void {
    this.unsubscribe.push(
      callbacks.onAdd('twins', (twin, id) => {
        this.dirty.add(id);
        this.perTwin.get(id)?.();
        this.perTwin.set(id, callbacks.onChange(twin, () => this.dirty.add(id)));
      }),
      callbacks.onRemove('twins', (_twin, id) => {
        this.perTwin.get(id)?.();
        this.perTwin.delete(id);
        this.dirty.add(id);
      }),
    );
  }

  private state(id: string): TwinState | undefined {
    return this.host.session.state.twins.get(id);
  }

  /** Per frame: shows the twins that changed, follows props, and runs the pulses. */
  update(now: number): void {
    for (const id of this.dirty) this.refresh(id, now);
    this.dirty.clear();
    for (const [id, view] of this.views) {
      // a prop can come or go after its twin: the twin changes how it stands with it
      const twin = this.state(id);
      if (twin && (view.readout.style === 'floating') !== this.host.props.shown.has(twin.propId)) this.refresh(id, now, true);
    }
    for (const view of this.views.values()) {
      view.readout.update(now);
      if (!view.tint) continue;
      view.tint.update(now);
      // the tint pulses in step with the readout's rim
      if (view.readout.alarmLevel !== null) view.tint.paint(ALARM_RED, view.readout.alarmLevel);
      const at = view.tint.readoutPoint(FLOAT_ABOVE_M);
      if (at && !at.equals(view.readout.root.position)) view.readout.root.position.copyFrom(at);
    }
  }

  private refresh(id: string, now: number, rebuild = false): void {
    const twin = this.state(id);
    let view = this.views.get(id);
    if (!twin) {
      if (view) this.drop(id, view);
      this.panel.gone(id);
      return;
    }
    const onProp = twin.propId !== '' && this.host.props.shown.has(twin.propId);
    const wanted: ReadoutStyle = onProp ? 'floating' : 'gauge';
    if (view && (rebuild || view.readout.style !== wanted || (view.tint?.propId ?? '') !== (onProp ? twin.propId : ''))) {
      this.drop(id, view);
      view = undefined;
    }
    if (!view) {
      const readout = new TwinReadout(this.host.scene, id, wanted, `Open “${twin.name}”`, () => this.openPanel(id));
      view = { readout, tint: onProp ? new PropTint(this.host.scene, `twin-${id}`, this.host.props, twin.propId) : null, commands: [], commandsJson: '' };
      this.views.set(id, view);
    }
    if (twin.commands !== view.commandsJson) {
      view.commandsJson = twin.commands;
      view.commands = commandsOf(twin.commands);
    }
    const facts = factsOf(twin);
    if (!view.tint) view.readout.place(twin.x, twin.y, twin.z, twin.yaw);
    view.readout.show(facts, now);
    view.tint?.paint(view.readout.drawn?.colour ?? '#8a909a', 0);
    this.panel.update(id, facts, view.commands);
  }

  private drop(id: string, view: TwinView): void {
    view.readout.dispose();
    view.tint?.dispose();
    this.views.delete(id);
  }

  /** Opens a twin's panel in front of the person (as if its readout were pressed). */
  openPanel(id: string): void {
    const twin = this.state(id);
    const view = this.views.get(id);
    if (twin && view) this.panel.open(id, factsOf(twin), view.commands);
  }

  /** The twins as shown here. */
  get shown(): ShownTwin[] {
    return [...this.views].map(([id, view]) => ({
      id,
      shows: view.tint ? 'prop' : 'gauge',
      propId: view.tint?.propId ?? '',
      face: view.readout.drawn ? { ...view.readout.drawn } : null,
      tint: view.tint?.colour ?? null,
      position: view.readout.position,
      label: `Open “${this.state(id)?.name ?? id}”`,
    }));
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    for (const stop of this.perTwin.values()) stop();
    for (const [id, view] of this.views) this.drop(id, view);
    this.panel.dispose();
  }
}
