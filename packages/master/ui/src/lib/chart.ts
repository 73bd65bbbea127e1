// The allocation chart's geometry: samples to SVG polyline points. Pure.
import { SCALARS, type AllocationSample, type Scalar } from './types.js';

/** Sample times in seconds, whether the master sends seconds or milliseconds. */
export function sampleSecs(time: number): number {
  return time > 1e11 ? time / 1000 : time;
}

/** The chart's size and time window. */
export interface ChartBox {
  width: number;
  height: number;
  /** Seconds shown, ending at the newest sample. */
  windowSecs: number;
}

/** Polyline `points` per resource ('' with fewer than one sample in the window). */
export function chartLines(samples: readonly AllocationSample[], box: ChartBox): Record<Scalar, string> {
  const lines: Record<Scalar, string[]> = { cpus: [], mem: [], disk: [], gpus: [] };
  const last = samples[samples.length - 1];
  if (last !== undefined) {
    const end = sampleSecs(last.time);
    const start = end - box.windowSecs;
    for (const s of samples) {
      const t = sampleSecs(s.time);
      if (t < start) continue;
      const x = ((t - start) / box.windowSecs) * box.width;
      for (const name of SCALARS) {
        const v = Math.min(1, Math.max(0, Number.isFinite(s[name]) ? s[name] : 0));
        lines[name].push(`${round(x)},${round(box.height - v * box.height)}`);
      }
    }
  }
  return {
    cpus: lines.cpus.join(' '),
    mem: lines.mem.join(' '),
    disk: lines.disk.join(' '),
    gpus: lines.gpus.join(' '),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
