// Browsing a task's sandbox through the master's file proxy.
import { useEffect, useState, type ReactElement } from 'react';
import { browseFiles, downloadUrl } from '../api/http.js';
import { fmtBytes, fmtTime } from '../lib/format.js';
import { baseName, isDirectory, parentPath, sortEntries } from '../lib/sandbox.js';
import type { BrowseEntry } from '../lib/types.js';

/** Props of {@link SandboxBrowser}. */
export interface SandboxBrowserProps {
  agentId: string;
  /** The sandbox's top: the browser does not go above it. */
  root: string;
  /** Where browsing starts. */
  start: string;
  /** Shows a file's live tail. */
  onView: (path: string) => void;
}

export function SandboxBrowser(props: SandboxBrowserProps): ReactElement {
  const { agentId, root, start, onView } = props;
  const [dir, setDir] = useState(start);
  const [entries, setEntries] = useState<BrowseEntry[] | undefined>();
  const [error, setError] = useState('');
  useEffect(() => setDir(start), [start]);
  useEffect(() => {
    const abort = new AbortController();
    setEntries(undefined);
    browseFiles(agentId, dir, abort.signal).then(
      (list) => {
        setEntries(sortEntries(list));
        setError('');
      },
      (err: unknown) => {
        if (!abort.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => abort.abort();
  }, [agentId, dir]);
  const atTop = dir.replace(/\/+$/, '') === root.replace(/\/+$/, '') || !dir.startsWith(root);
  return (
    <div className="sandbox" data-testid="sandbox-browser" data-path={dir}>
      <div className="crumbs mono small">
        {dir}
        {atTop ? null : (
          <button type="button" data-testid="sandbox-up" onClick={() => setDir(parentPath(dir))}>
            up
          </button>
        )}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {entries === undefined ? (
        <p className="muted">loading…</p>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th>Name</th>
              <th>Size</th>
              <th>Modified</th>
              <th>Mode</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  empty
                </td>
              </tr>
            ) : null}
            {entries.map((e) => {
              const name = baseName(e.path);
              return (
                <tr key={e.path} data-testid={`sandbox-entry-${name}`}>
                  <td className="mono">
                    {isDirectory(e) ? (
                      <button type="button" className="link" onClick={() => setDir(e.path)}>
                        {name}/
                      </button>
                    ) : (
                      name
                    )}
                  </td>
                  <td>{isDirectory(e) ? '' : fmtBytes(e.size)}</td>
                  <td className="small">{fmtTime(e.mtime)}</td>
                  <td className="mono small">{e.mode}</td>
                  <td>
                    {isDirectory(e) ? null : (
                      <>
                        <button type="button" className="link" onClick={() => onView(e.path)}>
                          view
                        </button>{' '}
                        <a href={downloadUrl(agentId, e.path)}>download</a>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
