import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/proj-stack.js";

// `npx cdk synth` as CI runs it: the CLI, cdk.json's `npx tsx infra/app.ts`, local
// esbuild bundling and cdk-nag, with no network. Where unprivileged network namespaces
// work (`unshare -rn`), the CLI runs in one that has no interface but a down loopback;
// elsewhere every proxy variable points at a closed port, so any request fails fast.

const TIMEOUT_MS = 90_000;
const canUnshare = spawnSync("unshare", ["-rn", "true"]).status === 0;

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [command, argv] = canUnshare ? ["unshare", ["-rn", ...args]] : [args[0]!, args.slice(1)];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS - 5_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("cdk synth (the CLI, offline)", () => {
  const outdir = mkdtempSync(join(tmpdir(), "celeriac-synth-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it(
    "synthesizes the seed's stack with the moto options into -o",
    async () => {
      const closed = "http://127.0.0.1:9";
      // No credentials: synth must not need any.
      const rest = Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(k),
        ),
      );
      const env = {
        ...rest,
        CDK_DISABLE_CLI_TELEMETRY: "true",
        CELERIAC_STACK: "CeleriacSynthTest",
        HTTP_PROXY: closed,
        HTTPS_PROXY: closed,
        http_proxy: closed,
        https_proxy: closed,
        NO_PROXY: "",
        AWS_EC2_METADATA_DISABLED: "true",
      };
      const args = ["npx", "--no-install", "cdk", "synth", "--quiet", "--no-notices", "-o", outdir];
      const context = ["-c", "synth=nobsv", "-c", "esm=off", "-c", "deletionProtection=false"];
      const result = await run([...args, ...context], env);
      expect(result.code, result.stderr).toBe(0);

      const file = join(outdir, "CeleriacSynthTest.template.json");
      expect(existsSync(file)).toBe(true);
      const template = JSON.parse(readFileSync(file, "utf8")) as {
        Rules?: Record<string, unknown>;
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const ofType = (type: string) =>
        Object.values(template.Resources).filter((r) => r.Type === type);
      expect(template.Rules?.CheckBootstrapVersion).toBeUndefined();
      expect(ofType("AWS::Lambda::EventSourceMapping").map((m) => m.Properties.Enabled)).toEqual([
        false,
        false,
      ]);
      expect(ofType("AWS::DynamoDB::Table")[0]?.Properties.DeletionProtectionEnabled).toBe(false);
      expect(ofType("AWS::Lambda::Function")).toHaveLength(3);
      // cdk-nag ran as a policy validation plugin (a finding would have failed the synth)
      // and the report lists no finding.
      const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as {
        pluginReports: { violations?: unknown[] }[];
      };
      expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
