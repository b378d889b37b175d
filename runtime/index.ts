/**
 * Celeriac: Celery's tasks and Canvas on serverless AWS (SQS, Lambda, DynamoDB).
 * This entry re-exports the public API; see API.md for the contract.
 */
import { awsTransports } from "#aws-transports";
import { memoryTransports } from "./adapters/memory-transports.js";
import { useTransports } from "./app/transports.js";
import "./canvas/kinds.js";

// The URL schemes an app can name: memory://, sqs:// and dynamodb://. `#aws-transports`
// (package.json "imports") is chosen by who loads the package. Node gets the on-demand
// transports (aws-transports-on-demand.ts): the AWS SDK loads at an app's first request
// through sqs:// or dynamodb://, so a process on memory:// never loads it. A bundler
// (the "module" condition: esbuild, webpack, rollup, vite) gets aws-transports.ts, which
// imports the SDK with the package: a dynamic import would make esbuild wrap the SDK and
// stop tree-shaking it, about a tenth more bundle and a fifth more import time for every
// Lambda worker (see bench:cold-start), and a worker uses the SDK at once anyway.
useTransports(memoryTransports);
useTransports(awsTransports);

export { MemoryBackend, type MemoryBackendOptions } from "./adapters/memory/memory-backend.js";
export { MemoryBroker, type MemoryBrokerOptions } from "./adapters/memory/memory-broker.js";
export { Celery, type CeleryOptions } from "./app/celery.js";
export type { RouterFunction, RouteTarget, TaskRoutes } from "./app/routing.js";
export { registerBackend, registerBroker } from "./app/transports.js";
export type { WireOptions, WireProtocol } from "./app/wire.js";
export { chain, chord, group } from "./canvas/builders.js";
export { Chain } from "./canvas/chain.js";
export { Chord } from "./canvas/chord.js";
export { Group } from "./canvas/group.js";
export type { CallOptions, SignatureOptions } from "./canvas/options.js";
export {
  type AnySignature,
  type ArgsOf,
  type HandleOf,
  type ResultOf,
  Signature,
} from "./canvas/signature.js";
export { signature } from "./canvas/signature-function.js";
export type { SignatureJSON, SubtaskType } from "./canvas/signature-json.js";
export { Chunks, xmap, xstarmap } from "./canvas/xmap.js";
export {
  CanvasError,
  CeleriacError,
  ChordError,
  ConfigurationError,
  MaxRetriesExceededError,
  MessageFormatError,
  MessageTooLargeError,
  NotRegistered,
  PublishError,
  ResultTooLargeError,
  Retry,
  SerializationError,
  TaskError,
  TaskRevokedError,
  TimeoutError,
  UnknownQueueError,
} from "./errors/index.js";
export type { Broker, OutgoingMessage, ReceivedMessage } from "./ports/broker.js";
export type { ChordPart, ChordProgress, ResultBackend } from "./ports/result-backend.js";
export type { ResultRef, TaskMeta } from "./ports/task-meta.js";
export { AsyncResult, type GetOptions, type ResultHandle } from "./results/async-result.js";
export { EagerResult } from "./results/eager-result.js";
export { DependencyGraph } from "./results/graph.js";
export { GroupResult } from "./results/group-result.js";
export { states, type TaskState } from "./results/states.js";
export type { Task } from "./task/task.js";
export type { RequestInfo, RetryOptions, TaskContext } from "./task/task-context.js";
export type { TaskOptions } from "./task/task-options.js";
export { type IncomingMessage, type MessageResult, processMessages } from "./worker/batch.js";
export { LocalWorker, type LocalWorkerOptions, toSqsEvent } from "./worker/local-worker.js";
export type { SqsBatchResponse, SqsEvent, SqsEventRecord } from "./worker/sqs-event.js";
export {
  createWorkerHandler,
  type LambdaContextLike,
  type WorkerHandler,
  type WorkerHandlerDeps,
} from "./worker/worker-handler.js";
