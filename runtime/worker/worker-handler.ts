import type { TerminalMeta } from "../ports/task-meta.js";
import { processMessages } from "./batch.js";
import { TaskCounters } from "./metrics.js";
import { withTransientRetries } from "./retrying-host.js";
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
  /**
   * Keep each running record's message hidden (a visibility heartbeat at a third of the
   * queue's visibility timeout), and lease claims for that timeout. Lambda needs none:
   * AWS requires a queue's visibility timeout to be longer than the function's timeout.
   * The local worker turns it on. @default false
   */
  heartbeat?: boolean;
}

/** The part of Lambda's context the handler reads. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
  /** The invocation's request id, logged as `function_request_id`. */
  awsRequestId?: string;
}

/** The Lambda handler for an SQS event source. */
export type WorkerHandler = (
  event: SqsEvent,
  context?: LambdaContextLike,
) => Promise<SqsBatchResponse>;

/** Seconds added to an invocation's remaining time for the lease of its claims. */
const LEASE_MARGIN_SECONDS = 10;
/** How long transient faults are retried within a batch when no invocation deadline is known. */
const DEFAULT_RETRY_BUDGET_MS = 30_000;
/** Time kept back from the retries for reporting and releasing the batch's records. */
const RETRY_RESERVE_MS = 2_000;
/** Attempts of each backend or broker call within a delivery, the first included. */
const RETRY_ATTEMPTS = 6;
/** Results kept for redelivery after their write failed (see `Delivery.unsaved`), at most. */
const MAX_UNSAVED = 1_000;

/**
 * Builds the Lambda handler for an SQS event source with `ReportBatchItemFailures`:
 * it runs the batch's records concurrently and returns exactly the records that must be
 * delivered again (unreadable ones, and those whose work could not be made durable).
 * One bad record never fails the others. Transient faults of the backend and the broker
 * (throttling, 5xx, timeouts) are retried with jittered backoff within the invocation's
 * remaining time; a record that still fails is released to come back in 1, 2, 4 … s
 * rather than after the visibility timeout. The app (and its clients) is created once per
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
  const unsaved = new BoundedMap<string, TerminalMeta>(MAX_UNSAVED);
  let first = true;
  if (typeof deps.app !== "function") prepareTransports(deps.app);

  return async (event: SqsEvent, context?: LambdaContextLike): Promise<SqsBatchResponse> => {
    const started = Date.now();
    const app = await getApp();
    const queue = routingKeyOf(app, event.Records[0]?.eventSourceARN);
    const visibility =
      deps.heartbeat === true && queue !== undefined
        ? await app.broker.visibilityTimeoutOf?.(queue)
        : undefined;
    const remaining = context?.getRemainingTimeInMillis();
    // A claim made in this invocation lasts as long as the invocation can (a crash frees
    // it then), or as long as the message stays hidden where a heartbeat renews both.
    const leaseSeconds =
      remaining !== undefined ? Math.ceil(remaining / 1000) + LEASE_MARGIN_SECONDS : visibility;
    const budget =
      remaining ?? (visibility !== undefined ? visibility * 1000 : DEFAULT_RETRY_BUDGET_MS);
    const counters = new TaskCounters();
    const coldStart = first;
    first = false;
    const log = (entry: WorkerLogEntry) => {
      // Powertools' keys first (level, message, timestamp, service), then the task's.
      const { level, message, ...rest } = entry;
      writeLine(
        JSON.stringify({
          level: level.toUpperCase(),
          message,
          timestamp: new Date().toISOString(),
          service: app.name,
          cold_start: coldStart,
          ...(context?.awsRequestId ? { function_request_id: context.awsRequestId } : {}),
          ...rest,
          app: app.name,
        }),
      );
      if (entry.task && entry.state) counters.add(entry.task, entry.state as never);
      else if (entry.task && entry.level !== "info") counters.add(entry.task, "ERROR");
    };
    const host = withTransientRetries(app, {
      deadline: started + Math.max(0, budget - RETRY_RESERVE_MS),
      // about 1.5 s of waits in all: a fault that outlasts them is better met by a release
      // (1, 2, 4 … s) than by holding the record here
      maxAttempts: RETRY_ATTEMPTS,
      maxDelayMs: 1_000,
    });
    const results = await processMessages(
      host,
      event.Records.map((r) => ({
        messageId: r.messageId,
        body: r.body,
        receiveCount: Number(r.attributes.ApproximateReceiveCount ?? "1"),
        receiptHandle: r.receiptHandle,
        ...(queue !== undefined ? { queue } : {}),
        ...(leaseSeconds !== undefined ? { leaseSeconds } : {}),
      })),
      log,
      {
        releaseFailures: queue !== undefined,
        unsaved,
        ...(visibility !== undefined ? { heartbeatSeconds: visibility } : {}),
      },
    );
    if (deps.metrics !== false) for (const line of counters.toEmfLines(app.name)) writeLine(line);
    return {
      batchItemFailures: results.filter((r) => !r.ok).map((r) => ({ itemIdentifier: r.messageId })),
    };
  };
}

/**
 * The routing key of the queue an event came from: the app's key whose queue name is the
 * last part of the record's `eventSourceARN`. `undefined` for a queue the app does not
 * declare (its records are then left to the visibility timeout).
 */
function routingKeyOf(app: WorkerHost, arn: string | undefined): string | undefined {
  const name = arn?.split(":").pop();
  if (name === undefined) return undefined;
  // the local worker's events name the routing key itself
  return app.router.queues.find((key) => key === name || app.broker.queueName?.(key) === name);
}

/** A map that forgets its oldest entries beyond `limit`. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    while (this.size > this.limit) this.delete(this.keys().next().value as K);
    return this;
  }
}

/**
 * Starts loading the app's transports (the AWS SDK behind `sqs://` and `dynamodb://`)
 * while the container starts, instead of on its first event. A load that fails is not
 * reported here: the first event's requests meet the same failure and report it.
 */
function prepareTransports(app: WorkerHost): void {
  for (const port of [app.broker, app.backend]) {
    void Promise.resolve()
      .then(() => port.prepare?.())
      .catch(() => undefined);
  }
}
