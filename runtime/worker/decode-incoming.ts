import { decodeCeleryPayload, kombuPayload } from "../message/celery-wire-read.js";
import { decodeRequest, requestOfEnvelope } from "../message/envelope.js";
import { isPlainObject, parseJson } from "../types/json.js";
import type { TaskRequest } from "../message/task-request.js";
import type { WorkerHost } from "./worker-host.js";

/**
 * Reads a received message body in either wire form: a Celeriac envelope, or a task
 * message written by Celery through kombu's SQS transport (base64 or plain JSON).
 * Throws a `MessageFormatError` for anything else (the caller leaves it to the
 * dead-letter queue). `queue` is the routing key it was received from, when known.
 */
export function decodeIncoming(
  host: Pick<WorkerHost, "broker" | "router">,
  body: string,
  queue: string | undefined,
): TaskRequest {
  // Celeriac's own envelope, the common case, is parsed once.
  const parsed = parseJson(body);
  if (isPlainObject(parsed) && "celeriac" in parsed) return requestOfEnvelope(parsed, body);
  const payload = kombuPayload(body);
  if (payload === undefined) return decodeRequest(body);
  return decodeCeleryPayload(payload, {
    ...(queue !== undefined ? { queue } : {}),
    routingKeyOf: (name) =>
      host.router.queues.find((key) => key === name || host.broker.queueName?.(key) === name),
  });
}
