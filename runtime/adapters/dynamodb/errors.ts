import { CeleriacError, type CeleriacErrorOptions } from "../../errors/celeriac-error.js";

/** Context that DynamoDB backend errors carry. */
export interface DynamoDBBackendErrorOptions extends CeleriacErrorOptions {
  /** The table the failed request was for. */
  tableName?: string;
  /** The DynamoDB operation that failed, e.g. `PutItem`. */
  operation?: string;
}

/**
 * The DynamoDB result backend could not do what was asked: a batch that stayed
 * unprocessed, a record too large for one item, a chord part out of range, a table with
 * the wrong key schema. `cause` holds the SDK error when there is one.
 */
export class DynamoDBBackendError extends CeleriacError {
  readonly tableName: string | undefined;
  readonly operation: string | undefined;

  constructor(message: string, options: DynamoDBBackendErrorOptions = {}) {
    super(message, options);
    this.tableName = options.tableName;
    this.operation = options.operation;
  }
}

/**
 * DynamoDB kept throttling a request (`ThrottlingException`,
 * `ProvisionedThroughputExceededException`, `RequestLimitExceeded`) through every
 * attempt the SDK client was configured to make (one, when its retries are off). The
 * operation did not happen; the message carrying the work will be delivered again, or
 * the caller may retry later.
 */
export class DynamoDBThrottledError extends DynamoDBBackendError {}

/**
 * The results table does not exist (DynamoDB's `ResourceNotFoundException`). The
 * message names the table, the operation and how to create the table; `cause` holds
 * the SDK error.
 */
export class DynamoDBTableNotFoundError extends DynamoDBBackendError {}
