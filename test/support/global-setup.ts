import type { TestProject } from "vitest/node";
import { startLocalAws } from "../../runtime/local/local-aws.js";
import { findOnPath, type MotoServer, startMotoServer } from "../../runtime/local/moto-server.js";

/**
 * vitest's global setup: ONE local AWS (fauxqs + dynalite, in this process) for the whole
 * run, and a `moto_server` child process when one is on the PATH. Test files read the
 * endpoints with `inject()` (see test/support/emulators.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const aws = await startLocalAws();
  project.provide("localAws", {
    sqsEndpoint: aws.sqsEndpoint,
    dynamodbEndpoint: aws.dynamodbEndpoint,
  });

  let moto: MotoServer | undefined;
  const command = findOnPath("moto_server");
  if (command === undefined && process.env.CI) {
    await aws.close();
    throw new Error(
      'moto_server is not on the PATH. CI runs the moto suites (test/**/*.moto.test.ts, test/deploy, test/consumer) and fails without them: install it with pip install "moto[server]".',
    );
  }
  if (command === undefined) {
    console.warn(
      'moto_server not on PATH: the moto suites (test/integration/*.moto.test.ts) are skipped. Install it with pip install "moto[server]".',
    );
  } else {
    try {
      moto = await startMotoServer(command);
    } catch (error) {
      await aws.close();
      throw error;
    }
    project.provide("motoEndpoint", moto.endpoint);
  }

  return async () => {
    await moto?.close();
    await aws.close();
  };
}
