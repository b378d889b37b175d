/**
 * `npm run bench:cold-start`: what each bundled function costs a cold start. Bundles each
 * worker entry the way a deploy does (`bundle.ts`: esbuild with the construct's options),
 * then prints its size (bytes, gzip), how many modules went in, and how long importing it
 * takes in a fresh `node` with the deployed `--enable-source-maps`: the median of `RUNS`
 * imports, taken in turns with a baseline bundle (the SQS and DynamoDB clients alone,
 * `cold-start-baseline.ts`) and given as a ratio of it, so a loaded machine moves both.
 * Then the largest packages of the seed's worker, and whether any module the worker must
 * never carry (the CLI, the CDK, the emulators...) is in a worker's bundle. The last row
 * is a what-if no deploy builds: what the SDK's default credential chain beyond the
 * environment costs (see `env-credentials-only.ts`). Prints the tables and,
 * as its last line, one JSON object.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultRuntimeModule, writeWorkerEntry } from "../infra/construct/entry.js";
import { REPO_ROOT } from "../infra/proj-stack.js";
import type { BuildOptions } from "esbuild";
import { type Bundle, bundleForDeploy, deployBuildOptions, packageOf } from "./bundle.js";
import { forbiddenIn } from "./worker-forbidden.js";
import { table } from "./report.js";
import { mediansInTurns } from "./stats.js";

const RUNS = Number(process.env.COLD_START_RUNS ?? 9);

/**
 * The functions bundled: the baseline, the workers a deploy builds, the producer, and a
 * what-if that no deploy builds (the seed's worker with the SDK's credential chain cut
 * down to the environment, `env-credentials-only.ts`).
 */
const FUNCTIONS: readonly {
  name: string;
  entry: () => string;
  worker: boolean;
  options?: BuildOptions;
}[] = [
  {
    name: "baseline: SQS + DynamoDB clients",
    entry: () => resolve(REPO_ROOT, "bench/cold-start-baseline.ts"),
    worker: false,
  },
  {
    name: "worker: seed (handlers/worker.ts)",
    entry: () => resolve(REPO_ROOT, "handlers/worker.ts"),
    worker: true,
  },
  {
    name: "worker: generated entry (tasksModule)",
    entry: () =>
      writeWorkerEntry({
        tasksModule: resolve(REPO_ROOT, "examples/proj/tasks.ts"),
        runtimeModule: defaultRuntimeModule(),
        projectRoot: REPO_ROOT,
      }),
    worker: true,
  },
  {
    name: "producer (examples/producer)",
    entry: () => resolve(REPO_ROOT, "examples/producer/handler.ts"),
    worker: false,
  },
  {
    name: "what-if: seed worker, env credentials only",
    entry: () => resolve(REPO_ROOT, "handlers/worker.ts"),
    worker: false,
    options: {
      ...deployBuildOptions(),
      alias: {
        "@aws-sdk/credential-provider-node": resolve(REPO_ROOT, "bench/env-credentials-only.ts"),
      },
    },
  },
];

/** The environment a deployed worker starts with (the construct sets these). */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  CELERIAC_BROKER: "sqs://",
  CELERIAC_BACKEND: "dynamodb://proj-results",
  CELERIAC_QUEUE_URLS: JSON.stringify({
    celery: "https://sqs.us-east-1.amazonaws.com/000000000000/proj-celery",
    lopri: "https://sqs.us-east-1.amazonaws.com/000000000000/proj-lopri",
  }),
  NODE_OPTIONS: "--enable-source-maps",
};

/** Milliseconds one fresh `node` takes to import `file` (its top level included). */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    env: LAMBDA_ENV,
  });
  return Number(out.toString());
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ours = (b: Bundle) => b.modules.filter((m) => !m.includes("node_modules/")).length;

const outRoot = mkdtempSync(join(tmpdir(), "celeriac-cold-start-"));
try {
  const bundles: Bundle[] = [];
  for (const [i, f] of FUNCTIONS.entries()) {
    bundles.push(await bundleForDeploy(f.entry(), join(outRoot, String(i)), f.options));
  }
  const medians = mediansInTurns(bundles.length, RUNS, (i) => importMs(bundles[i]!.file));
  const base = medians[0]!;
  console.log(
    `each function bundled as a deploy bundles it; import in a fresh node (--enable-source-maps), median of ${RUNS}, in turns`,
  );
  console.log(
    table(
      [
        "function",
        "bundle",
        "gzip",
        "modules (ours + deps)",
        "import (ms)",
        "vs baseline",
        "never-bundled modules in it",
      ],
      FUNCTIONS.map((f, i) => {
        const b = bundles[i]!;
        const bad = forbiddenIn(b);
        return [
          f.name,
          kb(b.bytes),
          kb(b.gzipBytes),
          `${b.modules.length} (${ours(b)} + ${b.modules.length - ours(b)})`,
          medians[i]!.toFixed(1),
          (medians[i]! / base).toFixed(2),
          f.worker ? (bad.length === 0 ? "none" : bad.join(", ")) : "-",
        ];
      }),
    ),
  );
  const seed = bundles[1]!;
  const output = Object.values(seed.metafile.outputs).find((o) => o.entryPoint !== undefined)!;
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const p = packageOf(path);
    byPackage.set(p, (byPackage.get(p) ?? 0) + input.bytesInOutput);
  }
  console.log("\nthe seed worker's largest parts (minified bytes in the bundle)");
  console.log(
    table(
      ["package or folder", "bytes", "share"],
      [...byPackage]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 14)
        .map(([p, bytes]) => [p, String(bytes), `${((100 * bytes) / seed.bytes).toFixed(1)}%`]),
    ),
  );
  console.log(
    JSON.stringify({
      coldStart: Object.fromEntries(
        FUNCTIONS.map((f, i) => [
          f.name,
          {
            bytes: bundles[i]!.bytes,
            gzipBytes: bundles[i]!.gzipBytes,
            modules: bundles[i]!.modules.length,
            importMs: medians[i],
            vsBaseline: medians[i]! / base,
          },
        ]),
      ),
    }),
  );
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
