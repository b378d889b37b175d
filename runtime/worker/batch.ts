import { decodeRequest } from "../message/envelope.js";
import { executeRequest, type Outcome } from "./execute.js";
import type { WorkerHost, WorkerLogEntry } from "./worker-host.js";

/** One received message, as a local worker or an SQS event record gives it. */
export interface IncomingMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  /** Seconds a claim made while running it lasts (see `Delivery.leaseSeconds`). */
  leaseSeconds?: number;
}

/** What became of one message: done (delete it) or not (deliver it again). */
export interface MessageResult {
  messageId: string;
  ok: boolean;
  outcome?: Outcome;
  error?: unknown;
}

export type WorkerLogger = (entry: WorkerLogEntry) => void;

/**
 * Runs a batch of messages concurrently. A message that cannot be read, or whose work
 * could not be made durable, is reported as not ok (never dropped): the transport
 * delivers it again and, after `maxReceiveCount`, moves it to the dead-letter queue.
 */
export async function processMessages(
  host: WorkerHost,
  messages: readonly IncomingMessage[],
  log: WorkerLogger = () => {},
): Promise<MessageResult[]> {
  return Promise.all(messages.map((m) => processOne(host, m, log)));
}

async function processOne(
  host: WorkerHost,
  m: IncomingMessage,
  log: WorkerLogger,
): Promise<MessageResult> {
  const started = Date.now();
  let req: ReturnType<typeof decodeRequest>;
  try {
    req = decodeRequest(m.body);
  } catch (error) {
    log({
      level: "error",
      message: `Unreadable message ${m.messageId} left for redelivery and the dead-letter queue`,
      error: (error as Error).message,
    });
    return { messageId: m.messageId, ok: false, error };
  }
  try {
    const outcome = await executeRequest(host, req, {
      receiveCount: m.receiveCount,
      ...(m.leaseSeconds !== undefined ? { leaseSeconds: m.leaseSeconds } : {}),
    });
    log({
      level: "info",
      message: "task done",
      task: req.task,
      id: req.id,
      state: outcome,
      durationMs: Date.now() - started,
    });
    return { messageId: m.messageId, ok: true, outcome };
  } catch (error) {
    log({
      level: "warn",
      message: "task message will be delivered again",
      task: req.task,
      id: req.id,
      durationMs: Date.now() - started,
      error: (error as Error).message,
    });
    return { messageId: m.messageId, ok: false, error };
  }
}
