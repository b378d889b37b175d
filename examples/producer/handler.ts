/**
 * A producer Lambda: any function of the user's that sends the seed's tasks. The CDK
 * app deploys it with `CeleriacService.grantSend` and `grantResultRead`, which set
 * CELERIAC_BROKER, CELERIAC_BACKEND and CELERIAC_QUEUE_URLS and allow sqs:SendMessage
 * on the app's queues and dynamodb:GetItem/BatchGetItem on the results table.
 *
 * The event says what to send; every field is optional and `{}` sends `add(2, 2)`:
 *
 * ```json
 * { "add": [2, 2], "chain": true, "chord": 10, "wait": 20 }
 * ```
 *
 * - `add: [x, y]`: `add.delay(x, y)`.
 * - `chain: true`: the seed's `chain(add.s(4, 4), mul.s(8), mul.s(10)).delay()` (640);
 *   or `chain: [[x, y], [m1], [m2], …]`: `add.s(x, y)` then `mul.s(m)` for each `m`.
 * - `chord: n`: the seed's `chord(range(n).map((i) => add.s(i, i)), xsum.s()).delay()`
 *   (n = 10 gives 90); 1 to 1000.
 * - `wait: seconds`: also wait up to that long for each result and return the values.
 *
 * It returns the id of each result (for a chain, its last task; for a chord, its body),
 * e.g. `{ "ids": { "add": "…", "chain": "…" } }`, which `celeriac result <id> --wait`
 * follows; with `wait`, also `{ "results": { "add": 4, "chain": 640 } }`.
 */
import { type AsyncResult, chain, chord } from "../../runtime/index.js";
import { add, mul, xsum } from "../proj/tasks.js";

/** What to send. See the module's documentation. */
export interface ProducerEvent {
  add?: [number, number];
  chain?: boolean | number[][];
  chord?: number;
  wait?: number;
}

/** The ids sent, and the results when the event asked to wait. */
export interface ProducerResponse {
  ids: Partial<Record<"add" | "chain" | "chord", string>>;
  results?: Partial<Record<"add" | "chain" | "chord", unknown>>;
}

const SEED_CHAIN: number[][] = [[4, 4], [8], [10]];
const MAX_CHORD = 1000;

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Checks the event; one error listing every problem. */
export function parseEvent(raw: unknown): ProducerEvent {
  const event = (raw ?? {}) as Record<string, unknown>;
  if (typeof event !== "object" || Array.isArray(event)) {
    throw new TypeError('The producer event must be a JSON object, e.g. {"add": [2, 2]}.');
  }
  const problems: string[] = [];
  const known = new Set(["add", "chain", "chord", "wait"]);
  for (const k of Object.keys(event)) if (!known.has(k)) problems.push(`unknown field '${k}'`);
  const { add: a, chain: c, chord: n, wait } = event;
  if (a !== undefined && !(Array.isArray(a) && a.length === 2 && a.every(isNumber))) {
    problems.push("add must be two numbers, e.g. [2, 2]");
  }
  if (c !== undefined && typeof c !== "boolean") {
    const ok =
      Array.isArray(c) &&
      c.length >= 1 &&
      Array.isArray(c[0]) &&
      c[0].length === 2 &&
      c.every(
        (step, i) => Array.isArray(step) && step.every(isNumber) && (i === 0 || step.length === 1),
      );
    if (!ok) problems.push("chain must be true or [[x, y], [m1], [m2], ...] (numbers)");
  }
  if (
    n !== undefined &&
    !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_CHORD)
  ) {
    problems.push(`chord must be an integer from 1 to ${MAX_CHORD}`);
  }
  if (wait !== undefined && !(isNumber(wait) && wait > 0 && wait <= 900)) {
    problems.push("wait must be a number of seconds from 0 to 900");
  }
  if (problems.length > 0) throw new TypeError(`Bad producer event: ${problems.join("; ")}.`);
  const parsed = event as ProducerEvent;
  return a === undefined && c === undefined && n === undefined
    ? { ...parsed, add: [2, 2] }
    : parsed;
}

/** Sends what `event` asks for and returns the result ids (and values, with `wait`). */
export async function handler(event: unknown): Promise<ProducerResponse> {
  const e = parseEvent(event);
  const sent: Partial<Record<"add" | "chain" | "chord", AsyncResult<unknown>>> = {};
  if (e.add) sent.add = await add.delay(e.add[0], e.add[1]);
  if (e.chain) {
    const [[x, y] = [], ...factors] = e.chain === true ? SEED_CHAIN : e.chain;
    const steps = [add.s(x!, y!), ...factors.map(([m]) => mul.s(m!))];
    sent.chain = (await chain(steps).delay()) as AsyncResult<unknown>;
  }
  if (e.chord !== undefined) {
    const header = Array.from({ length: e.chord }, (_, i) => add.s(i, i));
    sent.chord = await chord(header, xsum.s()).delay();
  }
  const response: ProducerResponse = {
    ids: Object.fromEntries(Object.entries(sent).map(([k, r]) => [k, r.id])),
  };
  if (e.wait !== undefined) {
    const timeout = e.wait;
    const entries = await Promise.all(
      Object.entries(sent).map(async ([k, r]) => [k, await r.get({ timeout })] as const),
    );
    response.results = Object.fromEntries(entries);
  }
  return response;
}
