import { CeleriacError, type CeleriacErrorOptions } from "./celeriac-error.js";

/**
 * An error raised by a task in a worker whose class is not known in this process.
 * `name` is the task error's own name (for example `ValidationError`), `message` its
 * own message, and `remoteStack` the worker's stack.
 */
export class TaskError extends CeleriacError {
  remoteStack: string | undefined;

  constructor(
    name: string,
    message: string,
    options: CeleriacErrorOptions & { remoteStack?: string } = {},
  ) {
    super(message, options);
    this.name = name;
    this.remoteStack = options.remoteStack;
  }
}

/**
 * A chord's body could not run because a header task failed. The message names the
 * failed dependency: `Dependency <task-id> raised TypeError('...')`.
 */
export class ChordError extends CeleriacError {}

/** `get()` or `join()` waited longer than its `timeout`. */
export class TimeoutError extends CeleriacError {}

/** A message named a task that this worker does not have in its registry. */
export class NotRegistered extends CeleriacError {}

/** A task asked to retry more often than its `maxRetries` allows. */
export class MaxRetriesExceededError extends CeleriacError {}

/** The task was revoked, or it arrived after its `expires` time, and did not run. */
export class TaskRevokedError extends CeleriacError {}

/**
 * Thrown by `this.retry()` inside a task: control flow that tells the worker to
 * publish the task again. Do not catch it in task code.
 */
export class Retry extends CeleriacError {
  constructor(
    message: string,
    readonly countdown: number,
    readonly exc: unknown,
    options: CeleriacErrorOptions = {},
  ) {
    super(message, options);
  }
}
