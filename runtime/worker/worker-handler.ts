import { processMessages } from "./batch.js";
import { TaskCounters } from "./metrics.js";
import type { SqsBatchResponse, SqsEvent } from "./sqs-event.js";
import type { WorkerHost, WorkerLogEntry } from "./worker-host.js";

/** What the worker handler is built from. */
export interface WorkerHandlerDeps {
  /** The app whose tasks run here, or a function that builds it once per container. */
  app: WorkerHost | (() => WorkerHost | Promise<WorkerHost>);
  /** Where log lines and metric lines go. @default console.log */
  writeLine?: (line: string) => void;
  /** Emit CloudWatch embedded-metric-format counts per task name. @default true */
  metrics?: boolean;
}

/** The part of Lambda's context the handler reads. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/** The Lambda handler for an SQS event source. */
export type WorkerHandler = (
  event: SqsEvent,
  context?: LambdaContextLike,
) => Promise<SqsBatchResponse>;

/** Seconds added to an invocation's remaining time for the lease of its claims. */
const LEASE_MARGIN_SECONDS = 10;

/**
 * Builds the Lambda handler for an SQS event source with `ReportBatchItemFailures`:
 * it runs the batch's records concurrently and returns exactly the records that must be
 * delivered again (unreadable ones, and those whose work could not be made durable).
 * One bad record never fails the others. The app (and its clients) is created once per
 * container, on the first event.
 *
 * @example
 * // handlers/worker.ts
 * export const handler = createWorkerHandler({ app });
 */
export function createWorkerHandler(deps: WorkerHandlerDeps): WorkerHandler {
  const writeLine = deps.writeLine ?? ((line: string) => console.log(line));
  let appPromise: Promise<WorkerHost> | undefined;
  const getApp = () => {
    appPromise ??= Promise.resolve(typeof deps.app === "function" ? deps.app() : deps.app);
    return appPromise;
  };

  return async (event: SqsEvent, context?: LambdaContextLike): Promise<SqsBatchResponse> => {
    const app = await getApp();
    // A claim made in this invocation lasts as long as the invocation can (a crash frees
    // it then), so the message's next delivery after the visibility timeout finds it free.
    const remaining = context?.getRemainingTimeInMillis();
    const leaseSeconds =
      remaining === undefined ? undefined : Math.ceil(remaining / 1000) + LEASE_MARGIN_SECONDS;
    const counters = new TaskCounters();
    const log = (entry: WorkerLogEntry) => {
      writeLine(JSON.stringify({ ...entry, level: entry.level.toUpperCase(), app: app.name }));
      if (entry.task && entry.state) counters.add(entry.task, entry.state as never);
      else if (entry.task && entry.level !== "info") counters.add(entry.task, "ERROR");
    };
    const results = await processMessages(
      app,
      event.Records.map((r) => ({
        messageId: r.messageId,
        body: r.body,
        receiveCount: Number(r.attributes.ApproximateReceiveCount ?? "1"),
        ...(leaseSeconds !== undefined ? { leaseSeconds } : {}),
      })),
      log,
    );
    if (deps.metrics !== false) for (const line of counters.toEmfLines(app.name)) writeLine(line);
    return {
      batchItemFailures: results.filter((r) => !r.ok).map((r) => ({ itemIdentifier: r.messageId })),
    };
  };
}
