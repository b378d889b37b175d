/**
 * `npm run bench:node-import`: what `import "celeriac"` costs where Node loads the
 * installed package itself (tests, scripts, a server; not a bundled Lambda). Builds the
 * package as `npm pack` does (tsc with tsconfig.build.json) into a scratch folder beside
 * a copy of package.json, then times a fresh `node` importing its entry, in turns:
 * - as Node resolves `#aws-transports` (the on-demand transports: no AWS SDK);
 * - a copy whose package.json gives Node the transports bundlers get (the SDK with the
 *   package, as before the on-demand ones: Node's `--conditions=module` cannot stand in,
 *   since the SDK's own "module" files are for bundlers only);
 * - the SQS and DynamoDB clients alone, the baseline of the ratios.
 * Then the same entry with an sqs:// + dynamodb:// app and its broker and backend loaded
 * (prepare()), so the SDK's cost is paid either way. Prints a table and, as its last
 * line, one JSON object.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../infra/proj-stack.js";
import { table } from "./report.js";
import { mediansInTurns } from "./stats.js";

const RUNS = Number(process.env.NODE_IMPORT_RUNS ?? 9);

const scratch = mkdtempSync(join(tmpdir(), "celeriac-node-import-"));
const ENV = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

/** A module script that imports `what` (and runs `then`) and prints the milliseconds taken. */
function timed(what: string, then = ""): string {
  return `const t = performance.now(); ${what}; ${then} process.stdout.write(String(performance.now() - t));`;
}

/** The two copies of the package: as published, and with the SDK always in. */
type Copy = "on-demand" | "static";
const entry = (copy: Copy): string =>
  JSON.stringify(pathToFileURL(join(scratch, copy, "dist/runtime/index.js")).href);
const AWS_APP =
  'const app = new Celery("bench", { broker: "sqs://", backend: "dynamodb://bench-results" }); await Promise.all([app.broker.prepare?.(), app.backend.prepare?.()]);';

const CASES: readonly { name: string; script: string }[] = [
  {
    name: "baseline: SQS + DynamoDB clients",
    script: timed(
      `await Promise.all([import("@aws-sdk/client-sqs"), import("@aws-sdk/client-dynamodb")])`,
    ),
  },
  {
    name: 'import "celeriac" (as published: SDK on demand)',
    script: timed(`await import(${entry("on-demand")})`),
  },
  {
    name: 'import "celeriac" (SDK with the package)',
    script: timed(`await import(${entry("static")})`),
  },
  {
    name: "+ an sqs:// app, SDK loaded (as published)",
    script: timed(`const { Celery } = await import(${entry("on-demand")})`, AWS_APP),
  },
  {
    name: "+ an sqs:// app, SDK loaded (SDK with the package)",
    script: timed(`const { Celery } = await import(${entry("static")})`, AWS_APP),
  },
];

/** Writes `copy` of the package from the build in `scratch/dist`. */
function makeCopy(copy: Copy): void {
  const dir = join(scratch, copy);
  cpSync(join(scratch, "dist"), join(dir, "dist"), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    imports: Record<string, Record<string, string>>;
  };
  if (copy === "static") {
    for (const targets of Object.values(pkg.imports)) targets.default = targets.module!;
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
}

function runMs(script: string): number {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: join(scratch, "on-demand"),
    env: ENV,
  });
  return Number(out.toString());
}

try {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      join(REPO_ROOT, "tsconfig.build.json"),
      "--outDir",
      join(scratch, "dist"),
    ],
    { stdio: "inherit" },
  );
  makeCopy("on-demand");
  makeCopy("static");
  const medians = mediansInTurns(CASES.length, RUNS, (i) => runMs(CASES[i]!.script));
  const base = medians[0]!;
  console.log(
    `the package as built for npm pack, imported by a fresh node (no bundler), median of ${RUNS}, in turns`,
  );
  console.log(
    table(
      ["what node does", "ms", "vs baseline"],
      CASES.map((c, i) => [c.name, medians[i]!.toFixed(1), (medians[i]! / base).toFixed(2)]),
    ),
  );
  console.log(
    JSON.stringify({
      nodeImport: Object.fromEntries(
        CASES.map((c, i) => [c.name, { ms: medians[i], vsBaseline: medians[i]! / base }]),
      ),
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
