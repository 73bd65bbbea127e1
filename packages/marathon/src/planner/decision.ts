// The answer of every step-execution function: which instances to kill now,
// how many new ones to launch now, and whether the action is finished.

/** What to do next for one app. */
export interface Decision {
  /** Instance ids to kill now. */
  readonly kill: readonly string[];
  /** New instances (of the target config) to launch now. */
  readonly start: number;
  /** True when the action has reached its goal and the step may move on. */
  readonly done: boolean;
  /** Why nothing more happens now (for "why is my deployment stuck"), when something is pending. */
  readonly waiting?: string;
}
