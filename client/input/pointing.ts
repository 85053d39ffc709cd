/**
 * The bookkeeping behind hovering and touching controls, apart from any 3D engine: which control
 * each pointer (the mouse, a controller's ray, a fingertip) is over, and when a fingertip's touch
 * counts as a press. Pure, so the rules are tested on their own.
 */

/** What is hovered, per pointer; a target stays hovered while any pointer is over it. */
export class HoverSet<T> {
  private readonly over = new Map<string, T>();

  /**
   * Pointer `pointer` is now over `target` (null: over nothing). Returns the targets that became
   * hovered and those no pointer is over any more.
   */
  point(pointer: string, target: T | null): { entered: T[]; left: T[] } {
    const before = this.over.get(pointer) ?? null;
    if (before === target) return { entered: [], left: [] };
    if (target === null) this.over.delete(pointer);
    else this.over.set(pointer, target);
    const entered = target !== null && !this.others(pointer, target) ? [target] : [];
    const left = before !== null && !this.isHovered(before) ? [before] : [];
    return { entered, left };
  }

  /** Forgets every pointer whose name starts with `prefix` (e.g. all XR pointers when a session ends). */
  forget(prefix: string): T[] {
    const left: T[] = [];
    for (const pointer of [...this.over.keys()]) {
      if (pointer.startsWith(prefix)) left.push(...this.point(pointer, null).left);
    }
    return left;
  }

  isHovered(target: T): boolean {
    for (const t of this.over.values()) if (t === target) return true;
    return false;
  }

  private others(pointer: string, target: T): boolean {
    for (const [p, t] of this.over) if (p !== pointer && t === target) return true;
    return false;
  }
}

/** How near a fingertip must come to a control's surface to press it, and to let go of it (metres). */
export const TOUCH = { press: 0.015, release: 0.035, hover: 0.06 } as const;

/**
 * A fingertip presses a control once per touch: when it comes within `TOUCH.press` of a control it
 * has been clear of (farther than `TOUCH.release`) since it last pressed it. A finger resting on a
 * button presses once, and a control made under a resting finger (a chain rebuilt by the press, a
 * panel opening) is not pressed until the finger has left it and come back.
 */
export class TouchLatch<T> {
  /** Per finger: the controls it may press, having been clear of them. */
  private readonly armed = new Map<string, Set<T>>();
  /** Fingers resting on what they pressed. */
  private readonly resting = new Set<string>();

  /**
   * One frame: the fingertip `finger` is at these distances (metres) from the controls in reach of
   * being seen. Returns the control to press now, if any.
   */
  update(finger: string, distances: Iterable<readonly [T, number]>): T | null {
    const before = this.armed.get(finger) ?? new Set<T>();
    const armed = new Set<T>();
    let nearest: T | null = null;
    let nearestDistance = Infinity;
    for (const [target, distance] of distances) {
      if (distance > TOUCH.release || before.has(target)) armed.add(target);
      if (distance < nearestDistance) [nearest, nearestDistance] = [target, distance];
    }
    this.armed.set(finger, armed);
    if (nearestDistance > TOUCH.release) this.resting.delete(finger);
    if (nearest === null || nearestDistance > TOUCH.press || !armed.has(nearest)) return null;
    armed.delete(nearest);
    this.resting.add(finger);
    return nearest;
  }

  /** Whether the fingertip rests on a control it has pressed. */
  isTouching(finger: string): boolean {
    return this.resting.has(finger);
  }

  forget(finger: string): void {
    this.armed.delete(finger);
    this.resting.delete(finger);
  }
}
