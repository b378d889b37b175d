import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { motoEnv } from "../../infra/local/deploy-to-moto.js";
import { findOnPath, type MotoServer, startMotoServer } from "../../runtime/local/moto-server.js";
import { installedVersion, packInto, REPO_ROOT } from "../../scripts/pack.js";
import { parseExports, readmeCommands, readmeFiles, readmeSection } from "./readme-section.js";

// A user's own project, as the README's "Use it in your project" builds it: the packed
// tarball installed with the peers the README names (pinned to this repository's
// versions so that npm's cache serves them), the README's files written there, and each
// of its commands run in that folder: a chord on the embedded runtime and on the
// emulators, the CLI on a .ts tasks module, and the stack deployed to moto with the CDK
// CLI. Nothing here is skipped: a missing piece (moto_server, a peer) fails the test.
const section = readmeSection(REPO_ROOT, "Use it in your project");
const blocks = readmeCommands(section);
const execFileAsync = promisify(execFile);

/** The environment of a command in the project: this one's, without AWS or Celeriac settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CELERIAC_|CDK_|VITEST|npm_)/.test(key)) env[key] = value;
  }
  return { ...env, CDK_DISABLE_CLI_TELEMETRY: "true", ...extra };
}

/** `npm install a b@1` with `celeriac` as the tarball and every bare name pinned. */
function pinnedInstall(line: string, tarball: string): string[] {
  const [, , ...args] = line.split(/\s+/);
  return args.map((arg) => {
    if (arg.startsWith("-")) return arg;
    if (arg === "celeriac") return tarball;
    return /^@?[^@]+@/.test(arg) ? arg : `${arg}@${installedVersion(arg)}`;
  });
}

describe("Consumer: a project of its own, from the packed tarball", () => {
  let project: string;
  let tarball: string;
  let moto: MotoServer | undefined;

  /** Runs one README command line in the project; resolves what it printed. */
  async function sh(line: string, env: NodeJS.ProcessEnv = cleanEnv()) {
    const [command = "", ...rest] = line.split(/\s+/);
    const args =
      command === "npm" && rest[0] === "install"
        ? [
            "install",
            "--prefer-offline",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            ...pinnedInstall(line, tarball),
          ]
        : rest;
    try {
      return await execFileAsync(command, args, {
        cwd: project,
        env,
        timeout: 240_000,
        maxBuffer: 64 << 20,
      });
    } catch (error) {
      const e = error as Error & { stdout?: string; stderr?: string };
      throw new Error(
        `'${line}' failed in ${project}: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`,
      );
    }
  }

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), "celeriac-consumer-"));
    tarball = packInto(project);
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "shop", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
    );
    for (const line of blocks[0]?.lines ?? []) await sh(line);
    for (const file of readmeFiles(section)) {
      mkdirSync(dirname(join(project, file.path)), { recursive: true });
      writeFileSync(join(project, file.path), file.text);
    }
  }, 300_000);

  afterAll(async () => {
    await moto?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("installs the runtime with only the SQS and DynamoDB clients, the rest as optional peers", () => {
    const pkg = JSON.parse(
      readFileSync(join(project, "node_modules/celeriac/package.json"), "utf8"),
    ) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, unknown>;
      exports: Record<string, unknown>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/client-sqs",
    ]);
    expect(Object.keys(pkg.peerDependenciesMeta).sort()).toEqual([
      "@aws-sdk/client-lambda",
      "aws-cdk-lib",
      "constructs",
      "esbuild",
      "tsx",
    ]);
    expect(Object.keys(pkg.exports)).toEqual([
      ".",
      "./lambda",
      "./sqs",
      "./dynamodb",
      "./local",
      "./cdk",
      "./package.json",
    ]);
    expect(existsSync(join(project, "node_modules/celeriac/dist/infra/construct/index.js"))).toBe(
      true,
    );
    expect(existsSync(join(project, "node_modules/celeriac/dist/examples"))).toBe(false);
  });

  it("runs a chord on the embedded runtime and on the emulators, and the CLI on a .ts module", async () => {
    const quiet = cleanEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
    const [memory, emulators, inspect] = blocks[2]?.lines ?? [];
    expect((await sh(memory!, quiet)).stdout).toBe("chord on memory: 20\n");
    const local = await sh(emulators!, quiet);
    expect(local.stdout).toBe("chord on emulators: 20\n");
    expect(local.stderr).toBe("");
    // The CLI quiets the SDK's Node 20 notice itself: no variable set here.
    const registered = await sh(inspect!);
    expect(registered.stdout).toBe("shop.tasks.add\nshop.tasks.total\nshop.tasks.welcome\n");
    expect(registered.stderr).toBe("");
  }, 120_000);

  it("loads the AWS SDK in Node only for sqs:// and dynamodb://, and with the package in a bundle", async () => {
    // Node takes `#aws-transports` on demand: a memory:// app runs under hooks that refuse
    // every @aws-sdk module (test/support/sdk-probe), and an sqs:// app loads it at its first request.
    for (const hook of ["forbid-sdk.mjs", "forbid-sdk-hooks.mjs"]) {
      copyFileSync(join(REPO_ROOT, "test/support/sdk-probe", hook), join(project, hook));
    }
    writeFileSync(
      join(project, "no-sdk.mjs"),
      [
        'import { Celery } from "celeriac";',
        'const app = new Celery("nosdk", { broker: "memory://", backend: "memory://" });',
        'const add = app.task("nosdk.add", (x, y) => x + y);',
        "const worker = app.worker();",
        "await worker.start();",
        "console.log(await (await add.delay(2, 2)).get({ timeout: 10 }));",
        "await worker.stop();",
        "await app.close();",
        'const aws = new Celery("nosdk", { broker: "sqs://", backend: "dynamodb://nosdk-results" });',
        "console.log(await aws.broker.prepare().catch((e) => e.message.split(': ')[0]));",
      ].join("\n"),
    );
    const run = await sh("node --import ./forbid-sdk.mjs no-sdk.mjs");
    expect(run.stdout).toBe("4\n@aws-sdk loaded\n");

    // A bundler takes the "module" condition: the transports that import the SDK statically.
    const bundled = await build({
      absWorkingDir: project,
      entryPoints: ["no-sdk.mjs"],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "error",
    });
    const inputs = Object.keys(bundled.metafile.inputs);
    expect(inputs).toContain("node_modules/celeriac/dist/runtime/adapters/aws-transports.js");
    const ours = inputs.filter((i) => i.startsWith("node_modules/celeriac/"));
    expect(ours.filter((i) => /on-demand|\/lazy-/.test(i))).toEqual([]);
  }, 120_000);

  it("deploys the user's own stack to moto with the CDK CLI, and runs a chord on it", async () => {
    const command = findOnPath("moto_server");
    if (!command) throw new Error('moto_server is not on the PATH: pip install "moto[server]"');
    const lines = blocks[3]?.lines ?? [];
    expect(lines[0]).toBe("moto_server -H 127.0.0.1 -p 5000 &");
    moto = await startMotoServer(command);
    let env = cleanEnv({
      ...motoEnv(moto.endpoint),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    let chordOut = "";
    for (const line of lines.slice(1)) {
      if (line.startsWith("export ")) {
        const vars = parseExports(line.replace("http://127.0.0.1:5000", moto.endpoint));
        env = { ...env, ...vars };
      } else {
        chordOut = (await sh(line, env)).stdout;
      }
    }
    expect(env.AWS_ENDPOINT_URL).toBe(moto.endpoint);
    expect(chordOut).toBe("chord on env: 20\n");

    const template = JSON.parse(
      readFileSync(join(project, "cdk.out/Shop.template.json"), "utf8"),
    ) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const of = (type: string) =>
      Object.values(template.Resources)
        .filter((r) => r.Type === type)
        .map((r) => r.Properties);
    expect(
      of("AWS::SQS::Queue")
        .map((q) => q.QueueName)
        .sort(),
    ).toEqual(["shop-celery", "shop-celery-dlq", "shop-emails", "shop-emails-dlq"]);
    expect(of("AWS::DynamoDB::Table").map((t) => t.TableName)).toEqual(["shop-results"]);
    expect(of("AWS::Lambda::Function")).toHaveLength(3);
    expect(of("AWS::Lambda::EventSourceMapping").map((m) => m.Enabled)).toEqual([false, false]);
    const workerEnv = of("AWS::Lambda::Function").map(
      (f) => (f.Environment as { Variables: Record<string, unknown> }).Variables,
    );
    expect(workerEnv.filter((v) => v.CELERIAC_RESULT_EXPIRES === "86400")).toHaveLength(2);
    expect(workerEnv.filter((v) => v.CELERIAC_BROKER === "sqs://")).toHaveLength(3);
  }, 300_000);

  it("documents for AWS the same cdk commands the moto block runs, without moto's flags", () => {
    const aws = blocks.find((b) => !b.run);
    expect(aws?.lines).toEqual(["npx cdk bootstrap", "npx cdk deploy"]);
    const moto = blocks[3]?.lines ?? [];
    for (const line of aws?.lines ?? []) expect(moto.some((m) => m.startsWith(line))).toBe(true);
    expect(blocks.filter((b) => !b.run)).toHaveLength(1);
  });
});
