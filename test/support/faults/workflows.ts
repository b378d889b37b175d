import { isDeepStrictEqual } from "node:util";
import {
  type Celery,
  chain,
  chord,
  group,
  type GroupResult,
  type ResultHandle,
  type TaskContext,
} from "../../../runtime/index.js";

/** Runs counted inside the task functions: the worker's side of the figures. */
export class RunCounts {
  /** Task function calls, all tasks. */
  runs = 0;
  /** Calls by tag, for chord bodies and `once` tasks (each tag must run exactly once). */
  readonly byTag = new Map<string, number>();
  /** Attempts of each retried task, by tag. */
  readonly attempts = new Map<string, number>();

  /** Notes one task function call. */
  ran(): void {
    this.runs++;
  }

  /** Counts a call of `tag` in `map`; resolves the count so far. */
  bump(map: Map<string, number>, tag: string): number {
    const n = (map.get(tag) ?? 0) + 1;
    map.set(tag, n);
    return n;
  }
}

class FlakyError extends Error {
  override name = "FlakyError";
}

/**
 * The tasks the fault suites run, registered on `app`. The producer's app and the
 * worker's app register the same names; only the worker's functions run, and count.
 */
export function registerFaultTasks(app: Celery, counts: RunCounts, { taskMs = 0 } = {}) {
  const work = async () => {
    counts.ran();
    if (taskMs > 0) await new Promise((resolve) => setTimeout(resolve, taskMs));
  };
  return {
    add: app.task("faults.add", async (x: number, y: number) => {
      await work();
      return x + y;
    }),
    /** A chord body: sums the header's results; `tag` names it for the run count. */
    xsum: app.task("faults.xsum", async (xs: number[], tag: string) => {
      await work();
      counts.bump(counts.byTag, tag);
      return xs.reduce((a, b) => a + b, 0);
    }),
    once: app.task(
      "faults.once",
      async (x: number, tag: string) => {
        await work();
        counts.bump(counts.byTag, tag);
        return x * 10;
      },
      { once: true },
    ),
    /** Fails its first two attempts with an error in autoretryFor. */
    flaky: app.task(
      "faults.flaky",
      async (x: number, tag: string) => {
        await work();
        if (counts.bump(counts.attempts, tag) <= 2) throw new FlakyError(`attempt of ${tag}`);
        return x;
      },
      { autoretryFor: ["FlakyError"], maxRetries: 6, defaultRetryDelay: 0 },
    ),
    /** Asks for two retries with this.retry(), then answers x. */
    retrier: app.task(
      "faults.retrier",
      async function (this: TaskContext, x: number) {
        await work();
        if (this.request.retries < 2)
          return this.retry({ countdown: 0, exc: new Error("not yet") });
        return x;
      },
      { bind: true, maxRetries: 6 },
    ),
  };
}

export type FaultTasks = ReturnType<typeof registerFaultTasks>;

/** One result a user waits for, and the value it must have. */
export interface Check {
  name: string;
  result: Pick<ResultHandle, "get"> | GroupResult;
  expected: unknown;
}

/** What a user saw: each check right, wrong (another value or an error) or lost (timed out). */
export interface Outcomes {
  right: string[];
  wrong: string[];
  lost: string[];
  /** When each check's `get()` resolved right (epoch ms). */
  readyAt: Map<string, number>;
}

const range = (n: number) => [...Array(n).keys()];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Sends one of each workflow through the producer's tasks `t`, tags made unique with
 * `prefix`. Resolves what to check and the tags that must run exactly once (chord bodies
 * and `once` tasks).
 */
export async function sendWorkflows(
  t: FaultTasks,
  prefix: string,
): Promise<{ checks: Check[]; onceTags: string[] }> {
  const tag = (name: string) => `${prefix}:${name}`;
  const checks: Check[] = [];
  const add = (name: string, result: Check["result"], expected: unknown) =>
    checks.push({ name, result, expected });

  add("chain of 4", await chain(t.add.s(1, 1), t.add.s(2), t.add.s(3), t.add.s(4)).delay(), 11);
  add(
    "group of 8",
    await group(range(8).map((i) => t.add.s(i, i))).delay(),
    range(8).map((i) => 2 * i),
  );
  // the worker sends this group: add(1,1)=2 → [3, 4, 5, 6]
  add(
    "group inside a chain",
    await chain(t.add.s(1, 1), group(range(4).map((i) => t.add.s(i + 1)))).delay(),
    [3, 4, 5, 6],
  );
  add(
    "chord of 6",
    await chord(
      range(6).map((i) => t.add.s(i, 1)),
      t.xsum.s(tag("chord")),
    ).delay(),
    sum(range(6).map((i) => i + 1)),
  );
  // add(1,1)=2 → header add(2,1)=3, add(2,2)=4 → body 7 → add(7,10)=17
  add(
    "chord inside a chain",
    await chain(
      t.add.s(1, 1),
      chord([t.add.s(1), t.add.s(2)], t.xsum.s(tag("chain-chord"))),
      t.add.s(10),
    ).delay(),
    17,
  );
  // header [2+1=3, 10] → 13
  add(
    "chain inside a chord header",
    await chord(
      [chain(t.add.s(1, 1), t.add.s(1)), t.add.s(5, 5)],
      t.xsum.s(tag("header-chain")),
    ).delay(),
    13,
  );
  // inner chord 2+4=6, beside 6 → 12
  add(
    "chord inside a chord header",
    await chord(
      [chord([t.add.s(1, 1), t.add.s(2, 2)], t.xsum.s(tag("inner"))), t.add.s(3, 3)],
      t.xsum.s(tag("outer")),
    ).delay(),
    12,
  );
  // first chord 2+4=6 → second header add(6,1)=7, add(6,2)=8 → 15
  add(
    "chord after a chord in a chain",
    await chain(
      chord([t.add.s(1, 1), t.add.s(2, 2)], t.xsum.s(tag("first"))),
      chord([t.add.s(1), t.add.s(2)], t.xsum.s(tag("second"))),
    ).delay(),
    15,
  );
  for (const i of range(2)) add(`autoretryFor ${i}`, await t.flaky.delay(i, tag(`flaky-${i}`)), i);
  for (const i of range(2)) add(`this.retry ${i}`, await t.retrier.delay(i), i);
  const onceTags = range(4).map((i) => tag(`once-${i}`));
  for (const [i, onceTag] of onceTags.entries())
    add(`once ${i}`, await t.once.delay(i, onceTag), i * 10);

  const bodies = ["chord", "chain-chord", "header-chain", "inner", "outer", "first", "second"];
  return { checks, onceTags: [...bodies.map(tag), ...onceTags] };
}

/** Waits for every check (each `get()` bounded by `timeoutSeconds`) and sorts them out. */
export async function settle(checks: readonly Check[], timeoutSeconds: number): Promise<Outcomes> {
  const outcomes: Outcomes = { right: [], wrong: [], lost: [], readyAt: new Map() };
  await Promise.all(
    checks.map(async (c) => {
      try {
        const value: unknown = await c.result.get({ timeout: timeoutSeconds });
        if (isDeepStrictEqual(value, c.expected)) {
          outcomes.right.push(c.name);
          outcomes.readyAt.set(c.name, Date.now());
        } else
          outcomes.wrong.push(
            `${c.name}: got ${JSON.stringify(value)}, expected ${JSON.stringify(c.expected)}`,
          );
      } catch (error) {
        const message = (error as Error).message;
        if (/timed out/.test(message)) outcomes.lost.push(`${c.name}: ${message}`);
        else outcomes.wrong.push(`${c.name}: raised ${(error as Error).name}: ${message}`);
      }
    }),
  );
  return outcomes;
}

/** The tags that did not run exactly once, with their run counts. */
export function notRunOnce(counts: RunCounts, tags: readonly string[]): Record<string, number> {
  const off: Record<string, number> = {};
  for (const t of tags) {
    const n = counts.byTag.get(t) ?? 0;
    if (n !== 1) off[t] = n;
  }
  return off;
}
