import { ConfigurationError } from "../errors/usage-errors.js";
import { encodeCeleryMessage } from "../message/celery-wire-write.js";
import { encodeRequest } from "../message/envelope.js";
import type { TaskRequest } from "../message/task-request.js";
import type { Broker } from "../ports/broker.js";

/**
 * How a message is written: `"celeriac"` (Celeriac's JSON envelope, read by Celeriac
 * workers) or `"celery"` (Celery's task protocol 2 in kombu's SQS form, read by a Celery
 * 5.x worker, and by Celeriac workers too). Workers read both either way.
 */
export type WireProtocol = "celeriac" | "celery";

/** The app options that choose the wire protocol. */
export interface WireOptions {
  /** The protocol of every queue not named in `queueProtocols`. @default "celeriac" */
  protocol?: WireProtocol;
  /**
   * The protocol per routing key, e.g. `{ py: "celery" }` for a queue that a Python
   * Celery worker consumes.
   */
  queueProtocols?: Record<string, WireProtocol>;
}

const PROTOCOLS: readonly string[] = ["celeriac", "celery"];

function check(value: unknown, where: string): WireProtocol {
  if (typeof value !== "string" || !PROTOCOLS.includes(value)) {
    throw new ConfigurationError(
      `${where} is ${JSON.stringify(value)}; use "celeriac" or "celery".`,
    );
  }
  return value as WireProtocol;
}

/** Encodes each request in the protocol of the queue it goes to. */
export class Wire {
  private readonly fallback: WireProtocol;
  private readonly perQueue: ReadonlyMap<string, WireProtocol>;

  constructor(
    options: WireOptions,
    private readonly broker: Pick<Broker, "queueName">,
  ) {
    this.fallback =
      options.protocol === undefined ? "celeriac" : check(options.protocol, "protocol");
    this.perQueue = new Map(
      Object.entries(options.queueProtocols ?? {}).map(([queue, p]) => [
        queue,
        check(p, `queueProtocols.${queue}`),
      ]),
    );
  }

  /** The protocol messages to routing key `queue` are written in. */
  protocolOf(queue: string): WireProtocol {
    return this.perQueue.get(queue) ?? this.fallback;
  }

  /** The message body for `req`, in its queue's protocol. */
  encode(req: TaskRequest): string {
    if (this.protocolOf(req.queue) === "celeriac") return encodeRequest(req);
    return encodeCeleryMessage(req, { queueName: (key) => this.broker.queueName?.(key) ?? key });
  }
}
