/** Devices' twins in the synchronised state: placed from a TwinView, then kept current by the feed's events. */
import { inAlarm, type TwinView } from '../../shared/model/iot';
import { TwinState, type WorldState } from '../../shared/schema/WorldState';

/** Places or replaces a twin; keeps its reading when the new view has none (a change of scale, say) unless it now shows another metric. */
export function putTwin(state: WorldState, view: TwinView): void {
  const t = view.twin;
  const twin = state.twins.get(view.deviceId) ?? new TwinState();
  // another metric: the old one's reading is not this one's
  if (twin.metric && twin.metric !== t.metric) Object.assign(twin, { value: 0, at: 0, alarm: false });
  Object.assign(twin, {
    id: view.deviceId,
    name: t.label || view.name,
    type: view.type,
    metric: t.metric,
    unit: t.unit,
    propId: t.propId,
    x: t.position[0],
    y: t.position[1],
    z: t.position[2],
    yaw: t.yaw,
    min: t.min,
    max: t.max,
    lowOn: t.alarmLow !== null,
    low: t.alarmLow ?? 0,
    highOn: t.alarmHigh !== null,
    high: t.alarmHigh ?? 0,
    commands: JSON.stringify(t.commands),
    online: view.online,
  });
  if (view.value !== null && view.at >= twin.at) Object.assign(twin, { value: view.value, at: view.at, alarm: inAlarm(t, view.value) });
  if (!state.twins.has(view.deviceId)) state.twins.set(view.deviceId, twin);
}

export function twinReading(state: WorldState, deviceId: string, value: number, at: number, alarm: boolean): void {
  const twin = state.twins.get(deviceId);
  if (twin && at >= twin.at) Object.assign(twin, { value, at, alarm });
}

export function twinOnline(state: WorldState, deviceId: string, online: boolean): void {
  const twin = state.twins.get(deviceId);
  if (twin) twin.online = online;
}
