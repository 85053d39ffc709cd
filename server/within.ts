/**
 * What `work` settles with, or `late` if it has not within `ms`: for answers that must not wait on
 * a slow dependency (liveness on Redis, a cache lookup). The timer is cleared as soon as either
 * happens, and a rejection of `work` after the time is up is of no interest (it is caught).
 */
export async function within<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([work, new Promise<L>((resolve) => (timer = setTimeout(() => resolve(late), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
