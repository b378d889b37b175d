/**
 * `celeriac/cdk`: the Celeriac CDK construct, the queues, workers and results table of
 * one Celery app. Needs `aws-cdk-lib`, `constructs` and `esbuild` in the project.
 *
 * @example
 * import { CeleriacService } from "celeriac/cdk";
 * import { app } from "../src/tasks.js";
 *
 * const service = new CeleriacService(stack, "Tasks", { app, tasksModule: "src/tasks.ts" });
 */
export type { CeleryAppInfo } from "./app-source.js";
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
export type { CeleriacGrant, CeleriacGrantee, EnvironmentTarget } from "./grantee.js";
export { CeleriacService, type GrantSendOptions } from "./service.js";
export { PARTITION_KEY, TTL_ATTRIBUTE } from "./table.js";
