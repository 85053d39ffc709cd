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
 * A fingertip presses a control once per touch: when it comes within `TOUCH.press` of one, and not
 * again until it has moved out past `TOUCH.release` from every control. A finger resting on a
 * button presses once, even when the press rebuilds the button under it.
 */
export class TouchLatch<T> {
  private readonly touching = new Set<string>();

  /**
   * The fingertip `finger` is `distance` metres from the nearest control `target` (null: none
   * near). Returns the control to press now, if any.
   */
  update(finger: string, target: T | null, distance: number): T | null {
    if (this.touching.has(finger)) {
      if (target !== null && distance <= TOUCH.release) return null;
      this.touching.delete(finger);
    }
    if (target === null || distance > TOUCH.press) return null;
    this.touching.add(finger);
    return target;
  }

  /** Whether the fingertip rests on a control it has pressed. */
  isTouching(finger: string): boolean {
    return this.touching.has(finger);
  }

  forget(finger: string): void {
    this.touching.delete(finger);
  }
}
