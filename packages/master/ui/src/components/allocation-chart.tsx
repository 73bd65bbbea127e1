// The overview's live chart: the share of each resource allocated, over the last minutes.
import type { ReactElement } from 'react';
import { chartLines } from '../lib/chart.js';
import { SCALARS, type AllocationSample } from '../lib/types.js';

const WIDTH = 600;
const HEIGHT = 160;
const COLORS = { cpus: '#2f6fdf', mem: '#d9822b', disk: '#3a9a5b', gpus: '#9b4dca' } as const;

/** Allocation (used by tasks) as a share of the total, per resource, as the master samples it each second. */
export function AllocationChart(props: { samples: readonly AllocationSample[]; windowSecs?: number }): ReactElement {
  const windowSecs = props.windowSecs ?? 300;
  const lines = chartLines(props.samples, { width: WIDTH, height: HEIGHT, windowSecs });
  const latest = props.samples[props.samples.length - 1];
  return (
    <figure className="chart" data-testid="allocation-chart" data-samples={props.samples.length}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="allocation chart">
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={WIDTH} y1={HEIGHT * f} y2={HEIGHT * f} className="grid" />
        ))}
        {SCALARS.map((name) =>
          lines[name] ? (
            <polyline
              key={name}
              points={lines[name]}
              fill="none"
              stroke={COLORS[name]}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
              data-testid={`chart-line-${name}`}
            />
          ) : null,
        )}
      </svg>
      <div className="axis">
        <span>-{Math.round(windowSecs / 60)} min</span>
        <span>now</span>
      </div>
      <figcaption>
        {SCALARS.map((name) => (
          <span key={name} className="legend">
            <span className="swatch" style={{ background: COLORS[name] }} />
            {name} {latest ? `${Math.round((latest[name] ?? 0) * 100)}%` : ''}
          </span>
        ))}
        <span className="muted">share of the cluster used by tasks; 100% at the top</span>
      </figcaption>
    </figure>
  );
}
