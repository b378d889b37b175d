/**
 * What a bundled worker function must never carry: the CLI, the CDK and its tooling,
 * the bundler and the TypeScript loader, the local emulators and their helpers, the
 * Lambda invoke client (only the CLI's `invoke` uses it), test and bench code. Shared by
 * `cold-start.ts` and test/infra/worker-bundle.test.ts.
 */

/**
 * Each kind of module, and how its paths look: as esbuild metafile inputs (bundled
 * files, `node_modules/<package>/…`) or as the bare specifier of an external import
 * (`fauxqs`, which the construct never bundles and would leave as an `import`).
 */
export const NEVER_IN_A_WORKER: readonly (readonly [string, RegExp])[] = [
  ["the CLI (runtime/cli)", /(^|\/)runtime\/cli\//],
  ["the CDK construct and apps (infra/)", /(^|\/)infra\//],
  ["the local emulators' helpers (runtime/local)", /(^|\/)runtime\/local\//],
  ["aws-cdk-lib", pkg("aws-cdk-lib")],
  ["constructs", pkg("constructs")],
  ["cdk-nag", pkg("cdk-nag")],
  ["esbuild", pkg("esbuild")],
  ["tsx", pkg("tsx")],
  ["fauxqs", pkg("fauxqs")],
  ["dynalite", pkg("dynalite")],
  ["the Lambda invoke client", pkg("@aws-sdk/client-lambda")],
  ["vitest", pkg("vitest")],
  ["test and bench code", /(^|\/)(test|bench)\//],
];

/** A package, bundled (`node_modules/<name>/…`) or imported as an external (`<name>`, `<name>/sub`). */
function pkg(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(node_modules/${escaped}/|^${escaped}(/|$))`);
}

/**
 * The kinds of never-bundled module among a bundle's `modules` (metafile input paths)
 * and `externalImports` (what it still imports at run time).
 */
export function forbiddenIn(bundle: {
  modules: readonly string[];
  externalImports: readonly string[];
}): string[] {
  const paths = [...bundle.modules, ...bundle.externalImports];
  return NEVER_IN_A_WORKER.filter(([, pattern]) => paths.some((m) => pattern.test(m))).map(
    ([name]) => name,
  );
}
