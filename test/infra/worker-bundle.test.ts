import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Bundle, bundleForDeploy } from "../../bench/bundle.js";
import { forbiddenIn } from "../../bench/worker-forbidden.js";
import { defaultRuntimeModule, writeWorkerEntry } from "../../infra/construct/entry.js";
import { REPO_ROOT } from "../../infra/proj-stack.js";

// What a deploy puts in a worker function, read from esbuild's metafile: the bundled
// files and the imports left external. The CLI, the CDK, the bundler, the emulators and
// their helpers must never be in it; this keeps them from growing back silently.

const outdir = mkdtempSync(join(tmpdir(), "celeriac-worker-bundle-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

let count = 0;
const bundle = (entry: string): Promise<Bundle> =>
  bundleForDeploy(entry, join(outdir, `${count++}`));

describe("Worker bundles (as a deploy builds them)", () => {
  it("keeps the CLI, the CDK, the bundler and the emulators out of the seed's worker", async () => {
    const seed = await bundle(resolve(REPO_ROOT, "handlers/worker.ts"));
    expect(seed.modules).toContain("runtime/worker/worker-handler.ts");
    expect(forbiddenIn(seed)).toEqual([]);
  });

  it("keeps them out of the entry generated for a tasksModule", async () => {
    const entry = writeWorkerEntry({
      tasksModule: resolve(REPO_ROOT, "examples/proj/tasks.ts"),
      runtimeModule: defaultRuntimeModule(),
      projectRoot: REPO_ROOT,
    });
    const generated = await bundle(entry);
    expect(generated.modules).toContain("examples/proj/tasks.ts");
    expect(forbiddenIn(generated)).toEqual([]);
  });

  it("bundles the AWS SDK clients rather than importing them from the runtime", async () => {
    const seed = await bundle(resolve(REPO_ROOT, "handlers/worker.ts"));
    expect(seed.externalImports.filter((i) => !i.startsWith("node:"))).toEqual([]);
    expect(seed.modules.some((m) => m.includes("node_modules/@aws-sdk/client-sqs/"))).toBe(true);
  });

  it("does find them when an entry reaches them (the check is live)", async () => {
    const control = await bundle(resolve(REPO_ROOT, "test/infra/reaches-never-bundled.ts"));
    expect(forbiddenIn(control)).toEqual(
      expect.arrayContaining([
        "the CLI (runtime/cli)",
        "the local emulators' helpers (runtime/local)",
        "fauxqs",
      ]),
    );
  });
});
