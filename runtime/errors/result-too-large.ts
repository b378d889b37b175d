import { CeleriacError } from "./celeriac-error.js";

/**
 * A task's result does not fit in one record of the result backend (a DynamoDB item holds
 * 400 KB). Deterministic: the worker stores the task as a FAILURE with this error rather
 * than running it again on every delivery. Return a smaller result, or a reference to
 * where the data is (an S3 key, say).
 */
export class ResultTooLargeError extends CeleriacError {}
