/**
 * The value of a settled read, or its failure thrown. With Promise.allSettled, reads started
 * together are all finished before the first failure is thrown: nothing keeps running behind it.
 */
export function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}
