/**
 * Voice between the people in a world, browser to browser over WebRTC, signalled through the
 * world room (the server relays each message to its one receiver, see shared/model/voice.ts).
 *
 * - A proximity mesh: every half second each page works out the nearest people within earshot (at
 *   most a handful) and calls them or hangs up; of two people, the one whose session id sorts first
 *   makes the call, so two offers never cross.
 * - Everyone listens; the microphone is asked for only when the person presses Talk, and a refusal
 *   is explained. Mute stops sending without hanging up.
 * - Each voice plays through an HRTF panner at the speaker's head, quieter with distance and silent
 *   at the edge of earshot; the listener is the person's own eye. Its level drives the speaker's
 *   avatar (mouth and nod) and the speaking mark. A person with the megaphone or on the stage is
 *   heard by everyone, from their direction but without fading with distance.
 * - Push to talk: while the key (or a controller button) is held, the microphone is live; let go,
 *   it is muted again. The microphone can be chosen among the browser's inputs.
 */
import { ServerEvent, type VoiceSignal } from '../../shared/protocol';
import { chooseVoicePeers, VOICE_KEEP_FACTOR, VOICE_MAX_LISTENERS, VOICE_MAX_LOUD, VOICE_MAX_PEERS, VOICE_RADIUS_M, withinEarshot } from '../../shared/model/voice';
import { onStage, stageOf } from '../../shared/model/worlds';
import type { WorldSession } from '../net/session';

type Vec3 = readonly [number, number, number];

/** What voice needs from the 3D view. */
export interface VoiceHost {
  /** The listener: the person's eye, where it looks and which way is up. */
  listener(): { position: Vec3; forward: Vec3; up: Vec3 };
  /** Where someone's head is drawn (null: not drawn here). */
  headOf(participantId: string): Vec3 | null;
  /** How loud someone is speaking now, 0..1, for their avatar. */
  talking(participantId: string, level: number): void;
}

/** Why the microphone could not be used, in words a person can act on. */
export class MicrophoneRefused extends Error {
  override name = 'MicrophoneRefused';
}

export type VoiceState = 'listening' | 'talking' | 'muted';

/** What the page shows and tests read: one entry per call. */
export interface VoiceCallProbe {
  id: string;
  state: RTCPeerConnectionState;
  /** Level (0..1) of this voice as heard here, after distance. */
  heard: number;
  /** Level (0..1) of this voice as it arrives, before distance. */
  spoken: number;
  /** Audio bytes received on this call so far. */
  bytesReceived: number;
  /** Heard everywhere (megaphone or stage): no fading with distance. */
  everywhere: boolean;
}

/** A level above this (0..1, as the avatar shows it) counts as speaking. */
const SPEAKING_LEVEL = 0.08;

interface Call {
  id: string;
  pc: RTCPeerConnection;
  /** Candidates that came before the other side's description. */
  early: RTCIceCandidateInit[];
  audio: HTMLAudioElement | null;
  panner: PannerNode | null;
  /** The voice before distance (for the avatar) and after (as heard). */
  spoken: AnalyserNode | null;
  heard: AnalyserNode | null;
  source: MediaStreamAudioSourceNode | null;
  heardLevel: number;
  spokenLevel: number;
}

const PLAN_MS = 500;
const LEVEL_MS = 100;

export class VoiceChat {
  private readonly calls = new Map<string, Call>();
  private readonly stops: Array<() => void> = [];
  private mic: MediaStream | null = null;
  private ctx: AudioContext | null = null;
  private muted = false;
  private disposed = false;
  /** Held push-to-talk: the microphone is live until it is let go, then muted again. */
  private pushing = false;
  private deviceId: string | null = null;
  private readonly stage;

  constructor(
    private readonly session: WorldSession,
    private readonly host: VoiceHost,
  ) {
    this.stage = stageOf(session.state.template);
    const off = session.room.onMessage(ServerEvent.VOICE_SIGNAL, (s: VoiceSignal) => {
      this.signalled(s).catch((err: unknown) => this.failed(s.from, err));
    });
    this.stops.push(() => off());
    const plan = setInterval(() => this.plan(), PLAN_MS);
    const levels = setInterval(() => this.measure(), LEVEL_MS);
    this.stops.push(() => clearInterval(plan), () => clearInterval(levels));
    // browsers start sound only after the person does something on the page
    const resume = () => {
      this.audio()
        .resume()
        .catch(() => undefined);
    };
    for (const type of ['pointerdown', 'keydown'] as const) {
      window.addEventListener(type, resume, { passive: true });
      this.stops.push(() => window.removeEventListener(type, resume));
    }
  }

  get state(): VoiceState {
    if (!this.mic) return 'listening';
    return this.muted ? 'muted' : 'talking';
  }

  /** Starts sending this person's voice; throws {@link MicrophoneRefused} with why not. */
  async talk(): Promise<void> {
    if (this.mic) return this.setMuted(false);
    if (!navigator.mediaDevices?.getUserMedia) throw new MicrophoneRefused('This browser cannot use a microphone here (voice needs a secure page: https or this computer).');
    try {
      this.mic = await navigator.mediaDevices.getUserMedia({ audio: this.constraints(), video: false });
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      if (name === 'NotAllowedError' || name === 'SecurityError') throw new MicrophoneRefused('The browser was not allowed to use the microphone. Allow it for this site (the icon beside the address) and press Talk again.');
      if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new MicrophoneRefused('No microphone was found. Plug one in and press Talk again.');
      if (name === 'NotReadableError') throw new MicrophoneRefused('The microphone is in use by another program. Close it and press Talk again.');
      throw new MicrophoneRefused('The microphone could not be started.');
    }
    if (this.disposed) return this.stopMic();
    await this.audio().resume();
    this.muted = false;
    const track = this.mic.getAudioTracks()[0] ?? null;
    for (const call of this.calls.values()) await this.sendOn(call, track);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    for (const track of this.mic?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  /**
   * Push to talk: held, the microphone is live (asked for the first time if need be); let go, it is
   * muted again. Throws {@link MicrophoneRefused} as Talk does.
   */
  async pushToTalk(held: boolean): Promise<void> {
    if (held === this.pushing) return;
    this.pushing = held;
    if (!held) return this.setMuted(true);
    if (!this.mic) await this.talk();
    // let go while the microphone was being asked for
    this.setMuted(!this.pushing);
  }

  /** The microphones the browser offers (named once the person has allowed one). */
  async inputs(): Promise<Array<{ id: string; label: string }>> {
    const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    return devices.filter((d) => d.kind === 'audioinput').map((d, i) => ({ id: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
  }

  /** The microphone in use (null: the browser's default). */
  get input(): string | null {
    return this.mic?.getAudioTracks()[0]?.getSettings().deviceId ?? this.deviceId;
  }

  /** Uses another microphone: the calls carry on with it, muted or not as before. */
  async useInput(deviceId: string): Promise<void> {
    this.deviceId = deviceId;
    if (!this.mic) return;
    const next = await navigator.mediaDevices.getUserMedia({ audio: this.constraints(), video: false }).catch(() => {
      throw new MicrophoneRefused('That microphone could not be started; the one before is still in use.');
    });
    if (this.disposed) {
      for (const t of next.getTracks()) t.stop();
      return;
    }
    this.stopMic();
    this.mic = next;
    this.setMuted(this.muted);
    const track = next.getAudioTracks()[0] ?? null;
    for (const call of this.calls.values()) await this.sendOn(call, track);
  }

  /** Who is speaking now (as heard here), by session id. */
  speaking(): Set<string> {
    const out = new Set<string>();
    for (const c of this.calls.values()) if (c.spokenLevel * 4 > SPEAKING_LEVEL) out.add(c.id);
    return out;
  }

  private constraints(): MediaTrackConstraints {
    return { echoCancellation: true, noiseSuppression: true, autoGainControl: true, ...(this.deviceId ? { deviceId: { exact: this.deviceId } } : {}) };
  }

  /** Whether someone is heard everywhere: they hold the megaphone or stand on the stage. */
  private everywhere(id: string, head: Vec3 | null): boolean {
    const p = this.session.state.participants.get(id);
    return !!p && (p.megaphone || (!!head && onStage(this.stage, head)));
  }

  /** Each call's state, the audio bytes received (WebRTC's own statistics) and how loud it is heard. */
  async stats(): Promise<VoiceCallProbe[]> {
    const out: VoiceCallProbe[] = [];
    for (const c of this.calls.values()) {
      let bytes = 0;
      (await c.pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
      });
      out.push({ id: c.id, state: c.pc.connectionState, heard: c.heardLevel, spoken: c.spokenLevel, bytesReceived: bytes, everywhere: this.everywhere(c.id, this.host.headOf(c.id)) });
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.stops.splice(0)) stop();
    for (const id of [...this.calls.keys()]) this.hangUp(id, true);
    this.stopMic();
    this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }

  private stopMic(): void {
    for (const track of this.mic?.getTracks() ?? []) track.stop();
    this.mic = null;
  }

  private audio(): AudioContext {
    return (this.ctx ??= new AudioContext());
  }

  /** Who to be in a call with now; calls the new ones (if ours to make) and hangs up the rest. */
  private plan(): void {
    const me = this.session.sessionId;
    const mine = this.host.listener().position;
    const others: { id: string; position: Vec3; everywhere: boolean }[] = [];
    this.session.state.participants.forEach((p, id) => {
      if (id === me || !p.connected) return;
      const head = this.host.headOf(id);
      if (head) others.push({ id, position: head, everywhere: this.everywhere(id, head) });
    });
    const wanted = new Set(chooseVoicePeers(mine, others, new Set(this.calls.keys()), { loud: this.everywhere(me, mine) }));
    for (const id of [...this.calls.keys()]) if (!wanted.has(id)) this.hangUp(id);
    for (const id of wanted) if (!this.calls.has(id) && me < id) this.call(id).catch((err: unknown) => this.failed(id, err));
  }

  private async call(id: string): Promise<void> {
    const call = this.open(id);
    await this.sendOn(call, this.mic?.getAudioTracks()[0] ?? null);
    const offer = await call.pc.createOffer();
    await call.pc.setLocalDescription(offer);
    this.send(id, { kind: 'offer', sdp: call.pc.localDescription!.sdp });
  }

  private async signalled(s: VoiceSignal): Promise<void> {
    if (this.disposed) return;
    switch (s.kind) {
      case 'offer': {
        // take a call only from someone we would call ourselves
        const theirs = this.host.headOf(s.from);
        const mine = this.host.listener().position;
        const loud = this.everywhere(s.from, theirs) || this.everywhere(this.session.sessionId, mine);
        const room = loud ? VOICE_MAX_LISTENERS : VOICE_MAX_PEERS + VOICE_MAX_LOUD;
        if (!theirs || !(loud || withinEarshot(mine, theirs)) || (this.calls.size >= room && !this.calls.has(s.from))) {
          this.send(s.from, { kind: 'bye' });
          return;
        }
        this.hangUp(s.from, true);
        const call = this.open(s.from);
        await call.pc.setRemoteDescription({ type: 'offer', sdp: s.sdp! });
        await this.sendOn(call, this.mic?.getAudioTracks()[0] ?? null);
        await this.flushEarly(call);
        const answer = await call.pc.createAnswer();
        await call.pc.setLocalDescription(answer);
        this.send(s.from, { kind: 'answer', sdp: call.pc.localDescription!.sdp });
        return;
      }
      case 'answer': {
        const call = this.calls.get(s.from);
        if (!call || call.pc.signalingState !== 'have-local-offer') return;
        await call.pc.setRemoteDescription({ type: 'answer', sdp: s.sdp! });
        await this.flushEarly(call);
        return;
      }
      case 'candidate': {
        const call = this.calls.get(s.from);
        if (!call || !s.candidate) return;
        if (call.pc.remoteDescription) await call.pc.addIceCandidate(s.candidate);
        else call.early.push(s.candidate);
        return;
      }
      case 'bye':
        this.hangUp(s.from, true);
        return;
    }
  }

  private async flushEarly(call: Call): Promise<void> {
    for (const c of call.early.splice(0)) await call.pc.addIceCandidate(c);
  }

  private open(id: string): Call {
    // the servers the world's room gave on joining (none on a LAN)
    const pc = new RTCPeerConnection({ iceServers: this.session.iceServers });
    const call: Call = { id, pc, early: [], audio: null, panner: null, spoken: null, heard: null, source: null, heardLevel: 0, spokenLevel: 0 };
    this.calls.set(id, call);
    pc.onicecandidate = (e) => {
      if (!e.candidate) return;
      const c = e.candidate.toJSON();
      this.send(id, { kind: 'candidate', candidate: { candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } });
    };
    pc.ontrack = (e) => this.play(call, e.streams[0] ?? new MediaStream([e.track]));
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && this.calls.get(id) === call) this.hangUp(id);
    };
    return call;
  }

  /** Sends `track` (or nothing yet) on the call's one audio transceiver, made if there is none. */
  private async sendOn(call: Call, track: MediaStreamTrack | null): Promise<void> {
    const transceiver = call.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio') ?? call.pc.addTransceiver('audio', { direction: 'sendrecv' });
    transceiver.direction = 'sendrecv';
    await transceiver.sender.replaceTrack(track);
  }

  private play(call: Call, stream: MediaStream): void {
    if (call.source) return;
    const ctx = this.audio();
    // Chrome pulls a remote WebRTC stream through Web Audio only while a media element plays it too
    const audio = new Audio();
    audio.muted = true;
    audio.srcObject = stream;
    audio.play().catch(() => undefined);
    const source = ctx.createMediaStreamSource(stream);
    const spoken = new AnalyserNode(ctx, { fftSize: 1024 });
    const panner = new PannerNode(ctx, {
      panningModel: 'HRTF',
      distanceModel: 'linear',
      refDistance: 1,
      maxDistance: VOICE_RADIUS_M * VOICE_KEEP_FACTOR,
      rolloffFactor: 1,
    });
    const heard = new AnalyserNode(ctx, { fftSize: 1024 });
    source.connect(spoken);
    source.connect(panner);
    panner.connect(heard);
    heard.connect(ctx.destination);
    Object.assign(call, { audio, source, spoken, panner, heard });
  }

  /** Moves the listener and each voice to where they are, and measures how loud each one is. */
  private measure(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const { position: p, forward: f, up: u } = this.host.listener();
    const l = ctx.listener;
    const t = ctx.currentTime;
    if (l.positionX) {
      l.positionX.setTargetAtTime(p[0], t, 0.03);
      l.positionY.setTargetAtTime(p[1], t, 0.03);
      l.positionZ.setTargetAtTime(p[2], t, 0.03);
      l.forwardX.setTargetAtTime(f[0], t, 0.03);
      l.forwardY.setTargetAtTime(f[1], t, 0.03);
      l.forwardZ.setTargetAtTime(f[2], t, 0.03);
      l.upX.setTargetAtTime(u[0], t, 0.03);
      l.upY.setTargetAtTime(u[1], t, 0.03);
      l.upZ.setTargetAtTime(u[2], t, 0.03);
    }
    for (const call of this.calls.values()) {
      if (!call.panner || !call.spoken || !call.heard) continue;
      const head = this.host.headOf(call.id);
      if (head) {
        call.panner.positionX.setTargetAtTime(head[0], t, 0.03);
        call.panner.positionY.setTargetAtTime(head[1], t, 0.03);
        call.panner.positionZ.setTargetAtTime(head[2], t, 0.03);
      }
      // heard everywhere: from their direction, at full strength however far
      const rolloff = this.everywhere(call.id, head) ? 0 : 1;
      if (call.panner.rolloffFactor !== rolloff) call.panner.rolloffFactor = rolloff;
      call.spokenLevel = levelOf(call.spoken);
      this.host.talking(call.id, Math.min(1, call.spokenLevel * 4));
      call.heardLevel = levelOf(call.heard);
    }
  }

  private hangUp(id: string, quietly = false): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    if (!quietly) this.send(id, { kind: 'bye' });
    call.pc.close();
    call.source?.disconnect();
    call.heard?.disconnect();
    if (call.audio) call.audio.srcObject = null;
    this.host.talking(id, 0);
  }

  private failed(id: string, err: unknown): void {
    console.warn('voice call failed', err);
    this.hangUp(id);
  }

  private send(to: string, s: Omit<VoiceSignal, 'from'>): void {
    if (!this.disposed) this.session.sendIntent({ type: 'voiceSignal', to, ...s });
  }
}

const buffer = new Float32Array(1024);
/** Root-mean-square level of what an analyser hears now (0 silent .. 1 full scale). */
function levelOf(a: AnalyserNode): number {
  a.getFloatTimeDomainData(buffer);
  let sum = 0;
  for (let i = 0; i < buffer.length; i++) sum += buffer[i]! * buffer[i]!;
  return Math.sqrt(sum / buffer.length);
}
