import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The layout rules of DESIGN.md, checked on the source: no import cycles, the core never
// imports an adapter or the AWS SDK, and no file grows past one job.
const root = resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Runtime imports of a file (type-only imports make no runtime edge). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  const pattern = /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
  for (const match of text.matchAll(pattern)) specs.push(match[1]!);
  return specs;
}

/** The package's own `#name` imports (package.json "imports"): every source each may load. */
const packageImports = new Map(
  Object.entries(
    (
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
        imports: Record<string, Record<string, string>>;
      }
    ).imports,
  ).map(([name, targets]) => [
    name,
    Object.entries(targets)
      .filter(([condition]) => condition !== "types")
      .map(([, target]) =>
        resolve(root, target.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts")),
      ),
  ]),
);

/** The source files `spec` loads from `from`: none for a package outside this one. */
function resolveLocal(from: string, spec: string): string[] {
  if (spec.startsWith("#")) return packageImports.get(spec) ?? [];
  if (!spec.startsWith(".")) return [];
  return [resolve(dirname(from), spec.replace(/\.js$/, ".ts"))];
}

const runtimeFiles = sources(join(root, "runtime"));
const rel = (file: string) => relative(root, file);

describe("Architecture", () => {
  it("has no import cycles in runtime/", () => {
    const graph = new Map(
      runtimeFiles.map((f) => [f, runtimeImports(f).flatMap((s) => resolveLocal(f, s))]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map(rel).join(" -> "));
        return;
      }
      state.set(file, "visiting");
      stack.push(file);
      for (const next of graph.get(file) ?? []) visit(next);
      stack.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file);
    expect(cycles).toEqual([]);
  });

  it("keeps the AWS SDK inside runtime/adapters/ (the core may name its types)", () => {
    const offenders = runtimeFiles
      .filter((f) => !rel(f).startsWith("runtime/adapters/"))
      .filter((f) => runtimeImports(f).some((spec) => spec.startsWith("@aws-sdk/")))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it("lets only the package entry and the CLI import adapters", () => {
    const allowed = (file: string) =>
      rel(file).startsWith("runtime/adapters/") ||
      rel(file).startsWith("runtime/cli/") ||
      rel(file) === "runtime/index.ts";
    const offenders = runtimeFiles
      .filter((f) => !allowed(f))
      .flatMap((f) =>
        runtimeImports(f)
          .flatMap((s) => resolveLocal(f, s))
          .filter((t) => rel(t).startsWith("runtime/adapters/"))
          .map((t) => `${rel(f)} imports ${rel(t)}`),
      );
    expect(offenders).toEqual([]);
  });

  it("maps every `#name` import of the package to source files that exist", () => {
    const targets = [...packageImports.values()].flat();
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !existsSync(t)).map(rel)).toEqual([]);
  });

  it("keeps every source file under 400 lines", () => {
    const dirs = ["runtime", "handlers", "infra"].map((d) => join(root, d));
    const long = dirs
      .flatMap((d) => sources(d))
      .map((f) => ({ file: rel(f), lines: readFileSync(f, "utf8").split("\n").length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
