/**
 * Bundles a Lambda entry the way a deploy does: esbuild with the options NodejsFunction
 * turns `celeriacBundling()` (infra/construct/functions.ts) into (`--bundle`,
 * `--platform=node`, `--target=node<NN>` of the runtime, ESM to `index.mjs`, minified,
 * source map without sources, the banner, the main fields, the externals), plus a
 * metafile, to say what went in. Shared by `cold-start.ts` and the test that keeps the
 * CLI, the CDK and the emulators out of the workers (test/infra/worker-bundle.test.ts).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";
import { OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { build, type BuildOptions, type Metafile } from "esbuild";
import { celeriacBundling } from "../infra/construct/functions.js";
import { newestNodeRuntime } from "../infra/construct/props.js";

/** A bundle written to disk and what esbuild says is in it. */
export interface Bundle {
  /** The bundle, `<outdir>/index.mjs` (its source map beside it). */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Every module esbuild put in the output (files with at least one byte in it). */
  modules: string[];
  /** What the bundle still imports at run time (Node's built-ins, the externals it reaches). */
  externalImports: string[];
  metafile: Metafile;
}

/** The fields of `celeriacBundling()` mirrored here; any other one set is refused. */
const MIRRORED = new Set([
  "forceDockerBundling",
  "format",
  "mainFields",
  "banner",
  "bundleAwsSDK",
  "externalModules",
  "minify",
  "sourceMap",
  "sourcesContent",
]);

/**
 * The esbuild options of a deploy of a function on `runtime` (the construct's default:
 * the newest Node.js runtime aws-cdk-lib knows). Throws when `celeriacBundling()` sets
 * an option this mirror does not know, so the bench cannot silently bundle differently.
 */
export function deployBuildOptions(
  runtime: lambda.Runtime = newestNodeRuntime(),
  bundling: BundlingOptions = celeriacBundling(),
): BuildOptions {
  const unknown = Object.entries(bundling)
    .filter(([k, v]) => v !== undefined && !MIRRORED.has(k))
    .map(([k]) => k);
  if (unknown.length > 0) {
    throw new Error(`bench/bundle.ts does not mirror the bundling option(s) ${unknown.join(", ")}`);
  }
  const esm = bundling.format === OutputFormat.ESM;
  return {
    bundle: true,
    platform: "node",
    target: `node${/nodejs(\d+)/.exec(runtime.name)?.[1] ?? "22"}`,
    ...(bundling.format ? { format: esm ? "esm" : "cjs" } : {}),
    minify: bundling.minify === true,
    sourcemap: bundling.sourceMap === true,
    sourcesContent: bundling.sourcesContent !== false,
    // bundleAwsSDK: true means nothing but the listed modules is external
    external: [
      ...(bundling.externalModules ?? (bundling.bundleAwsSDK ? [] : ["@aws-sdk/*", "@smithy/*"])),
    ],
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    metafile: true,
    logLevel: "error",
  };
}

/** Bundles `entry` into `outdir` as a deploy would (see {@link deployBuildOptions}). */
export async function bundleForDeploy(
  entry: string,
  outdir: string,
  options: BuildOptions = deployBuildOptions(),
): Promise<Bundle> {
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, options.format === "esm" ? "index.mjs" : "index.js");
  const result = await build({ ...options, entryPoints: [entry], outfile: file, write: true });
  const metafile = result.metafile!;
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`esbuild wrote no entry output for ${entry}`);
  const code = readFileSync(file);
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    modules: Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
    externalImports: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))],
    metafile,
  };
}

/** The package a bundled module path belongs to (`@aws-sdk/core`), or its top folder (`runtime/worker`). */
export function packageOf(modulePath: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(modulePath);
  if (inModules) return inModules[1]!;
  return modulePath.split("/").slice(0, 2).join("/");
}
