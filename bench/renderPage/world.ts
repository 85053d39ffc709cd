/**
 * A furnished world for the render benchmark: the place built by the client's own environment code
 * and the template's starting props drawn by the client's own prop layer, fed from the template's
 * layout instead of a room's synchronised state. It keeps when the world was first whole (light
 * ready, every prop model loaded) and how long each model took.
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { buildEnvironment, type Environment } from '../../client/scene/environment';
import { PropLayer } from '../../client/scene/props/PropLayer';
import type { StateCallbacks, WorldSession } from '../../client/net/session';
import { templateLayout, type PropRecord } from '../../shared/model/props';
import type { PropState } from '../../shared/schema/WorldState';
import type { WorldTemplateId } from '../../shared/model/worlds';

/** What the benchmark reports of a world's loading (ms since page start). */
export interface WorldFigures {
  template: string;
  environmentMeshes: number;
  props: number;
  kinds: number;
  /** First frame drawn with the environment's light ready and every prop kind drawn from its model. */
  loadedAtMs: number | null;
  /** Per kind: from asking for its model to its mesh being ready. */
  modelMs: Record<string, number>;
  /** Kinds that fell back to a stand-in box (their model did not load). */
  boxes: string[];
  /** What the prop layer told the person, if anything (a model that failed). */
  notices: string[];
}

/** The prop layer reads only the world id and participants (for holder badges) from the session. */
function stillSession(worldId: string): WorldSession {
  return { state: { worldId, participants: new Map() } } as unknown as WorldSession;
}

function asState(record: PropRecord): PropState {
  const [x, y, z] = record.position;
  const [qx, qy, qz, qw] = record.rotation;
  return { id: record.id, kind: record.kind, x, y, z, qx, qy, qz, qw, scale: record.scale, heldBy: '' } as unknown as PropState;
}

/** State callbacks that announce a fixed set of props once and never change them. */
function fixedProps(records: PropRecord[]): StateCallbacks {
  const none = () => undefined;
  const callbacks = {
    onAdd(collection: string, add: (prop: PropState, id: string) => void) {
      if (collection === 'props') for (const record of records) add(asState(record), record.id);
      return none;
    },
    onChange: () => none,
    onRemove: () => none,
  };
  return callbacks as unknown as StateCallbacks;
}

export class BenchWorld {
  readonly environment: Environment;
  readonly props: PropLayer;
  readonly figures: WorldFigures;

  constructor(
    private readonly scene: Scene,
    template: WorldTemplateId,
  ) {
    const records = templateLayout(template);
    // the full tier: the one whose draw calls and frame time the budgets are about
    this.environment = buildEnvironment(scene, template, 'full');
    this.figures = { template, environmentMeshes: this.environment.meshCount, props: records.length, kinds: new Set(records.map((r) => r.kind)).size, loadedAtMs: null, modelMs: {}, boxes: [], notices: [] };
    const asked = performance.now();
    // the same hooks the world view wires, and the clock
    this.props = new PropLayer(scene, stillSession('bench'), (message) => this.figures.notices.push(message), {
      onMoved: () => this.environment.invalidateShadows(),
      onMeshReady: (mesh: Mesh) => {
        this.environment.addShadowCaster(mesh);
        const kind = (mesh.metadata as { propKind?: string } | null)?.propKind ?? mesh.name;
        this.figures.modelMs[kind] = performance.now() - asked;
      },
    });
    this.props.attach(fixedProps(records));
    scene.onAfterRenderObservable.add(() => {
      if (this.figures.loadedAtMs === null && this.loaded()) {
        this.figures.loadedAtMs = performance.now();
        this.figures.boxes = this.props.kinds().filter((k) => k.drawnFrom === 'box').map((k) => k.kind);
      }
    });
  }

  /** The environment's light is ready and no prop kind is still loading. */
  private loaded(): boolean {
    const light = this.scene.environmentTexture;
    return !!light && light.isReady() && this.props.kinds().every((k) => k.drawnFrom !== 'loading');
  }

  /** Resolves on the first frame the world is whole. */
  whenLoaded(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.figures.loadedAtMs !== null ? resolve() : setTimeout(check, 20));
      check();
    });
  }
}
