import { describe, expect, it } from "vitest";
import { AppLoadError, loadApp } from "../../runtime/cli/load-app.js";
import { REPO_ROOT, runCeleriac } from "./fixtures/run-cli.js";

describe("Command: celeriac (usage)", () => {
  it("lists the commands with --help and exits with 0", async () => {
    const { code, out } = await runCeleriac(["--help"]);
    expect(code).toBe(0);
    for (const name of ["worker", "call", "result", "inspect registered", "purge", "graph"]) {
      expect(out.text).toContain(name);
    }
    expect(out.text).toContain("local serve");
  });

  it("prints a command's options with --help", async () => {
    const { code, out } = await runCeleriac(["call", "--help"]);
    expect(code).toBe(0);
    expect(out.text).toContain("Usage: celeriac call -A <module> <task>");
    expect(out.text).toContain("--countdown");
  });

  it("refuses an unknown command with exit code 2, listing the commands", async () => {
    const { code, err } = await runCeleriac(["frobnicate"]);
    expect(code).toBe(2);
    expect(err.text).toContain("unknown command 'frobnicate'");
    expect(err.text).toContain("worker, call, result, inspect, purge, graph, local");
  });

  it("prints a command family's subcommands with --help (inspect, local, dlq)", async () => {
    for (const [family, sub] of [
      ["inspect", "inspect registered"],
      ["local", "local serve"],
      ["dlq", "dlq redrive"],
    ] as const) {
      for (const argv of [
        [family, "--help"],
        [family, "-h"],
        ["help", family],
      ]) {
        const { code, out } = await runCeleriac(argv);
        expect(code, argv.join(" ")).toBe(0);
        expect(out.text).toContain(`Usage: celeriac ${family} <subcommand> [options]`);
        expect(out.text).toContain(`  ${sub} `);
      }
    }
  });

  it("refuses call on the in-process broker: the message would die with the command", async () => {
    // The CLI specs' app takes memory:// when CELERIAC_BROKER is not set, as here.
    const argv = ["call", "-A", "test/cli/fixtures/cli-app.ts", "clitest.add", "[2, 2]"];
    const { code, err } = await runCeleriac(argv);
    expect(code).toBe(2);
    expect(err.text).toContain(
      "sends to the in-process broker memory://: the message would be lost",
    );
    expect(err.text).toContain("export CELERIAC_BROKER=sqs://");
  });

  it("refuses a command family without its subcommand", async () => {
    const { code, err } = await runCeleriac(["local", "down"]);
    expect(code).toBe(2);
    expect(err.text).toContain("'local' has no subcommand 'down'; use one of: up, serve.");
  });

  it("refuses an unknown option, with the command's usage", async () => {
    const { code, err } = await runCeleriac(["inspect", "registered", "-A", "x", "--nope"]);
    expect(code).toBe(2);
    expect(err.text).toContain("--nope");
    expect(err.text).toContain("Usage: celeriac inspect registered -A <module>");
  });

  it("requires -A", async () => {
    const { code, err } = await runCeleriac(["graph", "some-id"]);
    expect(code).toBe(2);
    expect(err.text).toContain("the option -A/--app <module> is required.");
  });

  it("refuses args that are not JSON, naming the argument", async () => {
    const { code, err } = await runCeleriac(["call", "-A", "m", "clitest.add", "[2, two]"]);
    expect(code).toBe(2);
    expect(err.text).toContain("celeriac call: error: args is not valid JSON");
    expect(err.text).toContain("[2, two]");
  });

  it("refuses args that are JSON but not an array", async () => {
    const { code, err } = await runCeleriac(["call", "-A", "m", "clitest.add", '{"x": 2}']);
    expect(code).toBe(2);
    expect(err.text).toContain("args must be a JSON array");
  });

  it("refuses --kwargs that is not a JSON object", async () => {
    const { code, err } = await runCeleriac([
      "call",
      "-A",
      "m",
      "clitest.add",
      "--kwargs",
      "{debug",
    ]);
    expect(code).toBe(2);
    expect(err.text).toContain("--kwargs is not valid JSON");
  });

  it("refuses a countdown that is not a number of seconds", async () => {
    const { code, err } = await runCeleriac(["call", "-A", "m", "t", "--countdown", "soon"]);
    expect(code).toBe(2);
    expect(err.text).toContain("--countdown must be a number of seconds");
  });

  it("refuses --timeout without --wait", async () => {
    const { code, err } = await runCeleriac(["result", "-A", "m", "some-id", "--timeout", "5"]);
    expect(code).toBe(2);
    expect(err.text).toContain("--timeout only applies with --wait.");
  });

  it("gives exit code 2 and names the module when -A cannot be found", async () => {
    const { code, err } = await runCeleriac(["inspect", "registered", "-A", "nowhere/proj.ts"]);
    expect(code).toBe(2);
    expect(err.text).toContain("Cannot find the app module 'nowhere/proj.ts'");
  });
});

describe("Function: loadApp", () => {
  it("rejects a missing module with an error naming it", async () => {
    await expect(loadApp("test/cli/fixtures/missing", REPO_ROOT)).rejects.toThrow(
      /Cannot find the app module 'test\/cli\/fixtures\/missing'/,
    );
  });

  it("rejects a module without an app, naming it", async () => {
    const loading = loadApp("test/cli/fixtures/no-app.ts", REPO_ROOT);
    await expect(loading).rejects.toBeInstanceOf(AppLoadError);
    await expect(loading).rejects.toThrow(
      /The module 'test\/cli\/fixtures\/no-app.ts' .* has no Celeriac app/,
    );
  });

  it("rejects a module whose import fails, with the module's error", async () => {
    await expect(loadApp("test/cli/fixtures/broken", REPO_ROOT)).rejects.toThrow(
      /Cannot load the app module 'test\/cli\/fixtures\/broken' .*Error: broken on purpose/,
    );
  });

  it("finds a module without its extension and takes its exported app", async () => {
    const app = await loadApp("test/cli/fixtures/cli-app", REPO_ROOT);
    expect(app.name).toBe("clitest");
    expect(await loadApp("./test/cli/fixtures/cli-app.js", REPO_ROOT)).toBe(app);
  });

  it("loads a directory's index and takes its default export", async () => {
    const app = await loadApp("test/cli/fixtures/default-app", REPO_ROOT);
    expect(app.name).toBe("clidefault");
    expect(app.tasks.has("clidefault.ping")).toBe(true);
    await app.close();
  });
});
