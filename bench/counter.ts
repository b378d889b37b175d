/**
 * Counts the AWS requests an SDK v3 client makes, through its middleware stack.
 *
 * - `finalizeRequest` step, priority "low": this runs after the SDK's `retryMiddleware`
 *   (finalizeRequest, priority "high"), once per HTTP attempt, so every SDK retry counts
 *   as the separate (billed) request it is. The parsed response is already there when
 *   `next()` returns, so items and capacity units are read from it.
 * - `initialize` step: counts `client.send()` calls (commands), so that
 *   retries = requests - commands can be shown; and asks DynamoDB for
 *   `ReturnConsumedCapacity: "TOTAL"` (only when the caller did not set it), which changes
 *   nothing that is written or read, only what the response reports.
 *
 * Each request is filed under a path: "producer" when it was made inside `asProducer()`
 * (an AsyncLocalStorage context), "worker" for every other request of the system's
 * clients (the local worker's loops and the handler run outside that context), or the
 * fixed path a client was instrumented with ("caller" for the result-polling client).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareStack } from "@smithy/types";

export type Service = "SQS" | "DynamoDB";
export type Path = "producer" | "worker" | "caller";

type Rec = Record<string, unknown>;

/** One line of the breakdown: requests of one command, on one path, on one kind of record. */
export interface Row {
  path: Path;
  service: Service;
  /** e.g. `SendMessageBatch`, `PutItem`. */
  command: string;
  /** SQS: `empty`/`non-empty` for receives; DynamoDB: the record kind from `pk` (task, chord-shard, ...). */
  detail: string;
  /** HTTP requests, each SDK attempt counted. */
  requests: number;
  /** Messages (SQS) or items/keys (DynamoDB) the requests carried or returned. */
  items: number;
  /** DynamoDB capacity units reported by the endpoint (ReturnConsumedCapacity). */
  units: number;
  /** Requests answered with an error (named in `detail` as `!Name`). */
  errors: number;
}

export const DDB_WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);
export const DDB_READS = new Set(["GetItem", "BatchGetItem", "Query"]);
const DDB_ITEM_COMMANDS = new Set([...DDB_WRITES, ...DDB_READS]);

const pathStore = new AsyncLocalStorage<Path>();

/** Runs `fn` so that the system clients' requests it makes are filed under "producer". */
export function asProducer<T>(fn: () => Promise<T>): Promise<T> {
  return pathStore.run("producer", fn);
}

/** Counters shared by every client instrumented with them. */
export class Tally {
  private rows = new Map<string, Row>();
  private commands = new Map<string, number>();

  reset(): void {
    this.rows = new Map();
    this.commands = new Map();
  }

  /** A copy of the rows counted since the last reset. */
  snapshot(): Row[] {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  /** `client.send()` calls since the last reset (SDK retries not included). */
  commandCount(): number {
    let n = 0;
    for (const v of this.commands.values()) n += v;
    return n;
  }

  countCommand(service: Service, command: string): void {
    const key = `${service}|${command}`;
    this.commands.set(key, (this.commands.get(key) ?? 0) + 1);
  }

  add(row: Omit<Row, "requests" | "errors">, error: boolean): void {
    const key = `${row.path}|${row.service}|${row.command}|${row.detail}`;
    const r = this.rows.get(key) ?? { ...row, requests: 0, items: 0, units: 0, errors: 0 };
    r.requests += 1;
    r.items += row.items;
    r.units += row.units;
    if (error) r.errors += 1;
    this.rows.set(key, r);
  }
}

/**
 * Adds the counting middlewares to `client`. `fixedPath` files every request under that
 * path; without it, requests are "producer" inside `asProducer()` and "worker" elsewhere.
 */
export function instrument<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  service: Service,
  tally: Tally,
  fixedPath?: Path,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = commandOf(context.commandName);
      tally.countCommand(service, command);
      const input = args.input as unknown as Rec;
      if (
        service === "DynamoDB" &&
        DDB_ITEM_COMMANDS.has(command) &&
        input.ReturnConsumedCapacity === undefined
      ) {
        return next({ ...args, input: { ...input, ReturnConsumedCapacity: "TOTAL" } as I });
      }
      return next(args);
    },
    { step: "initialize", name: "benchCountCommands" },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = commandOf(context.commandName);
      const path = fixedPath ?? pathStore.getStore() ?? "worker";
      const input = args.input as unknown as Rec;
      try {
        const result = await next(args);
        const output = (result.output ?? {}) as Rec;
        tally.add({ path, service, command, ...describe(service, command, input, output) }, false);
        return result;
      } catch (error) {
        const name = error instanceof Error ? error.name : "Error";
        const d = describe(service, command, input, {});
        tally.add(
          { path, service, command, detail: `${d.detail} !${name}`, items: 0, units: 0 },
          true,
        );
        throw error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: "benchCountRequests" },
  );
}

function commandOf(name: string | undefined): string {
  return (name ?? "Unknown").replace(/Command$/, "");
}

function describe(
  service: Service,
  command: string,
  input: Rec,
  output: Rec,
): { detail: string; items: number; units: number } {
  if (service === "SQS") return describeSqs(command, input, output);
  return describeDynamo(command, input, output);
}

function describeSqs(
  command: string,
  input: Rec,
  output: Rec,
): { detail: string; items: number; units: number } {
  const entries = Array.isArray(input.Entries) ? input.Entries.length : 0;
  switch (command) {
    case "ReceiveMessage": {
      const n = Array.isArray(output.Messages) ? output.Messages.length : 0;
      return { detail: n === 0 ? "empty" : "non-empty", items: n, units: 0 };
    }
    case "SendMessageBatch":
    case "DeleteMessageBatch":
    case "ChangeMessageVisibilityBatch":
      return { detail: "", items: entries, units: 0 };
    case "SendMessage":
    case "DeleteMessage":
    case "ChangeMessageVisibility":
      return { detail: "", items: 1, units: 0 };
    default:
      return { detail: "", items: 0, units: 0 };
  }
}

function describeDynamo(
  command: string,
  input: Rec,
  output: Rec,
): { detail: string; items: number; units: number } {
  const units = consumed(output.ConsumedCapacity);
  switch (command) {
    case "PutItem":
      return { detail: kindOf((input.Item as Rec | undefined)?.pk), items: 1, units };
    case "UpdateItem":
    case "DeleteItem":
    case "GetItem":
      return { detail: kindOf((input.Key as Rec | undefined)?.pk), items: 1, units };
    case "BatchGetItem": {
      const tables = Object.values((input.RequestItems ?? {}) as Record<string, Rec>);
      const keys = tables.flatMap((t) => (Array.isArray(t.Keys) ? (t.Keys as Rec[]) : []));
      const left = Object.values((output.UnprocessedKeys ?? {}) as Record<string, Rec>).reduce(
        (n, t) => n + (Array.isArray(t.Keys) ? t.Keys.length : 0),
        0,
      );
      return { detail: kindOf(keys[0]?.pk), items: keys.length - left, units };
    }
    case "BatchWriteItem": {
      const lists = Object.values((input.RequestItems ?? {}) as Record<string, Rec[]>);
      const writes = lists.flat();
      const left = Object.values((output.UnprocessedItems ?? {}) as Record<string, Rec[]>).reduce(
        (n, l) => n + l.length,
        0,
      );
      const first = writes[0];
      const pk =
        ((first?.PutRequest as Rec | undefined)?.Item as Rec | undefined)?.pk ??
        ((first?.DeleteRequest as Rec | undefined)?.Key as Rec | undefined)?.pk;
      return { detail: kindOf(pk), items: writes.length - left, units };
    }
    case "Query":
      return { detail: "", items: typeof output.Count === "number" ? output.Count : 0, units };
    default:
      return { detail: "", items: 0, units };
  }
}

/** `task#<id>` → "task"; `chord#<gid>#<k>` → "chord-shard"; `group#<gid>#<p>` → "group-page". */
function kindOf(pk: unknown): string {
  const s = (pk as Rec | undefined)?.S;
  if (typeof s !== "string") return "?";
  const parts = s.split("#");
  const prefix = parts[0] ?? "?";
  if (parts.length <= 2) return prefix;
  return prefix === "chord" ? "chord-shard" : prefix === "group" ? "group-page" : `${prefix}-sub`;
}

function consumed(value: unknown): number {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.reduce(
    (n: number, c: Rec) => n + (typeof c.CapacityUnits === "number" ? c.CapacityUnits : 0),
    0,
  );
}
