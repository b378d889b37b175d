export { SHARD_SIZE, shardCount, shardOf } from "./chord-counter.js";
export {
  DynamoDBBackend,
  type DynamoDBBackendOptions,
  type ResultLayout,
} from "./dynamodb-backend.js";
export type { EnsureTableOptions, WarningLogger } from "./ensure-table.js";
export {
  DynamoDBBackendError,
  type DynamoDBBackendErrorOptions,
  DynamoDBTableNotFoundError,
  DynamoDBThrottledError,
} from "./errors.js";
export { dynamodbBackendFromUrl, parseDynamoDBUrl, parseDynamoDBUrlParts } from "./from-url.js";
export { GROUP_PAGE_IDS } from "./group-records.js";
export type { BatchRetryOptions } from "./table.js";
