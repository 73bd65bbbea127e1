// The work each task does: a Fibonacci number, exactly. Pure.

/** Largest n accepted (fib(10000) has about 2,090 digits). */
export const MAX_N = 10_000;

/** fib(n) with fib(0) = 0, fib(1) = 1; throws on a bad n. */
export function fibonacci(n: number): bigint {
  if (!Number.isInteger(n) || n < 0 || n > MAX_N)
    throw new RangeError(`n must be an integer in [0, ${MAX_N}], got ${n}`);
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}
