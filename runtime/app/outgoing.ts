import { MessageTooLargeError } from "../errors/usage-errors.js";
import { encodeRequest } from "../message/envelope.js";
import type { TaskRequest } from "../message/task-request.js";
import { type Broker, MAX_DELAY_SECONDS, type OutgoingMessage } from "../ports/broker.js";
import type { Wire } from "./wire.js";

/**
 * Encodes a request for the broker: the delay until its ETA (at most 900 s; a worker
 * that receives it early sends it on again), and a size check that names the task. The
 * body is in the protocol `wire` gives the request's queue (Celeriac's envelope without).
 */
export function toOutgoing(
  req: TaskRequest,
  broker: Broker,
  now = Date.now(),
  wire?: Wire,
): OutgoingMessage {
  const body = wire ? wire.encode(req) : encodeRequest(req);
  const size = Buffer.byteLength(body, "utf8");
  const limit = broker.maxMessageBytes(req.queue);
  if (size > limit) {
    throw new MessageTooLargeError(
      `Task ${req.task}[${req.id}] makes a message of ${size} bytes; queue '${req.queue}' accepts at most ${limit}. ` +
        "Pass a reference (an S3 key, a record id) instead of the data.",
      { taskId: req.id },
    );
  }
  return {
    queue: req.queue,
    body,
    delaySeconds: delayUntil(req.eta, now),
    taskId: req.id,
    taskName: req.task,
  };
}

/** Whole seconds from `now` until `eta`, from 0 to 900. */
export function delayUntil(eta: string | null, now = Date.now()): number {
  if (!eta) return 0;
  const seconds = Math.ceil((Date.parse(eta) - now) / 1000);
  return Math.max(0, Math.min(MAX_DELAY_SECONDS, seconds));
}
