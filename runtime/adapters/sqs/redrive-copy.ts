import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type DeadLetterQueue, RedriveError } from "./dead-letter-types.js";
import { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES } from "./publish.js";

/**
 * Seconds a dead letter stays hidden between its receive and its delete. Were this
 * process to die in between, the message comes back to the DLQ after this long (and
 * its copy is on the source queue: at least once, never lost).
 */
const COPY_VISIBILITY_SECONDS = 60;

/**
 * Moves every message of `dlq` to its source queue without SQS's move task: receives
 * up to 10, sends copies (same body and attributes) with `SendMessageBatch`, and
 * deletes from the DLQ only the messages whose copy was sent, until a receive finds
 * none. Resolves how many messages moved.
 * @throws RedriveError when some copies could not be sent (those stay in the DLQ) or
 *   some sent messages could not be deleted from it.
 */
export async function moveByCopying(client: SQSClient, dlq: DeadLetterQueue): Promise<number> {
  let moved = 0;
  const seen = new Set<string>();
  for (;;) {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: MAX_BATCH_ENTRIES,
        WaitTimeSeconds: 1,
        VisibilityTimeout: COPY_VISIBILITY_SECONDS,
        MessageAttributeNames: ["All"],
      }),
    );
    const batch = (out.Messages ?? []).filter((m) => m.MessageId && m.ReceiptHandle);
    if (batch.length === 0) return moved;
    // A message seen twice came back because its delete failed: stop rather than loop.
    if (batch.some((m) => seen.has(m.MessageId ?? ""))) {
      throw new RedriveError(
        `Moved ${moved} messages from ${dlq.name} to ${dlq.source.name}, then received one again that had been copied already; some deletes did not take. Look at both queues before running redrive again.`,
        moved,
      );
    }
    for (const m of batch) seen.add(m.MessageId ?? "");
    const sent = await sendCopies(client, dlq, batch);
    await deleteSent(client, dlq, sent, moved);
    moved += sent.length;
    if (sent.length < batch.length) throw unsent(dlq, moved, batch.length - sent.length);
  }
}

/** Sends copies of `batch` to the source queue; resolves the messages whose copy was sent. */
async function sendCopies(
  client: SQSClient,
  dlq: DeadLetterQueue,
  batch: readonly Message[],
): Promise<Message[]> {
  const sent: Message[] = [];
  for (const part of bySize(batch)) sent.push(...(await sendPart(client, dlq, part)));
  return sent;
}

/** Splits `batch` so that no request carries more than SQS's 1 MiB. */
function bySize(batch: readonly Message[]): Message[][] {
  const parts: Message[][] = [];
  let part: Message[] = [];
  let bytes = 0;
  for (const m of batch) {
    const size = messageBytes(m);
    if (part.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(m);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

function messageBytes(m: Message): number {
  let size = Buffer.byteLength(m.Body ?? "");
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "");
    size += Buffer.byteLength(value.StringValue ?? "") + (value.BinaryValue?.byteLength ?? 0);
  }
  return size;
}

async function sendPart(
  client: SQSClient,
  dlq: DeadLetterQueue,
  batch: readonly Message[],
): Promise<Message[]> {
  const out = await client.send(
    new SendMessageBatchCommand({
      QueueUrl: dlq.source.url,
      Entries: batch.map((m, i) => ({
        Id: String(i),
        MessageBody: m.Body ?? "",
        ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0
          ? { MessageAttributes: m.MessageAttributes }
          : {}),
      })),
    }),
  );
  const ok = new Set((out.Successful ?? []).map((s) => s.Id));
  return batch.filter((_, i) => ok.has(String(i)));
}

async function deleteSent(
  client: SQSClient,
  dlq: DeadLetterQueue,
  sent: readonly Message[],
  movedBefore: number,
): Promise<void> {
  if (sent.length === 0) return;
  const out = await client.send(
    new DeleteMessageBatchCommand({
      QueueUrl: dlq.url,
      Entries: sent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })),
    }),
  );
  const failed = out.Failed ?? [];
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((f) => `${f.Code ?? "Error"}: ${f.Message ?? ""}`))];
    throw new RedriveError(
      `Copied ${movedBefore + sent.length} messages from ${dlq.name} to ${dlq.source.name}, but ${failed.length} of the last batch could not be deleted from ${dlq.name} (${reasons.join("; ")}); they will show there again although their copies were sent.`,
      movedBefore + sent.length - failed.length,
    );
  }
}

function unsent(dlq: DeadLetterQueue, moved: number, count: number): RedriveError {
  return new RedriveError(
    `Moved ${moved} messages from ${dlq.name} to ${dlq.source.name}; ${count} could not be sent and stay in ${dlq.name} (visible again within ${COPY_VISIBILITY_SECONDS} s).`,
    moved,
  );
}
