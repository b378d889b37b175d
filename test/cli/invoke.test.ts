import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { invoke, taskIdsIn } from "../../runtime/cli/invoke.js";
import type { CliIo } from "../../runtime/cli/io.js";

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

function captured(): { io: CliIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io: CliIo = {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    cwd: process.cwd(),
    env: {},
    waitForShutdown: () => new Promise(() => {}),
    closeApp: true,
  };
  return { io, out: () => out, err: () => err };
}

// The SDK types a response payload as its blob adapter; a Uint8Array is what travels.
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
const decode = (payload: unknown) => new TextDecoder().decode(payload as Uint8Array);
const ID1 = "0b6c2f1e-7d1a-4a52-9d3e-2f0a1b2c3d4e";
const ID2 = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

describe("Command: invoke", () => {
  it("invokes the function with the JSON payload and prints the task ids it returned", async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: encode({ add: ID1, chain: [ID2, ID1] }) });
    const { io, out } = captured();
    expect(await invoke.run(["proj-producer", '{"add": [2, 2]}'], io)).toBe(0);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe("proj-producer");
    expect(input.InvocationType).toBe("RequestResponse");
    expect(JSON.parse(decode(input.Payload))).toEqual({ add: [2, 2] });
    expect(out()).toContain(`task ${ID1}\ntask ${ID2}\n`);
    expect(out()).toContain(`celeriac result ${ID1} --wait`);
  });

  it("sends {} when no payload is given", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode([]) });
    const { io } = captured();
    expect(await invoke.run(["fn"], io)).toBe(0);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(decode(input.Payload)).toBe("{}");
  });

  it("exits 1 and prints the function's error when it failed", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: encode({ errorType: "TypeError", errorMessage: "bad event" }),
    });
    const { io, err } = captured();
    expect(await invoke.run(["fn", "{}"], io)).toBe(1);
    expect(err()).toContain("fn failed (Unhandled)");
    expect(err()).toContain("bad event");
  });

  it("refuses a payload that is not JSON, naming it", async () => {
    const { io } = captured();
    await expect(invoke.run(["fn", "{oops"], io)).rejects.toThrow(/the payload is not valid JSON/);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it("finds each task id once, in order", () => {
    expect(taskIdsIn({ a: ID2, b: [ID1, ID2], c: "not an id" })).toEqual([ID2, ID1]);
  });
});
