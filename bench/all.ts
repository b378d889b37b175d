/**
 * `npm run bench`: runs every table, each in a process of its own (cost via
 * `bench:calls`, scale on the memory runtime, throughput, latency and recovery on the
 * emulators, the size and import time of each bundled function), prints them
 * as they come, and writes the latest to `bench/RESULTS.md` with the machine it ran on.
 * Timings are ratios of paths measured side by side in the same run; nothing here is a
 * test and nothing asserts a time.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { cpus, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

/** One table's script and the part of its output kept in RESULTS.md. */
interface Section {
  title: string;
  script: string;
  /** The output from the first line containing this (the whole output when absent). */
  from?: string;
}

const SECTIONS: Section[] = [
  {
    title: "Cost: requests per task (`npm run bench:calls`)",
    script: "calls.ts",
    from: "=== Summary",
  },
  { title: "Scale: the embedded memory runtime (`npm run bench:scale`)", script: "scale.ts" },
  {
    title: "Throughput: fauxqs + dynalite in a child process (`npm run bench:throughput`)",
    script: "throughput.ts",
  },
  {
    title: "Latency: one round trip at a time (`npm run bench:latency`)",
    script: "latency.ts",
  },
  {
    title: "Recovery: the cost of one transient failure of a record (`npm run bench:recovery`)",
    script: "recovery.ts",
  },
  {
    title: "Cold start: each bundled function's size and import time (`npm run bench:cold-start`)",
    script: "cold-start.ts",
  },
  {
    title: "Node without a bundler: import time of the package (`npm run bench:node-import`)",
    script: "node-import.ts",
  },
];

/** Runs one bench script with tsx's loader, echoing and collecting its stdout. */
function run(script: string): Promise<string> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      process.stdout.write(chunk);
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`bench/${script} exited with ${String(code)}`)),
    );
  });
}

/** The part of an output kept: from `from`, without the machine-readable JSON last line. */
function kept(output: string, from?: string): string {
  const lines = output.trimEnd().split("\n");
  const start = from
    ? Math.max(
        0,
        lines.findIndex((l) => l.includes(from)),
      )
    : 0;
  const body = lines.slice(start);
  if (body.at(-1)?.startsWith("{")) body.pop();
  return body.join("\n");
}

function machine(): string {
  const cpu = cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- os: ${platform()} ${release()}`,
    `- cpus: ${cpu.length} × ${cpu[0]?.model ?? "unknown"}`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- node: ${process.version}`,
  ].join("\n");
}

const parts = ["# Latest `npm run bench`", "", machine(), ""];
for (const s of SECTIONS) {
  console.log(`\n##### ${s.title}\n`);
  const output = await run(s.script);
  parts.push(`## ${s.title}`, "", "```text", kept(output, s.from), "```", "");
}
const target = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
await writeFile(target, parts.join("\n"));
console.log(`\nwrote ${target}`);
