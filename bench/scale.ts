/**
 * `npm run bench:scale`: a group and a chord of 10,000 and 100,000 `add` members on the
 * embedded memory runtime, with a local worker (`concurrency: 4`), each in a fresh app.
 * Prints a table of times, the 100k/10k ratio (target: within 12x) and the peak resident
 * memory (the `rss` high-water mark, sampled every 20 ms), and, as its last line, one
 * JSON object with the figures, for `npm run bench` to collect.
 */
import { Celery, chord, group } from "../runtime/index.js";
import { table } from "./report.js";

/** The sizes measured (`SCALE_SIZES=10000,100000`); the ratio compares the last with the first. */
const SIZES = (process.env.SCALE_SIZES ?? "10000,100000").split(",").map(Number);
/** Target for time(100k) / time(10k). */
const RATIO_TARGET = 12;
const WAIT = { timeout: 600 };

/** One measured row: a workload of `size` members, its time and peak memory. */
export interface ScaleRow {
  shape: "group" | "chord";
  size: number;
  seconds: number;
  peakRssMB: number;
}

/** Samples `process.memoryUsage().rss` until stopped; resolves the high-water mark. */
function sampleRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

/** Runs one group or chord of `size` members in a fresh memory app; checks the sum. */
async function measure(shape: "group" | "chord", size: number): Promise<ScaleRow> {
  const app = new Celery("scale", { broker: "memory://", backend: "memory://" });
  const add = app.task("scale.add", (x: number, y: number) => x + y);
  const xsum = app.task("scale.xsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
  const members = Array.from({ length: size }, (_, i) => add.s(i, 0));
  const want = (size * (size - 1)) / 2;
  const worker = app.worker({ concurrency: 4 });
  global.gc?.();
  const stopSampling = sampleRss();
  const started = performance.now();
  await worker.start();
  let got: number;
  if (shape === "group") {
    const res = await group(members).delay();
    got = (await res.get(WAIT)).reduce((a, b) => a + b, 0);
  } else {
    got = await (await chord(members, xsum.s()).delay()).get(WAIT);
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = stopSampling();
  await worker.stop();
  await app.close();
  if (got !== want) throw new Error(`${shape} of ${size}: sum ${got}, expected ${want}`);
  return { shape, size, seconds, peakRssMB: peak / 2 ** 20 };
}

/** Measures every shape and size, prints the table, and returns the rows. */
export async function runScale(): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const shape of ["group", "chord"] as const) {
    for (const size of SIZES) rows.push(await measure(shape, size));
  }
  console.log(scaleTable(rows));
  return rows;
}

/** The scale table as text: one line per shape, times per size, ratio and peak memory. */
export function scaleTable(rows: readonly ScaleRow[]): string {
  const small = SIZES[0] ?? 0;
  const large = SIZES[SIZES.length - 1] ?? 0;
  const k = (n: number) => `${n / 1000}k`;
  const lines = (["group", "chord"] as const).map((shape) => {
    const of = (n: number) => rows.find((r) => r.shape === shape && r.size === n);
    const a = of(small);
    const b = of(large);
    const ratio = a && b ? b.seconds / a.seconds : Number.NaN;
    const peak = Math.max(...rows.filter((r) => r.shape === shape).map((r) => r.peakRssMB));
    return [
      shape,
      a ? a.seconds.toFixed(2) : "-",
      b ? b.seconds.toFixed(2) : "-",
      `${ratio.toFixed(1)}x`,
      ratio <= RATIO_TARGET ? "met" : "NOT met",
      peak.toFixed(0),
    ];
  });
  return table(
    [
      "shape",
      `${k(small)} (s)`,
      `${k(large)} (s)`,
      `${k(large)} / ${k(small)}`,
      `target ≤ ${RATIO_TARGET}x`,
      "peak rss (MB)",
    ],
    lines,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runScale();
  console.log(JSON.stringify({ scale: rows }));
}
