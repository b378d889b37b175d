import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CeleriacService } from "../../infra/construct/index.js";
import { buildProjApp, type ProjStack, REPO_ROOT } from "../../infra/proj-stack.js";
import { encodeRequest } from "../../runtime/message/envelope.js";
import { taskRequest } from "../support/task-request.js";

// The seed's stack exactly as `cdk synth` builds it: both functions bundled by the local
// esbuild, cdk-nag's AwsSolutions pack registered. Built once for the whole file.

const outdir = mkdtempSync(join(tmpdir(), "celeriac-cdk-"));
let app: App;
let stack: ProjStack;
let assembly: CloudAssembly;
let template: Template;

beforeAll(() => {
  app = new App({ outdir });
  stack = buildProjApp(app);
  assembly = app.synth(); // throws when a policy validation plugin (cdk-nag) reports anything
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The asset directory holding a function's bundle. */
function bundleDir(fnId: string): string {
  const fn = template.toJSON().Resources[fnId];
  const key = fn.Properties.Code.S3Key as string;
  return join(outdir, `asset.${key.replace(/\.zip$/, "")}`);
}

describe("cdk-nag AwsSolutions", () => {
  it("reports no finding, error or warning, on the synthesized app", () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("leaves no error or warning annotation on the stack", () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError("*", Match.anyValue())).toEqual([]);
    expect(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).toEqual([]);
  });

  it("does catch a non-compliant resource (the check is live)", () => {
    const other = new Stack(new App(), "Control");
    new sqs.Queue(other, "Plain");
    const rules = new AwsSolutionsChecks().validateScope(other).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]));
  });
});

describe("NodejsFunction bundles", () => {
  const fnIds = () =>
    [...Object.values(stack.service.workers), stack.producer].map((fn) =>
      stack.getLogicalId(fn.node.defaultChild as CfnElement),
    );

  it("bundles each function as ESM with a createRequire banner and source map", () => {
    for (const id of fnIds()) {
      const dir = bundleDir(id);
      expect(existsSync(join(dir, "index.mjs.map"))).toBe(true);
      const code = readFileSync(join(dir, "index.mjs"), "utf8");
      expect(
        code.startsWith("import { createRequire as __celeriacCreateRequire } from 'node:module';"),
      ).toBe(true);
      // The AWS SDK is bundled, not taken from the Lambda runtime.
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code).not.toMatch(/from\s*["'](fauxqs|dynalite|tsx)["']/);
      expect(template.toJSON().Resources[id].Properties).toMatchObject({
        Handler: "index.handler",
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
      });
    }
  });

  it("gives both workers the same bundle of handlers/worker.ts", () => {
    const [celery, lopri, producer] = fnIds().map(bundleDir);
    expect(celery).toBe(lopri);
    expect(producer).not.toBe(celery);
  });

  it("produces bundles that Node loads and that export handler", () => {
    for (const id of fnIds()) {
      const file = join(bundleDir(id), "index.mjs");
      const out = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
        ],
        { env: { ...process.env, CELERIAC_BROKER: "memory://", CELERIAC_BACKEND: "memory://" } },
      );
      expect(out.toString().trim()).toBe("function");
    }
  });
});

describe("Prop: tasksModule", () => {
  it("bundles a generated entry that runs createWorkerHandler({ app }) on the module's app", async () => {
    const dir = mkdtempSync(join(tmpdir(), "celeriac-tasks-"));
    try {
      const s = new Stack(new App({ outdir: dir }), "FromTasks");
      const service = new CeleriacService(s, "Svc", {
        appName: "proj",
        routingKeys: ["celery"],
        tasksModule: resolve(REPO_ROOT, "examples/proj/tasks.ts"),
        projectRoot: REPO_ROOT,
      });
      const t = Template.fromStack(s).toJSON();
      const id = s.getLogicalId(service.workers.celery!.node.defaultChild as CfnElement);
      const bundle = join(
        dir,
        `asset.${(t.Resources[id].Properties.Code.S3Key as string).replace(/\.zip$/, "")}`,
        "index.mjs",
      );
      // Run the bundled handler on one SQS record, add(2, 2), on the memory runtime.
      const body = encodeRequest(taskRequest({ id: "t-1", task: "proj.tasks.add", args: [2, 2] }));
      const script = `
        const { handler } = await import(${JSON.stringify(bundle)});
        const record = { messageId: "m-1", body: process.env.BODY, attributes: { ApproximateReceiveCount: "1" } };
        console.log(JSON.stringify(await handler({ Records: [record] })));`;
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        env: {
          ...process.env,
          BODY: body,
          CELERIAC_BROKER: "memory://",
          CELERIAC_BACKEND: "memory://",
        },
      });
      const lines = out.toString().trim().split("\n");
      expect(JSON.parse(lines.at(-1)!)).toEqual({ batchItemFailures: [] });
      const logs = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logs).toContainEqual(
        expect.objectContaining({ task: "proj.tasks.add", state: "SUCCESS", app: "proj" }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
