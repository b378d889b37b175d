import { CeleriacError, type CeleriacErrorOptions } from "../../errors/celeriac-error.js";

/** One receipt handle SQS would not delete, and why. */
export interface AckFailure {
  receiptHandle: string;
  code: string;
  message: string;
}

/**
 * Acknowledging (deleting) some received messages failed. They stay in flight and come
 * back after their visibility timeout, so their tasks may run again (at least once).
 */
export class AckError extends CeleriacError {
  /** The handles that were not deleted, with SQS's code and message for each. */
  readonly failures: readonly AckFailure[];

  constructor(message: string, failures: readonly AckFailure[], options?: CeleriacErrorOptions) {
    super(message, options);
    this.failures = failures;
  }
}
