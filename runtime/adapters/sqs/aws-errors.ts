/**
 * Reading AWS SDK errors without depending on their classes: emulators and protocols
 * spell some names differently (fauxqs reports `AWS.SimpleQueueService.QueueNameExists`
 * where the SDK model says `QueueNameExists`).
 */

/** The error's name with any `AWS.SimpleQueueService.` prefix removed, or `undefined`. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // Node's network errors are named `Error` and carry their kind in `code` (ENOTFOUND, ...).
  if (name === "Error" && typeof code === "string") return code;
  if (typeof name !== "string") return undefined;
  return name.replace(/^AWS\.SimpleQueueService\./, "");
}

/** A short `Name: message` description of an error, for messages that name a cause. */
export function describeAwsError(error: unknown): string {
  const name = awsErrorName(error) ?? "Error";
  const message = error instanceof Error ? error.message : String(error);
  return message ? `${name}: ${message}` : name;
}

/** True when SQS says the queue does not exist (`QueueDoesNotExist`, `NonExistentQueue`). */
export function isQueueMissing(error: unknown): boolean {
  return isQueueMissingCode(awsErrorName(error));
}

/** True when an error name (as {@link awsErrorName} gives it) says the queue does not exist. */
export function isQueueMissingCode(code: string | undefined): boolean {
  return code === "QueueDoesNotExist" || code === "NonExistentQueue";
}

/** True when CreateQueue found a queue of that name with different attributes. */
export function isQueueNameTaken(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "QueueNameExists" || name === "QueueAlreadyExists";
}

/** True when a receipt handle no longer designates an in-flight message. */
export function isNotInflight(error: unknown): boolean {
  return awsErrorName(error) === "MessageNotInflight";
}
