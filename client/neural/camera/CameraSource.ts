/**
 * The camera as a neural-input source. Off until the person turns it on; then it opens the camera,
 * runs MediaPipe's pose landmarker (and the gesture and face models when the server has them) on
 * each frame in this browser, and reports what it recognised as readings. Frames go nowhere: they
 * are read from the camera into the model and dropped; only command names and confidences leave.
 */
import { NeuralSourceBase } from '../NeuralSourceBase';
import { CameraError, cameraErrorFromMedia, noCameraApi } from './cameraErrors';
import { eyesClosed, gestureCommands, LongBlinkDetector } from './modelGestures';
import { classifyPose, type PoseLandmark } from './poseGestures';
import { loadVisionTasks, type Delegate, type VisionTasks } from './visionTasks';

export type CameraStatus =
  | { readonly state: 'off' }
  | { readonly state: 'starting' }
  | { readonly state: 'on'; readonly delegate: Delegate; readonly warnings: readonly string[] }
  | { readonly state: 'error'; readonly error: CameraError };

/** One frame's pose, for a preview or a test; never sent anywhere. */
export interface PoseFrame {
  readonly landmarks: readonly PoseLandmark[];
  readonly at: number;
}

export interface CameraSourceOptions {
  /** Frames closer together than this are skipped, to leave the page time to render (ms). */
  minFrameMs?: number;
  /** Where to try the models first; they fall back to the CPU when the GPU fails. */
  prefer?: Delegate;
}

interface Running {
  stream: MediaStream;
  video: HTMLVideoElement;
  tasks: VisionTasks;
  blink: LongBlinkDetector;
  frame: number;
  /** Not before this time (performance.now()) is the next frame read. */
  nextAt: number;
  lastVideoTime: number;
}

export class CameraSource extends NeuralSourceBase {
  readonly kind = 'camera' as const;
  private readonly poseListeners = this.listeners<PoseFrame>();
  private readonly statusListeners = this.listeners<CameraStatus>();
  private current: CameraStatus = { state: 'off' };
  private running: Running | null = null;
  /** Bumped by every start and stop, so a stop during a slow start wins. */
  private generation = 0;

  constructor(private readonly opts: CameraSourceOptions = {}) {
    super();
  }

  get status(): CameraStatus {
    return this.current;
  }

  /** The live camera picture while on (a muted, unmirrored video element), for a preview. */
  get video(): HTMLVideoElement | null {
    return this.running?.video ?? null;
  }

  onPose(listener: (frame: PoseFrame) => void): () => void {
    return this.poseListeners.add(listener);
  }

  onStatus(listener: (status: CameraStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }

  async start(): Promise<void> {
    this.ensureLive();
    if (this.current.state === 'on' || this.current.state === 'starting') return;
    const generation = ++this.generation;
    this.setStatus({ state: 'starting' });
    try {
      const running = await this.open();
      if (generation !== this.generation) return release(running);
      this.running = running;
      this.whileRunning.add(() => release(running));
      this.setStatus({ state: 'on', delegate: running.tasks.delegate, warnings: running.tasks.warnings });
      // a camera unplugged or taken over ends its track; say so rather than freeze
      for (const track of running.stream.getVideoTracks()) {
        const ended = () => this.fail(running, new CameraError('busy', 'The camera stopped: it was disconnected or another application took it. Turn the camera on again.'));
        track.addEventListener('ended', ended);
        this.whileRunning.add(() => track.removeEventListener('ended', ended));
      }
      this.schedule(running);
    } catch (err) {
      const error = err instanceof CameraError ? err : cameraErrorFromMedia(err);
      if (generation === this.generation) this.setStatus({ state: 'error', error });
      throw error;
    }
  }

  override stop(): void {
    this.generation++;
    this.running = null;
    super.stop();
    if (this.current.state !== 'off') this.setStatus({ state: 'off' });
  }

  private async open(): Promise<Running> {
    if (!navigator.mediaDevices?.getUserMedia) throw noCameraApi(window.isSecureContext);
    // load the models while the browser asks for the camera, so its prompt follows the click at once
    const loading = loadVisionTasks(this.opts.prefer);
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' }, audio: false });
    } catch (err) {
      // say so now rather than after the models load; they are closed when they do
      loading.then((t) => t.close(), () => undefined);
      throw cameraErrorFromMedia(err);
    }
    let tasks: VisionTasks;
    try {
      tasks = await loading;
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      throw err;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    try {
      await video.play();
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      tasks.close();
      throw cameraErrorFromMedia(err);
    }
    return { stream, video, tasks, blink: new LongBlinkDetector(), frame: 0, nextAt: 0, lastVideoTime: -1 };
  }

  private schedule(running: Running): void {
    const minFrameMs = this.opts.minFrameMs ?? 66;
    const tick = () => {
      if (this.running !== running) return;
      running.frame = requestAnimationFrame(tick);
      const now = performance.now();
      const { video } = running;
      if (now < running.nextAt || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.currentTime === running.lastVideoTime) return;
      running.lastVideoTime = video.currentTime;
      try {
        this.recognise(running, now);
      } catch (err) {
        this.fail(running, new CameraError('model', `Recognition stopped: ${err instanceof Error ? err.message : String(err)}. Turn the camera on again.`));
      }
      // recognition runs on this thread: on a slow device, rest at least as long as it took, so the
      // page (and the button that turns the camera off) stays responsive
      const took = performance.now() - now;
      running.nextAt = now + took + Math.max(minFrameMs - took, took);
    };
    running.frame = requestAnimationFrame(tick);
  }

  private recognise(running: Running, at: number): void {
    const { video, tasks } = running;
    const read = (command: string, confidence: number) => this.readings.emit({ command, confidence, source: 'camera', at });
    const landmarks = tasks.pose.detectForVideo(video, at).landmarks[0];
    if (landmarks) {
      this.poseListeners.emit({ landmarks, at });
      for (const g of classifyPose(landmarks)) read(g.command, g.confidence);
    }
    if (tasks.gesture) {
      for (const g of gestureCommands(tasks.gesture.recognizeForVideo(video, at).gestures)) read(g.command, g.confidence);
    }
    if (tasks.face) {
      const blink = running.blink.update(eyesClosed(tasks.face.detectForVideo(video, at).faceBlendshapes[0]?.categories ?? []), at);
      if (blink) read(blink.command, blink.confidence);
    }
  }

  private fail(running: Running, error: CameraError): void {
    if (this.running !== running) return;
    this.generation++;
    this.running = null;
    this.whileRunning.releaseAll();
    this.setStatus({ state: 'error', error });
  }

  private setStatus(status: CameraStatus): void {
    this.current = status;
    this.statusListeners.emit(status);
  }
}

function release(running: Running): void {
  cancelAnimationFrame(running.frame);
  running.stream.getTracks().forEach((t) => t.stop());
  running.video.srcObject = null;
  running.tasks.close();
}
