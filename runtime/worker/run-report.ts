import type { StoredError } from "../errors/error-codec.js";
import type { TerminalMeta } from "../ports/task-meta.js";

/** What one run of a task message came to, beyond its outcome: what the log line says. */
export interface RunReport {
  /** The terminal record this run stored (or, with `ignoreResult`, would have). */
  record?: TerminalMeta;
  /** The task asked to retry: the error that caused it, and the seconds until it runs again. */
  retry?: { error: StoredError; traceback: string | null; countdown: number };
  /** The message was sent on instead of run: not due yet, or claimed by another run. */
  reparked?: "not due" | "claimed";
  /** When the message sent on comes back (ISO 8601). */
  eta?: string;
}
