/**
 * `celeriac/lambda`: what a Lambda worker's entry needs, the handler factory and the
 * SQS event types (as Powertools keeps its handler helpers apart from the core).
 *
 * @example
 * import { createWorkerHandler } from "celeriac/lambda";
 * import { app } from "./tasks.js";
 *
 * export const handler = createWorkerHandler({ app });
 */
export type { SqsBatchResponse, SqsEvent, SqsEventRecord } from "./worker/sqs-event.js";
export {
  createWorkerHandler,
  type LambdaContextLike,
  type WorkerHandler,
  type WorkerHandlerDeps,
} from "./worker/worker-handler.js";
