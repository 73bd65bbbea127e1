// The bounds of wire input: how long a string and how many entries of a list
// the master, the agent and the SDK accept. Each is generous for real use and
// small enough that one call cannot make a server do unbounded work or hold
// unbounded memory. docs/security.md ("Bounded input") lists them.

/** Longest ID we accept: IDs become directory names and znode names. */
export const MAX_ID_LENGTH = 255;
/** Longest free-text name (task, framework, host, user, principal, label key, variable name) we accept. */
export const MAX_NAME_LENGTH = 1024;
/**
 * Longest text value (a command, one argument, a variable's value, a label's
 * value, a URI, a status message): 64 KiB characters. A shell command longer
 * than that belongs in a fetched script.
 */
export const MAX_TEXT_LENGTH = 64 * 1024;
/**
 * Largest `data` of an executor's MESSAGE for its framework (1 MiB): the agent
 * refuses a larger one, the master drops one it is handed, so that a message
 * always fits in a gRPC frame with room to spare. Also the bound of a task's
 * and a status update's `data`.
 */
export const MAX_MESSAGE_DATA_BYTES = 1024 * 1024;
/** Arguments of one command (argv form). */
export const MAX_ARGUMENTS = 4096;
/** Environment variables of one command. */
export const MAX_ENV_VARIABLES = 4096;
/** URIs a command fetches. */
export const MAX_URIS = 1024;
/** Labels of a task, executor, framework or status. */
export const MAX_LABELS = 1024;
/** Attributes of an agent. */
export const MAX_ATTRIBUTES = 1024;
/** Entries of one resource list (a task's, an executor's, an agent's total). */
export const MAX_RESOURCES = 1024;
/** Ranges of one ranges resource, or items of one set resource (e.g. single ports listed one by one). */
export const MAX_RANGES = 10_000;
/** Roles of a framework, or of one REVIVE / SUPPRESS / SUBSCRIBE's suppressed roles. */
export const MAX_ROLES = 1024;
/** Volumes and port mappings of one container. */
export const MAX_CONTAINER_ENTRIES = 1024;
/** Tasks launched by one ACCEPT (all on one agent). */
export const MAX_TASKS_PER_ACCEPT = 10_000;
/** Operations of one ACCEPT. */
export const MAX_OPERATIONS_PER_ACCEPT = 10_000;
/** Offer IDs of one ACCEPT or DECLINE. */
export const MAX_OFFER_IDS_PER_CALL = 10_000;
/** Decline reasons of one DECLINE (kept by the master for the UI). */
export const MAX_DECLINE_REASONS = 1024;
/** Tasks of one explicit RECONCILE. */
export const MAX_RECONCILE_TASKS = 100_000;
/** Tasks an agent reports when it (re-)registers. */
export const MAX_AGENT_TASKS = 100_000;
/** Frameworks an agent reports when it (re-)registers. */
export const MAX_AGENT_FRAMEWORKS = 10_000;
/** Longest acknowledgement UUID (16 bytes in practice). */
export const MAX_UUID_BYTES = 64;

/** Every bound, by name, for documentation and error messages. */
export const WIRE_LIMITS = {
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_MESSAGE_DATA_BYTES,
  MAX_ARGUMENTS,
  MAX_ENV_VARIABLES,
  MAX_URIS,
  MAX_LABELS,
  MAX_ATTRIBUTES,
  MAX_RESOURCES,
  MAX_RANGES,
  MAX_ROLES,
  MAX_CONTAINER_ENTRIES,
  MAX_TASKS_PER_ACCEPT,
  MAX_OPERATIONS_PER_ACCEPT,
  MAX_OFFER_IDS_PER_CALL,
  MAX_DECLINE_REASONS,
  MAX_RECONCILE_TASKS,
  MAX_AGENT_TASKS,
  MAX_AGENT_FRAMEWORKS,
  MAX_UUID_BYTES,
} as const;
