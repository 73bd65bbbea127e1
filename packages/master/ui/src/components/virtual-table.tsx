// A virtualised table (rows as absolutely placed grid rows): only the rows in
// view are in the DOM, and each row is memoised on its row object, so a live
// update re-renders the rows that changed and nothing else.
import { memo, useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/** One column: its header, width (a CSS grid track) and cell. */
export interface Column<T> {
  id: string;
  header: ReactNode;
  /** A CSS grid track such as `2fr`, `120px` or `minmax(8rem, 1fr)`. */
  width: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

interface RowProps<T> {
  row: T;
  columns: readonly Column<T>[];
  template: string;
  top: number;
  height: number;
  testId: string | undefined;
  odd: boolean;
}

function RowView<T>({ row, columns, template, top, height, testId, odd }: RowProps<T>): ReactElement {
  return (
    <div
      role="row"
      className={odd ? 'vrow odd' : 'vrow'}
      data-testid={testId}
      style={{ gridTemplateColumns: template, transform: `translateY(${top}px)`, height }}
    >
      {columns.map((c) => (
        <div role="cell" key={c.id} className={c.className ? `vcell ${c.className}` : 'vcell'}>
          {c.cell(row)}
        </div>
      ))}
    </div>
  );
}

const Row = memo(RowView) as typeof RowView;

/** Props of {@link VirtualTable}. */
export interface VirtualTableProps<T> {
  count: number;
  /** Row `i`, or undefined while it is loading (a placeholder is shown). */
  rowAt: (i: number) => T | undefined;
  rowKey: (row: T) => string;
  rowTestId?: (row: T) => string;
  /** Stable across renders (useMemo), or every row re-renders. */
  columns: readonly Column<T>[];
  rowHeight?: number;
  /** Height of the scrolling body (CSS). */
  height?: string;
  /** Called with the first and last row index in view (overscan included) when they change. */
  onRange?: (start: number, end: number) => void;
  empty?: ReactNode;
  testId?: string;
}

/** A table that renders only the rows in view. */
export function VirtualTable<T>(props: VirtualTableProps<T>): ReactElement {
  const { count, rowAt, rowKey, rowTestId, columns, rowHeight = 34, height = '65vh', onRange, empty, testId } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const template = columns.map((c) => c.width).join(' ');
  const first = items[0]?.index ?? -1;
  const last = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (first >= 0) onRange?.(first, last);
  }, [first, last, count, onRange]);
  return (
    <div className="vtable" role="table" data-testid={testId} data-rows={count}>
      <div role="row" className="vhead" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div role="columnheader" key={c.id} className={c.className ? `vcell ${c.className}` : 'vcell'}>
            {c.header}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="vbody" style={{ maxHeight: height }}>
        {count === 0 ? (
          <div className="vempty">{empty ?? 'Nothing to show.'}</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              if (row === undefined) {
                return (
                  <div
                    key={`loading-${item.index}`}
                    className="vrow loading"
                    style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
                  >
                    <div className="vcell">loading…</div>
                  </div>
                );
              }
              return (
                <Row
                  key={rowKey(row)}
                  row={row}
                  columns={columns}
                  template={template}
                  top={item.start}
                  height={rowHeight}
                  testId={rowTestId?.(row)}
                  odd={item.index % 2 === 1}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
