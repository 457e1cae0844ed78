/** A tiny concurrency pool: at most `limit` workers in flight, no dependency needed. */

/**
 * Run `worker` over `items` with at most `limit` in flight, in order of start. `stop` is asked
 * before each start; once it says yes, nothing new starts. When a worker throws, nothing new
 * starts either, the ones in flight finish, and the first error is rethrown.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length && !stop()) {
      const index = next++;
      try {
        await worker(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
