import type { CliIo } from "./io.js";
import { println } from "./io.js";
import { isYes } from "./terminal.js";
import { CliUsageError } from "./usage-error.js";

/** What a destructive command says before it asks. */
export interface Confirmation {
  /** The command, for the usage error when there is no terminal to ask on. */
  command: string;
  /** What would be deleted, e.g. `every message waiting in celery`. */
  what: string;
  /** The warning's first line. */
  warning: string;
  /** The question, answered yes or no. */
  question: string;
}

/**
 * Asks before deleting, as Celery's `purge` does: prints the warning to stderr and
 * resolves whether the answer was yes. With no terminal to ask on it refuses with a
 * usage error that says to pass `-f`, rather than delete unasked or wait for input.
 *
 * @example
 * if (!values.force && !(await confirmDeletion(io, { command: "purge", ... }))) return 0;
 */
export async function confirmDeletion(io: CliIo, c: Confirmation): Promise<boolean> {
  if (!io.ask) {
    throw new CliUsageError(
      `refusing to delete ${c.what} without confirmation, and there is no terminal to ask on; pass -f to delete them.`,
      c.command,
    );
  }
  println(io.err, `WARNING: ${c.warning}`);
  println(io.err, "         There is no undo for this operation!");
  println(io.err, "(to skip this prompt use the -f option)");
  return isYes(await io.ask(`${c.question} (yes/NO)? `));
}
