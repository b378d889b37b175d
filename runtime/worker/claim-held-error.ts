import { CeleriacError } from "../errors/celeriac-error.js";

/**
 * Another run holds this task's claim and this delivery may be the crashed run's own
 * message: leave it to the visibility timeout, and try again when the lease has run out.
 */
export class ClaimHeldError extends CeleriacError {
  constructor(taskId: string) {
    super(`Task ${taskId} is claimed by another run; the message will be delivered again.`, {
      taskId,
    });
  }
}
