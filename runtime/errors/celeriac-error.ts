/** Context that Celeriac attaches to its errors. */
export interface CeleriacErrorOptions {
  cause?: unknown;
  /** The task id the error is about, when there is one. */
  taskId?: string;
}

/**
 * The base class of every error Celeriac raises. Subclasses set `name`, so a caught
 * error can be told apart with `instanceof` or by `name` after a round trip.
 */
export class CeleriacError extends Error {
  readonly taskId: string | undefined;

  constructor(message: string, options: CeleriacErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.taskId = options.taskId;
  }
}
