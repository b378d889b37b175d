/** The Celeriac CDK construct: queues, workers and the results table of one Celery app. */
export { defaultProjectRoot, workerEntrySource, writeWorkerEntry } from "./entry.js";
export {
  CeleriacFunction,
  type CeleriacFunctionProps,
  celeriacBundling,
  type FunctionSource,
} from "./functions.js";
export {
  CONSUME_ACTIONS,
  LOG_ACTIONS,
  SEND_ACTIONS,
  TABLE_GROUP_SAVE_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WORKER_ACTIONS,
} from "./grants.js";
export {
  type CeleriacServiceProps,
  CeleriacServicePropsError,
  newestNodeRuntime,
  type ResolvedProps,
} from "./props.js";
export { DLQ_RETENTION, MAX_MESSAGE_SIZE_BYTES, type RoutingKeyQueues } from "./queues.js";
export { CeleriacService, type GrantSendOptions } from "./service.js";
export { PARTITION_KEY, TTL_ATTRIBUTE } from "./table.js";
