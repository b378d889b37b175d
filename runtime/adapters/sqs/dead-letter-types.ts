import { CeleriacError, type CeleriacErrorOptions } from "../../errors/celeriac-error.js";

/** A routing key's dead-letter queue and the queue whose failed messages it holds. */
export interface DeadLetterQueue {
  routingKey: string;
  /** The dead-letter queue, e.g. `proj-celery-dlq`. */
  name: string;
  url: string;
  arn: string;
  /** The queue it serves (where redriven messages go), e.g. `proj-celery`. */
  source: { name: string; url: string; arn: string };
}

/** How many messages a dead-letter queue holds (SQS's approximate counts). */
export interface DeadLetterCounts {
  /** Waiting to be received. */
  visible: number;
  /** Received and not yet deleted or released. */
  inFlight: number;
}

/** A dead letter as `peek` saw it; it is still in the queue. */
export interface DeadLetter {
  messageId: string;
  /** Receives so far, the peek included. */
  receiveCount: number;
  /** When the message was first received, if SQS says. */
  firstReceivedAt: Date | undefined;
  body: string;
}

/**
 * How dead letters go back: SQS's message-move task (`StartMessageMoveTask`), or a
 * receive → send → delete loop run here (`copy`). `auto` tries the first and falls back
 * to the second where the endpoint does not implement the move API.
 */
export type RedriveMethod = "move-task" | "copy";

/** Options of a redrive. */
export interface RedriveOptions {
  /** @default "auto" */
  method?: RedriveMethod | "auto";
  /** Seconds to wait for a move task to complete. @default 300 */
  timeoutSeconds?: number;
  /** Milliseconds between two looks at a move task's status. @default 1000 */
  pollIntervalMs?: number;
}

/** What a redrive did. */
export interface RedriveResult {
  moved: number;
  method: RedriveMethod;
  /** Why `auto` did not use the move task, when it fell back. */
  fallbackReason?: string;
}

/** Context of {@link MissingDeadLetterQueueError}. */
export interface MissingQueueContext {
  routingKey: string;
  /** The queue that does not exist (the dead-letter queue or its source). */
  queueName: string;
}

/** A routing key's queue or dead-letter queue does not exist at the endpoint. */
export class MissingDeadLetterQueueError extends CeleriacError {
  readonly routingKey: string;
  readonly queueName: string;

  constructor(message: string, context: MissingQueueContext, options?: CeleriacErrorOptions) {
    super(message, options);
    this.routingKey = context.routingKey;
    this.queueName = context.queueName;
  }
}

/** A redrive stopped: a move task failed or did not finish in time, or a copy failed. */
export class RedriveError extends CeleriacError {
  /** Messages moved before it stopped (approximate for a move task). */
  readonly moved: number;

  constructor(message: string, moved: number, options?: CeleriacErrorOptions) {
    super(message, options);
    this.moved = moved;
  }
}
