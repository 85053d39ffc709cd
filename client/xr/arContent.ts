/**
 * What the AR miniature must hold: the world boxes of everything people work with (documents and
 * notes, workflow chains), not the room shell, the XR hands or our own AR buttons. People are left
 * out: they come and go and walk about, and one standing by the door would shrink the workspace
 * (they are still shown, at the miniature's scale, wherever they stand).
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Node } from '@babylonjs/core/node';
import type { Box } from './miniature';

/** Top-level nodes whose names start so hold content: documents and their notes, chains, devices' twins. */
const CONTENT_PREFIXES = ['doc-', 'chain-', 'twin-'] as const;

function rootOf(node: Node): Node {
  let at = node;
  while (at.parent) at = at.parent;
  return at;
}

export function contentBoxes(scene: Scene): Box[] {
  const boxes: Box[] = [];
  for (const mesh of scene.meshes) {
    if (!mesh.isEnabled() || !mesh.isVisible || mesh.getTotalVertices() === 0) continue;
    const root = rootOf(mesh);
    if (!CONTENT_PREFIXES.some((prefix) => root.name.startsWith(prefix))) continue;
    mesh.computeWorldMatrix(true);
    const { minimumWorld: min, maximumWorld: max } = mesh.getBoundingInfo().boundingBox;
    boxes.push({ min: [min.x, min.y, min.z], max: [max.x, max.y, max.z] });
  }
  return boxes;
}
