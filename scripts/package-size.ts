/**
 * `npm run size`: packs Celeriac, installs the tarball into two new projects (the runtime
 * alone; the runtime with the CDK peers) and prints the installed sizes as the README's
 * table.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installedVersion, npmInstall, packInto } from "./pack.js";

/** Kibibytes under `path`, as `du -sk` counts them. */
function kib(path: string): number {
  return Number(execFileSync("du", ["-sk", path], { encoding: "utf8" }).split("\t")[0]);
}

const mib = (k: number) => `${(k / 1024).toFixed(1)} MB`;

const root = mkdtempSync(join(tmpdir(), "celeriac-size-"));
try {
  const tarball = packInto(root);
  const setups: [string, string[]][] = [
    ["runtime only (`npm install celeriac`)", []],
    [
      "runtime + CDK (`aws-cdk-lib constructs esbuild` too)",
      ["aws-cdk-lib", "constructs", "esbuild"].map((p) => `${p}@${installedVersion(p)}`),
    ],
  ];
  const rows = [
    "| install | `node_modules/celeriac` | `node_modules` |",
    "| ------- | ---------------------- | -------------- |",
  ];
  for (const [label, peers] of setups) {
    const project = mkdtempSync(join(root, "project-"));
    writeFileSync(join(project, "package.json"), '{ "name": "size-check", "private": true }\n');
    npmInstall(project, [tarball, ...peers]);
    const modules = join(project, "node_modules");
    rows.push(`| ${label} | ${mib(kib(join(modules, "celeriac")))} | ${mib(kib(modules))} |`);
  }
  console.log(rows.join("\n"));
} finally {
  rmSync(root, { recursive: true, force: true });
}
