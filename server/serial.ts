/**
 * Runs async work one piece at a time, in the order it was asked for; a failure is returned to
 * its caller and does not stop the work after it.
 */
export type Serial = <T>(work: () => Promise<T>) => Promise<T>;

export function serial(): Serial {
  let turn: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  };
}
