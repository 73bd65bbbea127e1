// A live tail of a sandbox file: reads from the last offset about once a
// second while it is on screen (and at once while there is more to read).
import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import { downloadUrl, readFile } from '../api/http.js';
import { appendChunk, TAIL_READ_BYTES, tailStart, type TailState } from '../lib/tail.js';

const POLL_MS = 1000;

/** Props of {@link LogTail}. */
export interface LogTailProps {
  agentId: string;
  /** The file's path below the agent's sandboxes root. */
  path: string;
  testId: string;
  title: string;
  onClose?: () => void;
}

export function LogTail(props: LogTailProps): ReactElement {
  const { agentId, path } = props;
  const [tail, setTail] = useState<TailState | undefined>();
  const [error, setError] = useState('');
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const abort = new AbortController();
    let state: TailState | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setTail(undefined);
    setError('');
    const step = async (): Promise<boolean> => {
      if (!state) state = tailStart((await readFile(agentId, path, -1, 0, abort.signal)).offset);
      const chunk = await readFile(agentId, path, state.offset, TAIL_READ_BYTES, abort.signal);
      const next = appendChunk(state, chunk);
      const more = chunk.data.length > 0;
      state = next;
      setTail(next);
      setError('');
      return more;
    };
    const loop = (): void => {
      if (abort.signal.aborted) return;
      if (document.hidden) {
        timer = setTimeout(loop, POLL_MS);
        return;
      }
      step().then(
        (more) => {
          if (!abort.signal.aborted) timer = setTimeout(loop, more ? 0 : POLL_MS);
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          setError(err instanceof Error ? err.message : String(err));
          timer = setTimeout(loop, POLL_MS * 2);
        },
      );
    };
    loop();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [agentId, path]);

  // Follow the end unless the reader scrolled up.
  useLayoutEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [tail?.text]);

  return (
    <div className="tail">
      <div className="tail-head">
        <strong>{props.title}</strong>
        <span className="muted small mono">{path}</span>
        <a href={downloadUrl(agentId, path)} className="small">
          download
        </a>
        {props.onClose ? (
          <button type="button" onClick={props.onClose}>
            close
          </button>
        ) : null}
        {tail?.clipped ? <span className="muted small">(showing the end)</span> : null}
        {error ? (
          <span className="error small" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <pre
        ref={pre}
        className="log"
        data-testid={props.testId}
        data-offset={tail?.offset ?? -1}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {tail ? tail.text || '(empty)' : 'loading…'}
      </pre>
    </div>
  );
}
