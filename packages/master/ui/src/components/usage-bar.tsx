// A horizontal bar of used and offered against total.
import type { ReactElement } from 'react';
import { fmtPercent } from '../lib/format.js';

/** Used (solid) and offered (light) shares of `total`. */
export function UsageBar(props: { used: number; offered: number; total: number; testId?: string }): ReactElement {
  const { used, offered, total, testId } = props;
  const share = (n: number): number => (total > 0 ? Math.min(1, Math.max(0, n / total)) : 0);
  const u = share(used);
  const o = Math.min(1 - u, share(offered));
  return (
    <div
      className="bar"
      data-testid={testId}
      title={`used ${fmtPercent(u)}, offered ${fmtPercent(o)}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={1}
      aria-valuenow={u}
    >
      <span className="bar-used" style={{ width: `${u * 100}%` }} />
      <span className="bar-offered" style={{ width: `${o * 100}%` }} />
    </div>
  );
}
