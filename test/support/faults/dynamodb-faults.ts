import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type FaultLog, taskIdOfKey } from "./fault-log.js";
import { hit, type Random } from "./random.js";

/** Rates (0 to 1) of the faults {@link injectDynamoDBFaults} makes, per request. */
export interface DynamoDBFaultRates {
  /** A write (PutItem, UpdateItem, DeleteItem, BatchWriteItem) throttled before it lands. */
  writeBefore?: number;
  /** A write that lands, then fails as a 500 InternalServerError or a socket timeout would. */
  writeAfter?: number;
  /** A read (GetItem, BatchGetItem) throttled. */
  readThrottle?: number;
}

const WRITES = new Set([
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
]);
const READS = new Set(["GetItemCommand", "BatchGetItemCommand"]);
const TERMINAL = new Set(["SUCCESS", "FAILURE", "REVOKED"]);

type Attr = { S?: string };
type ItemLike = Record<string, Attr | undefined>;
interface ItemInput {
  Key?: ItemLike;
  Item?: ItemLike;
  RequestItems?: Record<
    string,
    | (
        | { PutRequest?: { Item?: ItemLike }; DeleteRequest?: { Key?: ItemLike } }
        | { Keys?: ItemLike[] }
      )[]
    | { Keys?: ItemLike[] }
  >;
}

/** The partition keys a request names. */
function keysOf(input: ItemInput): string[] {
  const keys: (string | undefined)[] = [input.Key?.pk?.S, input.Item?.pk?.S];
  for (const value of Object.values(input.RequestItems ?? {})) {
    if (Array.isArray(value)) {
      for (const w of value) {
        if ("PutRequest" in w) keys.push(w.PutRequest?.Item?.pk?.S);
        if ("DeleteRequest" in w) keys.push(w.DeleteRequest?.Key?.pk?.S);
      }
    } else {
      for (const k of value.Keys ?? []) keys.push(k.pk?.S);
    }
  }
  return keys.filter((k): k is string => k !== undefined);
}

/** An error shaped like the SDK's ThrottlingException (retryable, the client's fault). */
export function throttlingError(): Error {
  return Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
    name: "ThrottlingException",
    $fault: "client",
    $metadata: { httpStatusCode: 400, attempts: 1 },
    $retryable: { throttling: true },
  });
}

/** An error shaped like the SDK's for a 500 InternalServerError, or a socket timeout. */
export function afterLandingError(random: Random): Error {
  if (random() < 0.5) {
    return Object.assign(new Error("Internal server error"), {
      name: "InternalServerError",
      $fault: "server",
      $metadata: { httpStatusCode: 500, attempts: 1 },
    });
  }
  return Object.assign(new Error("socket timed out while waiting for the response"), {
    name: "TimeoutError",
    code: "ETIMEDOUT",
    $metadata: { attempts: 1 },
  });
}

/**
 * Adds middleware to `client` that, with the given rates and draws from `random`,
 * throttles writes before they land, fails writes after they landed, and throttles reads.
 * It also notes in `log` when each task's terminal record (a `task#<id>` item written
 * with a terminal status) first lands, for the recovery figures.
 */
export function injectDynamoDBFaults(
  client: DynamoDBClient,
  rates: DynamoDBFaultRates,
  random: Random,
  log: FaultLog,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "";
      const input = args.input as ItemInput;
      const isWrite = WRITES.has(command);
      if (!isWrite && !READS.has(command)) return next(args);
      const ids = keysOf(input)
        .map(taskIdOfKey)
        .filter((id): id is string => id !== undefined);
      if (!isWrite && hit(random, rates.readThrottle)) {
        log.fault("read-throttled", ids);
        throw throttlingError();
      }
      if (isWrite && hit(random, rates.writeBefore)) {
        log.fault("write-throttled", ids);
        throw throttlingError();
      }
      const out = await next(args);
      const status = input.Item?.status?.S;
      const pk = input.Item?.pk?.S;
      const taskId = taskIdOfKey(pk);
      if (
        command === "PutItemCommand" &&
        pk?.startsWith("task#") &&
        taskId &&
        status &&
        TERMINAL.has(status)
      )
        log.terminal(taskId);
      if (isWrite && hit(random, rates.writeAfter)) {
        log.fault("write-failed-after", ids);
        throw afterLandingError(random);
      }
      return out;
    },
    { step: "initialize", name: "celeriacTestDynamoDBFaults" },
  );
}
