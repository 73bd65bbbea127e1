// A button that asks before it acts, shows that it is working, and shows the master's error if it fails.
import { useState, type ReactElement, type ReactNode } from 'react';

/** Props of {@link ConfirmButton}. */
export interface ConfirmButtonProps {
  label: string;
  /** The question asked before acting. */
  question: string;
  /** `data-testid` of the button; the confirm and cancel buttons get `-confirm` and `-cancel`. */
  testId: string;
  onConfirm: () => Promise<void>;
  danger?: boolean;
  /** Extra choices shown with the question (checkboxes, ...). */
  children?: ReactNode;
}

/** Click, then confirm (or cancel); errors stay shown until the next try. */
export function ConfirmButton(props: ConfirmButtonProps): ReactElement {
  const [phase, setPhase] = useState<'idle' | 'asking' | 'busy'>('idle');
  const [error, setError] = useState('');
  const run = (): void => {
    setPhase('busy');
    setError('');
    props.onConfirm().then(
      () => setPhase('idle'),
      (err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        setPhase('idle');
      },
    );
  };
  if (phase === 'asking') {
    return (
      <span className="confirm" role="group" aria-label={props.question}>
        <span>{props.question}</span>
        {props.children}
        <button
          type="button"
          className={props.danger ? 'danger' : ''}
          data-testid={`${props.testId}-confirm`}
          onClick={run}
        >
          Yes
        </button>
        <button type="button" data-testid={`${props.testId}-cancel`} onClick={() => setPhase('idle')}>
          No
        </button>
      </span>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className={props.danger ? 'danger' : ''}
        data-testid={props.testId}
        disabled={phase === 'busy'}
        onClick={() => setPhase('asking')}
      >
        {phase === 'busy' ? `${props.label}…` : props.label}
      </button>
      {error ? (
        <span className="error" role="alert" data-testid={`${props.testId}-error`}>
          {error}
        </span>
      ) : null}
    </span>
  );
}
