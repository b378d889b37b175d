/**
 * The seed workloads of `npm run bench:calls`. Each sends through the system app inside
 * `asProducer()` (so its requests are filed as the producer's), and waits for its results
 * through the caller app, whose DynamoDB client is counted apart.
 */
import { type Celery, chain, chord, GroupResult, group, type Task } from "../runtime/index.js";
import { asProducer } from "./counter.js";

export interface BenchContext {
  /** The system app: producer and local worker (the counted "system" clients). */
  app: Celery;
  /** Same table, its own DynamoDB client: the caller's result polling. */
  caller: Celery;
  add: Task<[number, number], number>;
  xsum: Task<[number[]], number>;
}

export interface Workload {
  /** Key in the final JSON line (or a row name for extra rows). */
  key: string;
  title: string;
  /** Tasks that run. */
  tasks: number;
  /** Chord header members, for per-member figures. */
  members?: number;
  /** Sends, waits for every result, and checks the values. */
  run(ctx: BenchContext): Promise<string>;
}

/** Longest wait for one result; a bound, not a pacing. */
const WAIT = { timeout: 90 };

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function expect(what: string, got: unknown, want: unknown): string {
  if (got !== want) throw new Error(`${what}: expected ${String(want)}, got ${String(got)}`);
  return `${what} = ${String(got)} (ok)`;
}

/** Waits for each id in turn through the caller app, as `get()` on each handle would. */
async function sumEach(ctx: BenchContext, ids: string[]): Promise<number> {
  let sum = 0;
  for (const id of ids) sum += await ctx.caller.asyncResult<number>(id).get(WAIT);
  return sum;
}

export const WORKLOADS: Workload[] = [
  {
    key: "plain",
    title: "plain: 1,000 add via app.sendMany (batching producer), then get() each",
    tasks: 1000,
    async run(ctx) {
      const sigs = range(1000).map((i) => ctx.add.s(i, i));
      const handles = await asProducer(() => ctx.app.sendMany(sigs));
      return expect(
        "sum",
        await sumEach(
          ctx,
          handles.map((h) => h.id),
        ),
        999_000,
      );
    },
  },
  {
    key: "plainDelay",
    title: "plain-delay: 100 add.delay() one by one (unbatched producer), then get() each",
    tasks: 100,
    async run(ctx) {
      const ids = await asProducer(async () => {
        const out: string[] = [];
        for (const i of range(100)) out.push((await ctx.add.delay(i, i)).id);
        return out;
      });
      return expect("sum", await sumEach(ctx, ids), 9_900);
    },
  },
  {
    key: "group1000",
    title: "group1000: group(1,000 × add.s(i, i)).delay(), then GroupResult.get()",
    tasks: 1000,
    async run(ctx) {
      const res = await asProducer(() => group(range(1000).map((i) => ctx.add.s(i, i))).delay());
      const mine = new GroupResult<number[]>(
        res.id,
        res.results.map((r) => ctx.caller.asyncResult(r.id)),
        ctx.caller,
      );
      const values = await mine.get(WAIT);
      return expect(
        "sum",
        values.reduce((a, b) => a + b, 0),
        999_000,
      );
    },
  },
  {
    key: "chain10",
    title: "chain10: chain(add.s(1, 1), 9 × add.s(1)), 20 times one after another",
    tasks: 200,
    async run(ctx) {
      const results: number[] = [];
      for (let k = 0; k < 20; k++) {
        const steps = [ctx.add.s(1, 1), ...range(9).map(() => ctx.add.s(1))];
        const res = await asProducer(() => chain(steps).delay());
        results.push(await ctx.caller.asyncResult<number>(res.id).get(WAIT));
      }
      return expect("every chain's value", results.every((v) => v === 11) ? 11 : results, 11);
    },
  },
  {
    key: "chord1000",
    title: "chord1000: chord(1,000 × add.s(i, i), xsum.s()).delay(), then get()",
    tasks: 1001,
    members: 1000,
    async run(ctx) {
      const res = await asProducer(() =>
        chord(
          range(1000).map((i) => ctx.add.s(i, i)),
          ctx.xsum.s(),
        ).delay(),
      );
      return expect("xsum", await ctx.caller.asyncResult<number>(res.id).get(WAIT), 999_000);
    },
  },
];
