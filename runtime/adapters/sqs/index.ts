export {
  type DeadLetter,
  type DeadLetterCounts,
  type DeadLetterQueue,
  MissingDeadLetterQueueError,
  RedriveError,
  type RedriveMethod,
  type RedriveOptions,
  type RedriveResult,
} from "./dead-letter-types.js";
export { DeadLetterQueues, deadLetterQueuesOf, type PeekResult } from "./dead-letters.js";
export type { EnsureQueuesOptions, WarnLogger } from "./ensure-queues.js";
export { AckError, type AckFailure } from "./errors.js";
export {
  MAX_BATCH_BYTES,
  MAX_BATCH_ENTRIES,
  type RetryPolicy,
  SqsPublishError,
  type UnsentMessage,
} from "./publish.js";
export { sanitiseQueueName } from "./queue-names.js";
export { QUEUE_URLS_ENV } from "./queue-urls.js";
export { SqsBroker, type SqsBrokerOptions } from "./sqs-broker.js";
