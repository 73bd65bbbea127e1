// The sampling each task does and how the framework combines the counts.
// Pure and deterministic: the same seed and sample count give the same count
// on every machine, so the combined estimate depends on the seeds alone.

/** What one task samples. */
export interface Work {
  /** Seed of the task's random stream (an unsigned 32-bit integer). */
  seed: number;
  /** How many points it draws in the unit square. */
  samples: number;
}

/** What one task found: of `samples` points, `inside` fell in the quarter circle. */
export interface Sample extends Work {
  inside: number;
}

/** Largest sample count per task (about a minute of one core). */
export const MAX_SAMPLES = 1_000_000_000;

/** Mulberry32: a small, fast 32-bit generator of numbers in [0, 1); the same seed, the same stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws `samples` points from `seed`'s stream and counts those with x² + y² ≤ 1. */
export function countInside(work: Work): Sample {
  const { seed, samples } = work;
  const random = mulberry32(seed);
  let inside = 0;
  for (let i = 0; i < samples; i++) {
    const x = random();
    const y = random();
    if (x * x + y * y <= 1) inside++;
  }
  return { seed, samples, inside };
}

/** The seeds of `tasks` tasks: `seed`, `seed + 1`, ... (modulo 2³²). */
export function seedsFrom(seed: number, tasks: number): number[] {
  return Array.from({ length: tasks }, (_, i) => (seed + i) >>> 0);
}

/** 4 × (points inside) / (points drawn), over every task's sample. */
export function estimatePi(samples: readonly Sample[]): number {
  const drawn = samples.reduce((n, s) => n + s.samples, 0);
  const inside = samples.reduce((n, s) => n + s.inside, 0);
  if (drawn === 0) throw new RangeError('no samples to estimate pi from');
  return (4 * inside) / drawn;
}

/** The estimate computed here, without a cluster, from the same seeds: what the framework must print. */
export function localEstimate(seed: number, tasks: number, samples: number): number {
  return estimatePi(seedsFrom(seed, tasks).map((s) => countInside({ seed: s, samples })));
}
