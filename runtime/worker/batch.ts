import type { TaskRequest } from "../message/task-request.js";
import type { TaskMeta, TerminalMeta } from "../ports/task-meta.js";
import { decodeIncoming } from "./decode-incoming.js";
import { executeRequest, type Outcome } from "./execute.js";
import { prefetchStates } from "./prefetch.js";
import type { RunReport } from "./run-report.js";
import { taskLogEntry } from "./task-log.js";
import { keepHiddenWhile, redeliveryDelaySeconds } from "./visibility.js";
import type { WorkerHost, WorkerLogEntry } from "./worker-host.js";

/** One received message, as a local worker or an SQS event record gives it. */
export interface IncomingMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  /** Seconds a claim made while running it lasts (see `Delivery.leaseSeconds`). */
  leaseSeconds?: number;
  /** The routing key of the queue it came from, and its handle there: to release it early or keep it hidden. */
  queue?: string;
  receiptHandle?: string;
}

/** What became of one message: done (delete it) or not (deliver it again). */
export interface MessageResult {
  messageId: string;
  ok: boolean;
  outcome?: Outcome;
  error?: unknown;
  /** Seconds until a message that is not ok is delivered again, when it was released early. */
  redeliveryDelaySeconds?: number;
}

/** How a batch treats its messages' visibility. */
export interface BatchOptions {
  /**
   * The queue's visibility timeout, to keep running messages hidden: each is extended to
   * it every third of it while its task runs. @default no heartbeat
   */
  heartbeatSeconds?: number;
  /**
   * Release a message that is not ok early (`ChangeMessageVisibility` to 1, 2, 4 … s by
   * receive count) instead of leaving it to the visibility timeout. @default false
   */
  releaseFailures?: boolean;
  /** Kept across batches: see `Delivery.unsaved`. */
  unsaved?: Map<string, TerminalMeta>;
}

export type WorkerLogger = (entry: WorkerLogEntry) => void;

/** A message read: its request, or why it could not be read. */
type Decoded = { req: TaskRequest } | { error: unknown };

/**
 * Runs a batch of messages concurrently. The task states of the batch's requests are read
 * in one batched read first (see `prefetch.ts`); each run decides on its own record as it
 * would with its own read. A message that cannot be read, or whose work could not be made
 * durable, is reported as not ok (never dropped): the transport delivers it again and,
 * after `maxReceiveCount`, moves it to the dead-letter queue.
 */
export async function processMessages(
  host: WorkerHost,
  messages: readonly IncomingMessage[],
  log: WorkerLogger = () => {},
  options: BatchOptions = {},
): Promise<MessageResult[]> {
  const decoded = messages.map((m): Decoded => {
    try {
      // Celeriac's envelope, or a Celery (kombu) task message: see decode-incoming.ts.
      return { req: decodeIncoming(host, m.body, m.queue) };
    } catch (error) {
      return { error };
    }
  });
  const requests = decoded.flatMap((d) => ("req" in d ? [d.req] : []));
  const known = await prefetchStates(host, requests, log);
  return Promise.all(
    messages.map((m, i) => processOne(host, m, decoded[i] as Decoded, known, log, options)),
  );
}

async function processOne(
  host: WorkerHost,
  m: IncomingMessage,
  decoded: Decoded,
  known: ReadonlyMap<string, TaskMeta> | undefined,
  log: WorkerLogger,
  options: BatchOptions,
): Promise<MessageResult> {
  const started = Date.now();
  if ("error" in decoded) {
    log({
      level: "error",
      message: `Unreadable message ${m.messageId} left for redelivery and the dead-letter queue`,
      error: (decoded.error as Error).message,
    });
    return notOk(host, m, decoded.error, log, options);
  }
  const { req } = decoded;
  let report: RunReport = {};
  try {
    const run = executeRequest(host, req, {
      ...(known ? { known: { meta: known.get(req.id) } } : {}),
      report: (r) => {
        report = r;
      },
      receiveCount: m.receiveCount,
      messageId: m.messageId,
      ...(m.leaseSeconds !== undefined ? { leaseSeconds: m.leaseSeconds } : {}),
      ...(options.unsaved ? { unsaved: options.unsaved } : {}),
    });
    const { queue, receiptHandle } = m;
    const heartbeat = options.heartbeatSeconds;
    const outcome =
      heartbeat !== undefined && queue !== undefined && receiptHandle !== undefined
        ? await keepHiddenWhile(
            run,
            () => host.broker.release(queue, receiptHandle, heartbeat),
            (heartbeat * 1000) / 3,
            (error) =>
              log({
                level: "warn",
                message: `could not extend the visibility of message ${m.messageId}`,
                task: req.task,
                id: req.id,
                error: (error as Error).message,
              }),
          )
        : await run;
    log(taskLogEntry(req, outcome, report, Date.now() - started));
    return { messageId: m.messageId, ok: true, outcome };
  } catch (error) {
    log({
      level: "warn",
      message: `Task ${req.task}[${req.id}] could not be completed; its message will be delivered again`,
      task: req.task,
      id: req.id,
      durationMs: Date.now() - started,
      error: (error as Error).message,
    });
    return notOk(host, m, error, log, options);
  }
}

/** The result of a message to deliver again, released early where the options say so. */
async function notOk(
  host: WorkerHost,
  m: IncomingMessage,
  error: unknown,
  log: WorkerLogger,
  options: BatchOptions,
): Promise<MessageResult> {
  const result: MessageResult = { messageId: m.messageId, ok: false, error };
  if (!options.releaseFailures || m.queue === undefined || m.receiptHandle === undefined)
    return result;
  const delay = redeliveryDelaySeconds(m.receiveCount);
  try {
    await host.broker.release(m.queue, m.receiptHandle, delay);
    return { ...result, redeliveryDelaySeconds: delay };
  } catch (releaseError) {
    // Not fatal: the message comes back after its visibility timeout instead.
    log({
      level: "warn",
      message: `could not release message ${m.messageId} early; it returns after the visibility timeout`,
      error: (releaseError as Error).message,
    });
    return result;
  }
}
