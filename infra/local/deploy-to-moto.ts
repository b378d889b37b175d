import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCdk } from "./cdk-cli.js";

/** moto's account: every resource it creates lives in it. */
export const MOTO_ACCOUNT = "123456789012";
const REGION = "us-east-1";

/** What a deploy to moto gives back. */
export interface MotoDeployment {
  stackName: string;
  /** The stack's outputs (queue URLs, table, function names). */
  outputs: Record<string, string>;
  /** The cloud assembly directory: the template and the bundled function code. */
  cdkOut: string;
  /** The environment that points the AWS SDK (and the CDK CLI) at moto. */
  env: Record<string, string>;
}

/** The environment for the CDK CLI and SDK clients talking to moto at `endpoint`. */
export function motoEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    CDK_DEFAULT_ACCOUNT: MOTO_ACCOUNT,
    CDK_DEFAULT_REGION: REGION,
    // moto's CloudFormation fetches a template only from a path-style amazonaws.com (or
    // localhost) URL; the CLI uses this endpoint only to write that URL, no request goes there.
    AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION: `https://s3.${REGION}.amazonaws.com`,
    CDK_DISABLE_CLI_TELEMETRY: "true",
  };
}

/**
 * Deploys the seed's CDK app to moto with the CDK CLI, as `DESIGN.md`'s recipe says:
 * bootstrap, then `cdk deploy --method=direct` with no bootstrap version rule and the SQS
 * event source mappings disabled (moto cannot run Lambda code; a local worker consumes
 * the deployed queues instead). The functions are bundled by the local esbuild.
 */
export async function deployToMoto(options: {
  endpoint: string;
  stackName: string;
  projectRoot: string;
  cdkOut: string;
  echo?: (text: string) => void;
}): Promise<MotoDeployment> {
  const env = motoEnv(options.endpoint);
  const cli = {
    cwd: options.projectRoot,
    env: { ...process.env, ...env },
    ...(options.echo ? { echo: options.echo } : {}),
  };
  await runCdk(
    ["bootstrap", `aws://${MOTO_ACCOUNT}/${REGION}`, "--output", join(options.cdkOut, "bootstrap")],
    cli,
  );
  const outputsFile = join(options.cdkOut, "outputs.json");
  await runCdk(
    [
      "deploy",
      "--require-approval",
      "never",
      "--method=direct",
      "--output",
      options.cdkOut,
      "--outputs-file",
      outputsFile,
      "-c",
      "synth=nobsv",
      "-c",
      "esm=off",
      "-c",
      "deletionProtection=false",
      "-c",
      `stackName=${options.stackName}`,
    ],
    cli,
  );
  const all = JSON.parse(readFileSync(outputsFile, "utf8")) as Record<
    string,
    Record<string, string>
  >;
  return {
    stackName: options.stackName,
    outputs: all[options.stackName] ?? {},
    cdkOut: options.cdkOut,
    env,
  };
}

/**
 * The bundled code directory of each Lambda function in the deployed template, by the
 * function's logical id (from the `aws:asset:path` metadata the CDK writes).
 */
export function functionAssets(deployment: MotoDeployment): Record<string, string> {
  const template = JSON.parse(
    readFileSync(join(deployment.cdkOut, `${deployment.stackName}.template.json`), "utf8"),
  ) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
  const assets: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const path = resource.Metadata?.["aws:asset:path"];
    if (resource.Type === "AWS::Lambda::Function" && path)
      assets[id] = join(deployment.cdkOut, path);
  }
  return assets;
}
