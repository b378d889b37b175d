import type { DeadLetter, DeadLetterCounts, RedriveResult } from "../adapters/sqs/index.js";
import { decodeCeleryPayload, kombuPayload } from "../message/celery-wire-read.js";
import { decodeRequest } from "../message/envelope.js";

/** Characters of a body `dlq show` prints before it cuts it. */
export const BODY_EXCERPT_CHARS = 300;

/** One row of `dlq list`. */
export interface DeadLetterRow {
  routingKey: string;
  queueName: string;
  counts: DeadLetterCounts;
}

/**
 * The `dlq list` table: routing key, dead-letter queue, visible and in-flight counts,
 * columns padded to their widest cell, numbers right-aligned.
 */
export function formatDeadLetterTable(rows: readonly DeadLetterRow[]): string[] {
  const header = ["ROUTING KEY", "DEAD-LETTER QUEUE", "VISIBLE", "IN FLIGHT"];
  const cells = rows.map((r) => [
    r.routingKey,
    r.queueName,
    String(r.counts.visible),
    String(r.counts.inFlight),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)];
}

/**
 * The lines `dlq show` prints for one dead letter: its id, receive count and first
 * receive, the task it carries when the body is a Celeriac task message, and the body,
 * cut after {@link BODY_EXCERPT_CHARS} characters.
 */
export function formatDeadLetter(letter: DeadLetter, index: number): string[] {
  const received = `received ${letter.receiveCount} ${letter.receiveCount === 1 ? "time" : "times"}`;
  const first = letter.firstReceivedAt ? `, first at ${letter.firstReceivedAt.toISOString()}` : "";
  return [
    `${index}. message ${letter.messageId} (${received}${first})`,
    `   ${describeTask(letter.body)}`,
    `   body: ${excerpt(letter.body)}`,
  ];
}

/**
 * `task <name> [<id>]` for a task message (Celeriac's, or Celery's through kombu), else
 * why a worker cannot read it.
 */
function describeTask(body: string): string {
  const celery = kombuPayload(body);
  try {
    if (celery === undefined) {
      const request = decodeRequest(body);
      return `task ${request.task} [${request.id}]`;
    }
    const request = decodeCeleryPayload(celery);
    return `task ${request.task} [${request.id}] (a Celery message)`;
  } catch (error) {
    return celery === undefined
      ? "not a Celeriac task message"
      : `a Celery message a worker cannot run: ${(error as Error).message}`;
  }
}

/** The body on one line (line breaks shown as `\n`), cut with a note of what was left out. */
export function excerpt(body: string, max = BODY_EXCERPT_CHARS): string {
  const oneLine = body.replace(/\r?\n/g, "\\n");
  if (oneLine.length <= max) return oneLine;
  return `${oneLine.slice(0, max)}… (${oneLine.length - max} more characters)`;
}

/** The line `dlq redrive` prints: how many moved, where, and by which method. */
export function formatRedrive(result: RedriveResult, from: string, to: string): string {
  const count = `${result.moved} ${result.moved === 1 ? "message" : "messages"}`;
  const method =
    result.method === "move-task"
      ? "SQS's message-move task (StartMessageMoveTask)"
      : "receive, send and delete, 10 at a time";
  const why = result.fallbackReason ? `; ${result.fallbackReason}` : "";
  return `Moved ${count} from ${from} to ${to} by ${method}${why}.`;
}
