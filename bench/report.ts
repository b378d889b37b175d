/**
 * Turns counted rows into per-task figures, cost per million tasks, and text tables.
 */
import { DDB_READS, DDB_WRITES, type Path, type Row } from "./counter.js";

/** List prices, us-east-1 (research/peers.md §3). */
export const PRICES = {
  sqsPerRequest: 0.4e-6,
  ddbPerWriteUnit: 0.625e-6,
  ddbPerReadUnit: 0.125e-6,
  lambdaPerInvocation: 0.2e-6,
  lambdaBatch: 10,
};

/** Totals of one set of rows (one path, or several). */
export interface Totals {
  sqsRequests: number;
  sqsEmptyReceives: number;
  sqsNonEmptyReceives: number;
  sqsMessagesReceived: number;
  sqsOther: number;
  ddbWrites: number;
  ddbWriteItems: number;
  ddbWriteUnits: number;
  /** Refused conditional writes (AWS bills 1 WRU each; dynalite reports none). */
  ddbWriteErrors: number;
  ddbReads: number;
  ddbReadItems: number;
  ddbReadUnits: number;
  ddbOther: number;
}

export function totals(rows: Row[], paths: Path[]): Totals {
  const t: Totals = {
    sqsRequests: 0,
    sqsEmptyReceives: 0,
    sqsNonEmptyReceives: 0,
    sqsMessagesReceived: 0,
    sqsOther: 0,
    ddbWrites: 0,
    ddbWriteItems: 0,
    ddbWriteUnits: 0,
    ddbWriteErrors: 0,
    ddbReads: 0,
    ddbReadItems: 0,
    ddbReadUnits: 0,
    ddbOther: 0,
  };
  for (const r of rows) {
    if (!paths.includes(r.path)) continue;
    if (r.service === "SQS") {
      t.sqsRequests += r.requests;
      if (r.command === "ReceiveMessage") {
        if (r.detail === "empty") t.sqsEmptyReceives += r.requests;
        else if (r.detail === "non-empty") t.sqsNonEmptyReceives += r.requests;
        t.sqsMessagesReceived += r.items;
      } else if (!["SendMessageBatch", "SendMessage", "DeleteMessageBatch"].includes(r.command)) {
        t.sqsOther += r.requests;
      }
    } else if (DDB_WRITES.has(r.command)) {
      t.ddbWrites += r.requests;
      t.ddbWriteItems += r.items;
      t.ddbWriteUnits += r.units;
      if (r.detail.includes("!ConditionalCheckFailed")) t.ddbWriteErrors += r.errors;
    } else if (DDB_READS.has(r.command)) {
      t.ddbReads += r.requests;
      t.ddbReadItems += r.items;
      t.ddbReadUnits += r.units;
    } else {
      t.ddbOther += r.requests;
    }
  }
  return t;
}

/** Per-task figures of the system (producer + worker) and the caller. */
export interface Figures {
  sqsPerTask: number;
  ddbWritesPerTask: number;
  ddbReadsPerTask: number;
}

export function perTask(t: Totals, tasks: number): Figures {
  return {
    sqsPerTask: t.sqsRequests / tasks,
    ddbWritesPerTask: t.ddbWrites / tasks,
    ddbReadsPerTask: t.ddbReads / tasks,
  };
}

/** Dollars per million tasks, by service, from the measured system totals. */
export interface Cost {
  sqs: number;
  ddbWrites: number;
  ddbReads: number;
  lambda: number;
  total: number;
  /** The caller's result reads, on top of `total`. */
  callerReads: number;
}

/**
 * SQS: every request (receives and deletes by the local worker stand for those that
 * Lambda's event source mapping makes and bills on AWS). DynamoDB: capacity units the
 * endpoint reported (what on-demand bills: 1 WRU per KB written, 1 RRU per 4 KB read
 * consistently), plus 1 WRU per refused conditional write (AWS bills those; dynalite does
 * not report them). Lambda: one invocation per non-empty receive (a handler call).
 */
export function costPerMillion(system: Totals, caller: Totals, tasks: number): Cost {
  const m = 1e6 / tasks;
  const sqs = system.sqsRequests * m * PRICES.sqsPerRequest;
  const ddbWrites =
    (Math.max(system.ddbWriteUnits, system.ddbWriteItems) + system.ddbWriteErrors) *
    m *
    PRICES.ddbPerWriteUnit;
  const ddbReads = Math.max(system.ddbReadUnits, 0) * m * PRICES.ddbPerReadUnit;
  const lambda = system.sqsNonEmptyReceives * m * PRICES.lambdaPerInvocation;
  return {
    sqs,
    ddbWrites,
    ddbReads,
    lambda,
    total: sqs + ddbWrites + ddbReads + lambda,
    callerReads: caller.ddbReadUnits * m * PRICES.ddbPerReadUnit,
  };
}

/** Formats a number: integers as they are, others with `digits` decimals. */
export function num(n: number, digits = 3): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : n.toFixed(digits);
}

export function usd(n: number): string {
  return `$${n.toFixed(3)}`;
}

/** A plain-text table: the first column (or those in `left`) left-aligned, the others right-aligned. */
export function table(headers: string[], rows: string[][], left: number[] = [0]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The request breakdown by path, service, command and record kind. */
export function breakdown(rows: Row[]): string {
  const order: Record<Path, number> = { producer: 0, worker: 1, caller: 2 };
  const sorted = [...rows].sort(
    (a, b) =>
      order[a.path] - order[b.path] ||
      a.service.localeCompare(b.service) ||
      a.command.localeCompare(b.command) ||
      a.detail.localeCompare(b.detail),
  );
  return table(
    ["path", "service", "command", "record / detail", "requests", "items", "cap. units"],
    sorted.map((r) => [
      r.path,
      r.service,
      r.command,
      r.detail || "-",
      num(r.requests),
      num(r.items),
      r.service === "DynamoDB" ? num(r.units, 1) : "-",
    ]),
  );
}
