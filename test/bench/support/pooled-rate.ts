// The throughput of a bare baseline: `count` runs of one operation, at most
// `concurrency` in flight at a time, as completed runs per second.

/** Runs `run` `count` times, at most `concurrency` at once: completed per second from the first start to the last end. */
export async function pooledRate(count: number, concurrency: number, run: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      await run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return count / ((performance.now() - start) / 1000);
}
