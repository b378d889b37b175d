import { randomUUID } from "node:crypto";
import {
  MessageTooLargeError,
  PublishError,
  UnknownQueueError,
} from "../../errors/usage-errors.js";
import {
  type Broker,
  MAX_DELAY_SECONDS,
  type OutgoingMessage,
  type ReceivedMessage,
  type ReceiveOptions,
} from "../../ports/broker.js";

export interface MemoryBrokerOptions {
  /** Seconds a received message stays hidden before it is delivered again. @default 30 */
  visibilityTimeout?: number;
  /** Receives after which a message moves to the queue's dead letters. @default 5 */
  maxReceiveCount?: number;
  /** Largest body in bytes. @default 1_048_576 (SQS's default and maximum, 1 MiB) */
  maxMessageBytes?: number;
  /** Publish every message twice, to test that duplicates are absorbed. @default false */
  deliverTwice?: boolean;
  /** Queues that exist; others are refused like SQS refuses a missing queue. @default any */
  queues?: readonly string[];
}

interface StoredMessage {
  messageId: string;
  body: string;
  visibleAt: number;
  receiveCount: number;
  receiptHandle: string | undefined;
  /** In the hidden set (delayed or in flight) rather than the ready list. */
  hidden: boolean;
  /** Deleted or dead-lettered while its slot was still in the ready list. */
  gone: boolean;
}

/**
 * One queue's messages, arranged so that every operation costs what it touches, not the
 * queue's depth: a ready list read from a moving head (no shifting), a set of hidden
 * messages (delayed or in flight) scanned only when one of them is due, and an index by
 * receipt handle for acks and releases.
 */
interface QueueState {
  ready: StoredMessage[];
  head: number;
  hidden: Set<StoredMessage>;
  /** Earliest `visibleAt` in `hidden` (a lower bound; rescanned when reached). */
  nextDue: number;
  byHandle: Map<string, StoredMessage>;
  size: number;
}

function emptyQueue(): QueueState {
  return {
    ready: [],
    head: 0,
    hidden: new Set(),
    nextDue: Number.POSITIVE_INFINITY,
    byHandle: new Map(),
    size: 0,
  };
}

/** Compact the ready list once this many consumed slots sit before its head. */
const COMPACT_AFTER = 1024;

const POLL_SLICE_MS = 15;

/**
 * An in-process broker that behaves like SQS where it matters: per-message delay,
 * visibility timeout and redelivery of unacknowledged messages, receive counts, a
 * dead-letter list after `maxReceiveCount`, and optional duplicate delivery.
 */
export class MemoryBroker implements Broker {
  readonly description = "memory://";
  private readonly queues = new Map<string, QueueState>();
  private readonly dead = new Map<string, StoredMessage[]>();
  private readonly visibilityMs: number;
  private readonly maxReceiveCount: number;
  private readonly maxBytes: number;
  private readonly deliverTwice: boolean;
  private readonly allowed: ReadonlySet<string> | undefined;
  private closed = false;
  private wake: (() => void)[] = [];
  /** Every message published, for tests and benchmarks that count sends. */
  publishedCount = 0;

  constructor(options: MemoryBrokerOptions = {}) {
    this.visibilityMs = (options.visibilityTimeout ?? 30) * 1000;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.maxBytes = options.maxMessageBytes ?? 1_048_576;
    this.deliverTwice = options.deliverTwice ?? false;
    this.allowed = options.queues ? new Set(options.queues) : undefined;
  }

  maxMessageBytes(_queue: string): number {
    return this.maxBytes;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const m of messages) this.check(m);
    const now = Date.now();
    for (const m of messages) {
      const copies = this.deliverTwice ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const q = this.queue(m.queue);
        const stored: StoredMessage = {
          messageId: randomUUID(),
          body: m.body,
          visibleAt: now + m.delaySeconds * 1000,
          receiveCount: 0,
          receiptHandle: undefined,
          hidden: false,
          gone: false,
        };
        q.size++;
        if (stored.visibleAt > now) hide(q, stored);
        else q.ready.push(stored);
        this.publishedCount++;
      }
    }
    this.notify();
  }

  async receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    this.checkQueue(queue);
    const deadline = Date.now() + options.waitSeconds * 1000;
    for (;;) {
      const got = this.take(queue, options.maxMessages);
      if (got.length > 0 || this.closed || Date.now() >= deadline) return got;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(POLL_SLICE_MS, deadline - Date.now()));
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async ack(queue: string, receiptHandles: readonly string[]): Promise<void> {
    const q = this.queue(queue);
    for (const handle of receiptHandles) {
      const m = q.byHandle.get(handle);
      if (!m) continue;
      q.byHandle.delete(handle);
      if (m.hidden) q.hidden.delete(m);
      else m.gone = true;
      q.size--;
    }
  }

  async release(queue: string, receiptHandle: string, delaySeconds: number): Promise<void> {
    const q = this.queue(queue);
    const m = q.byHandle.get(receiptHandle);
    if (m) {
      m.visibleAt = Date.now() + delaySeconds * 1000;
      if (m.hidden) q.nextDue = Math.min(q.nextDue, m.visibleAt);
    }
    this.notify();
  }

  async visibilityTimeoutOf(_queue: string): Promise<number> {
    return this.visibilityMs / 1000;
  }

  async purge(queue: string): Promise<number> {
    const n = this.queue(queue).size;
    this.queues.set(queue, emptyQueue());
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
  }

  /** Messages that went past `maxReceiveCount` on `queue` (its dead-letter queue). */
  deadLetters(queue: string): string[] {
    return (this.dead.get(queue) ?? []).map((m) => m.body);
  }

  /** Messages in `queue`: visible, delayed and in flight. */
  depth(queue: string): number {
    return this.queue(queue).size;
  }

  private take(queue: string, max: number): ReceivedMessage[] {
    const now = Date.now();
    const q = this.queue(queue);
    if (now >= q.nextDue) reveal(q, now);
    const out: ReceivedMessage[] = [];
    while (out.length < max && q.head < q.ready.length) {
      const m = q.ready[q.head++] as StoredMessage;
      if (m.gone) continue;
      if (m.visibleAt > now) {
        hide(q, m);
        continue;
      }
      if (m.receiptHandle !== undefined) q.byHandle.delete(m.receiptHandle);
      if (m.receiveCount >= this.maxReceiveCount) {
        q.size--;
        const dlq = this.dead.get(queue) ?? [];
        dlq.push(m);
        this.dead.set(queue, dlq);
        continue;
      }
      m.receiveCount++;
      m.receiptHandle = randomUUID();
      m.visibleAt = now + this.visibilityMs;
      q.byHandle.set(m.receiptHandle, m);
      hide(q, m);
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        receiveCount: m.receiveCount,
      });
    }
    if (q.head >= COMPACT_AFTER && q.head * 2 >= q.ready.length) {
      q.ready = q.ready.slice(q.head);
      q.head = 0;
    }
    return out;
  }

  private check(m: OutgoingMessage): void {
    this.checkQueue(m.queue);
    if (
      !Number.isInteger(m.delaySeconds) ||
      m.delaySeconds < 0 ||
      m.delaySeconds > MAX_DELAY_SECONDS
    ) {
      throw new PublishError(
        `Message for ${m.taskName}[${m.taskId}] has delaySeconds ${m.delaySeconds}; it must be a whole number from 0 to ${MAX_DELAY_SECONDS}.`,
      );
    }
    const size = Buffer.byteLength(m.body, "utf8");
    if (size > this.maxBytes) {
      throw new MessageTooLargeError(
        `Message for ${m.taskName}[${m.taskId}] is ${size} bytes; queue '${m.queue}' accepts at most ${this.maxBytes}.`,
      );
    }
  }

  private checkQueue(queue: string): void {
    if (this.allowed && !this.allowed.has(queue)) {
      throw new UnknownQueueError(`Queue '${queue}' does not exist on this broker.`);
    }
  }

  private queue(name: string): QueueState {
    let q = this.queues.get(name);
    if (!q) {
      q = emptyQueue();
      this.queues.set(name, q);
    }
    return q;
  }

  private notify(): void {
    const waiters = this.wake;
    this.wake = [];
    for (const w of waiters) w();
  }
}

/** Moves a message into the hidden set (delayed, in flight, or released with a delay). */
function hide(q: QueueState, m: StoredMessage): void {
  m.hidden = true;
  q.hidden.add(m);
  q.nextDue = Math.min(q.nextDue, m.visibleAt);
}

/** Moves every hidden message that is due onto the ready list; recomputes `nextDue`. */
function reveal(q: QueueState, now: number): void {
  let next = Number.POSITIVE_INFINITY;
  for (const m of q.hidden) {
    if (m.visibleAt <= now) {
      q.hidden.delete(m);
      m.hidden = false;
      q.ready.push(m);
    } else if (m.visibleAt < next) next = m.visibleAt;
  }
  q.nextDue = next;
}
