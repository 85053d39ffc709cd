/**
 * The voice calls offered between people in one world, as the room relays their signalling: which
 * offers stand (from whom to whom) until either side hangs up or leaves. The rules (shared/model/
 * world.ts) read it to let an answer or a candidate through only within a call.
 */
export class VoiceCalls {
  /** Offers by their sender: to whom each has offered a call. */
  private readonly offers = new Map<string, Set<string>>();

  offered(from: string, to: string): boolean {
    return this.offers.get(from)?.has(to) === true;
  }

  /** Calls a participant is in, offered by them or to them. */
  count(id: string): number {
    let n = this.offers.get(id)?.size ?? 0;
    for (const [from, to] of this.offers) if (from !== id && to.has(id) && !this.offered(id, from)) n++;
    return n;
  }

  offer(from: string, to: string): void {
    let set = this.offers.get(from);
    if (!set) this.offers.set(from, (set = new Set()));
    set.add(to);
  }

  /** Either side hung up: the call between the two is over, whoever offered it. */
  hangUp(a: string, b: string): void {
    this.offers.get(a)?.delete(b);
    this.offers.get(b)?.delete(a);
  }

  /** Someone left the world: every call they were in is over. */
  forget(id: string): void {
    this.offers.delete(id);
    for (const to of this.offers.values()) to.delete(id);
  }
}
