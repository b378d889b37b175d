/**
 * Where one `add.delay(2, 2)` → `get()` round trip spends its time: the requests of the
 * latency bench's clients (see `timeline.ts`), split per round trip and named leg by leg,
 * as milliseconds after `delay()` was called, the median over the round trips.
 */
import type { TimelineEvent } from "./timeline.js";

/** One round trip: when `delay()` was called, when it resolved, when `get()` resolved. */
export interface RoundTrip {
  started: number;
  sent: number;
  got: number;
  /** When the task's function ran (stamped by the task itself). */
  ran: number;
}

/** Named instants of one round trip, in ms after `delay()` was called. */
type Legs = Map<string, number>;

/** The legs, in the order a round trip passes them, with what each instant is. */
export const LEGS: readonly (readonly [string, string])[] = [
  ["send: SendMessageBatch starts", "delay() has built the message"],
  ["send: delay() resolves", "SendMessageBatch answered"],
  ["worker: receive returns it", "the long poll in flight wakes"],
  ["worker: read starts", "GetItem (or BatchGetItem), the duplicate/revoke check"],
  ["worker: read ends", ""],
  ["worker: task runs", "add(2, 2)"],
  ["worker: write starts", "PutItem of the result"],
  ["worker: write ends (result stored)", ""],
  ["worker: delete ends", "DeleteMessageBatch, after the handler"],
  ["caller: first read ends", "get()'s read at once"],
  ["caller: the read that saw it starts", ""],
  ["get() resolves", ""],
];

const WORKER_READS = new Set(["GetItemCommand", "BatchGetItemCommand"]);

/** The legs of each round trip, from the requests that started within it (receives: ended). */
export function legsOf(trips: readonly RoundTrip[], events: readonly TimelineEvent[]): Legs[] {
  return trips.map((trip, i) => {
    const until = trips[i + 1]?.started ?? Number.POSITIVE_INFINITY;
    const mine = events.filter((e) =>
      e.command === "ReceiveMessageCommand"
        ? e.end >= trip.started && e.end < until
        : e.start >= trip.started && e.start < until,
    );
    const at = (t: number | undefined) => (t === undefined ? NaN : t - trip.started);
    const first = (who: string, test: (e: TimelineEvent) => boolean) =>
      mine.find((e) => e.who === who && test(e));
    const send = first("sqs", (e) => e.command === "SendMessageBatchCommand");
    const receive = first("sqs", (e) => e.command === "ReceiveMessageCommand" && e.messages! > 0);
    const read = first("worker-ddb", (e) => WORKER_READS.has(e.command));
    const write = first("worker-ddb", (e) => e.command === "PutItemCommand");
    const del = first("sqs", (e) => e.command === "DeleteMessageBatchCommand");
    const callerReads = mine.filter((e) => e.who === "caller-ddb" && e.start < trip.got);
    return new Map([
      ["send: SendMessageBatch starts", at(send?.start)],
      ["send: delay() resolves", at(trip.sent)],
      ["worker: receive returns it", at(receive?.end)],
      ["worker: read starts", at(read?.start)],
      ["worker: read ends", at(read?.end)],
      ["worker: task runs", at(trip.ran)],
      ["worker: write starts", at(write?.start)],
      ["worker: write ends (result stored)", at(write?.end)],
      ["worker: delete ends", at(del?.end)],
      ["caller: first read ends", at(callerReads[0]?.end)],
      ["caller: the read that saw it starts", at(callerReads.at(-1)?.start)],
      ["get() resolves", at(trip.got)],
      ["caller reads", callerReads.length],
    ]);
  });
}

/** The median of the finite values of `name` over the round trips. */
export function medianLeg(legs: readonly Legs[], name: string): number {
  const values = legs
    .map((l) => l.get(name))
    .filter((v): v is number => v !== undefined && Number.isFinite(v))
    .sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? NaN;
}
