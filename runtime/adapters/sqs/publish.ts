import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { MessageTooLargeError, PublishError } from "../../errors/usage-errors.js";
import { MAX_DELAY_SECONDS, type OutgoingMessage } from "../../ports/broker.js";
import { awsErrorName } from "./aws-errors.js";
import { sleep } from "./concurrency.js";

/** SQS accepts at most 10 entries in one batch request. */
export const MAX_BATCH_ENTRIES = 10;
/** SQS accepts at most 1 MiB of message bodies in one batch request. */
export const MAX_BATCH_BYTES = 1_048_576;

/** How failed batch entries are retried. */
export interface RetryPolicy {
  /** Sends of an entry in all, the first included. @default 3 */
  attempts: number;
  /** Wait before the first retry; doubled for each further one. @default 50 */
  baseDelayMs: number;
}

/** A message that was not sent, with the reason SQS gave. */
export interface UnsentMessage {
  message: OutgoingMessage;
  code: string;
  reason: string;
  /**
   * Why, as an error the worker's transient-error check can read: the SDK error of a
   * rejected call, or one standing for an entry SQS failed through no fault of the
   * sender (`$fault: "server"`). Absent for sender faults, which would fail again.
   */
  cause?: unknown;
}

/**
 * Publishing to SQS failed for some messages; the others were sent. `unsent` lists the
 * ones that were not, each with SQS's code and message.
 */
export class SqsPublishError extends PublishError {
  readonly unsent: readonly UnsentMessage[];

  constructor(unsent: readonly UnsentMessage[], total: number, cause?: unknown) {
    const lines = unsent.map(
      (u) =>
        `${u.message.taskName}[${u.message.taskId}] to '${u.message.queue}': ${u.code}: ${u.reason}`,
    );
    const only = unsent.length === 1 ? unsent[0] : undefined;
    // When every message failed through no fault of the sender, the error carries one of
    // their causes, so a caller that retries transient errors (the worker) sends again.
    const retryable = unsent.length > 0 && unsent.every((u) => u.cause !== undefined);
    super(
      `${unsent.length} of ${total} messages were not sent to SQS${unsent.length < total ? " (the others were)" : ""}: ${lines.join("; ")}.`,
      { cause: cause ?? (retryable ? unsent[0]?.cause : undefined), taskId: only?.message.taskId },
    );
    this.unsent = unsent;
  }
}

/**
 * Checks a message before anything is sent: a whole-number delay of 0 to 900 seconds
 * and a body of at most `maxBytes` bytes (UTF-8).
 */
export function checkMessage(m: OutgoingMessage, maxBytes: number, queueName: string): void {
  if (
    !Number.isInteger(m.delaySeconds) ||
    m.delaySeconds < 0 ||
    m.delaySeconds > MAX_DELAY_SECONDS
  ) {
    throw new PublishError(
      `Message for ${m.taskName}[${m.taskId}] has delaySeconds ${m.delaySeconds}; it must be a whole number from 0 to ${MAX_DELAY_SECONDS}. Nothing was sent.`,
      { taskId: m.taskId },
    );
  }
  const size = Buffer.byteLength(m.body, "utf8");
  if (size > maxBytes) {
    throw new MessageTooLargeError(
      `Message for ${m.taskName}[${m.taskId}] is ${size} bytes; queue '${m.queue}' (SQS queue '${queueName}') accepts at most ${maxBytes} bytes. Nothing was sent; pass large arguments by reference.`,
      { taskId: m.taskId },
    );
  }
}

/** Splits one queue's messages into batches of at most 10 entries and 1 MiB of bodies. */
export function toBatches(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let batch: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.body, "utf8");
    if (
      batch.length === MAX_BATCH_ENTRIES ||
      (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Sends one batch with `SendMessageBatch`. Entries that SQS reports in `Failed` through
 * no fault of the sender are sent again, up to `policy.attempts` sends, with a doubling
 * backoff; sender faults are not retried. A rejected call is not retried here: the
 * SDK's retry strategy has already retried throttling and transient errors.
 * Resolves the messages that were not sent.
 */
export async function sendBatch(
  client: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  policy: RetryPolicy,
): Promise<UnsentMessage[]> {
  let pending: SendMessageBatchRequestEntry[] = messages.map((m, i) => ({
    Id: String(i),
    MessageBody: m.body,
    DelaySeconds: m.delaySeconds,
  }));
  const byId = (id: string | undefined): OutgoingMessage => messages[Number(id)] as OutgoingMessage;
  const unsent: UnsentMessage[] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let failed: BatchResultErrorEntry[];
    try {
      const out = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
      );
      const sent = new Set((out.Successful ?? []).map((s) => s.Id));
      const reported = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
      failed = pending
        .filter((e) => !sent.has(e.Id))
        .map((e) => reported.get(e.Id) ?? missingEntry(e.Id));
    } catch (error) {
      const code = awsErrorName(error) ?? "Error";
      const reason = error instanceof Error ? error.message : String(error);
      for (const e of pending) unsent.push({ message: byId(e.Id), code, reason, cause: error });
      return unsent;
    }
    const retryable = new Set<string | undefined>();
    for (const f of failed) {
      if (f.SenderFault === true || attempt >= policy.attempts) {
        const code = f.Code ?? "Error";
        const reason = f.Message ?? "";
        unsent.push({
          message: byId(f.Id),
          code,
          reason,
          ...(f.SenderFault === true ? {} : { cause: serverFault(code, reason) }),
        });
      } else {
        retryable.add(f.Id);
      }
    }
    pending = pending.filter((e) => retryable.has(e.Id));
    if (pending.length > 0) await sleep(policy.baseDelayMs * 2 ** (attempt - 1));
  }
  return unsent;
}

/** An error standing for an entry SQS failed on its side (`SenderFault: false`). */
function serverFault(code: string, reason: string): Error {
  return Object.assign(new Error(`${code}: ${reason}`), { name: code, $fault: "server" });
}

function missingEntry(id: string | undefined): BatchResultErrorEntry {
  return {
    Id: id,
    SenderFault: false,
    Code: "MissingFromResponse",
    Message: "SQS reported this entry neither sent nor failed.",
  };
}
