/**
 * What a person can press in the world — a chain node's "+", a menu button, a toast's close — is a
 * control: a mesh registered here with what pressing it does. Every way of pressing goes through
 * this one table, so a control works the same by mouse, by a controller's ray and trigger, by a
 * fingertip touching it and by a pinch aimed at it, and hover highlighting is done once.
 *
 * The routing (mouse clicks, XR rays, fingertips, pinches) lives with the input it reads; a control
 * only says what it does. A mesh is found by walking up from the picked mesh, so a control may be a
 * parent whose children are the visible parts.
 */
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh';
import type { Node } from '@babylonjs/core/node';

/** How a control was pressed: for feedback (a controller buzzes; a mouse does not). */
export type PressSource = 'mouse' | 'ray' | 'touch' | 'pinch';

export interface Control {
  /** What the control is for, in words: shown on hover and read by tests. */
  readonly label: string;
  /** Pressing it. `hand` is the XR hand that pressed, when one did. */
  press(source: PressSource, hand?: 'left' | 'right'): void;
  /** Whether it can be pressed now (a disabled control is not highlighted and ignores presses). */
  enabled?(): boolean;
  /** Called as a pointer, ray or fingertip comes over it (true) and leaves it (false). */
  hover?(on: boolean): void;
}

/** A control as drawn: its label and the world position of its centre. */
export interface PlacedControl {
  label: string;
  position: [number, number, number];
}

const registry = new WeakMap<Node, Control>();
/** The registered meshes, so per-frame work (fingertips) walks the controls, not the whole scene. */
const registered = new Set<AbstractMesh>();

/** Makes `mesh` (and everything under it) a control. Replaces an earlier registration. */
export function registerControl(mesh: AbstractMesh, control: Control): void {
  if (!registered.has(mesh)) mesh.onDisposeObservable.addOnce(() => unregisterControl(mesh));
  registry.set(mesh, control);
  registered.add(mesh);
  mesh.isPickable = true;
}

export function unregisterControl(mesh: AbstractMesh): void {
  registry.delete(mesh);
  registered.delete(mesh);
}

/** The registered meshes that can be pressed now: shown, and their control enabled. */
export function pressableControls(): AbstractMesh[] {
  const out: AbstractMesh[] = [];
  for (const mesh of registered) if (mesh.isEnabled() && mesh.isVisible && controlMeshOf(mesh) === mesh) out.push(mesh);
  return out;
}

/** The registered mesh a picked mesh belongs to (itself or the nearest registered parent), if enabled. */
export function controlMeshOf(mesh: Node | null | undefined): AbstractMesh | null {
  for (let node: Node | null | undefined = mesh; node; node = node.parent) {
    const control = registry.get(node);
    if (control) return control.enabled && !control.enabled() ? null : (node as AbstractMesh);
  }
  return null;
}

/** The control a picked mesh belongs to (itself or the nearest registered parent), if enabled. */
export function controlOf(mesh: Node | null | undefined): Control | null {
  const node = controlMeshOf(mesh);
  return node ? registry.get(node)! : null;
}

/** For pick predicates: whether a mesh is part of an enabled control. */
export const isControlMesh = (mesh: AbstractMesh): boolean => mesh.isEnabled() && mesh.isVisible && controlOf(mesh) !== null;
