/**
 * Runs `work` over `items` with at most `limit` in flight. On the first failure no new item
 * starts; the call settles only once the items in flight have, then rejects with that first
 * failure: a failed read leaves nothing running behind it. Items are taken one at a time, so
 * 30,000 writes wait as an array index, not as 30,000 queued closures and promises.
 */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
