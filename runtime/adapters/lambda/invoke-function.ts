import type * as LambdaSdk from "@aws-sdk/client-lambda";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { ConfigurationError } from "../../errors/usage-errors.js";

/** What a synchronous Lambda invocation answered. */
export interface InvocationResult {
  /** The function's return value (parsed JSON), or its error object when it failed. */
  payload: unknown;
  /** Set when the function threw: `Unhandled` or `Handled`. */
  functionError: string | undefined;
  statusCode: number | undefined;
}

/**
 * Invokes a deployed function synchronously (`RequestResponse`) with a JSON payload,
 * through a client from the SDK's standard chain (`AWS_ENDPOINT_URL` for LocalStack) or
 * the one given.
 */
export async function invokeFunction(
  functionName: string,
  payload: unknown,
  client?: LambdaClient,
): Promise<InvocationResult> {
  const sdk = await loadLambdaSdk();
  const lambda = client ?? new sdk.LambdaClient({});
  const out = await lambda.send(
    new sdk.InvokeCommand({
      FunctionName: functionName,
      InvocationType: "RequestResponse",
      Payload: new TextEncoder().encode(JSON.stringify(payload ?? {})),
    }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : "";
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // a function may return plain text; keep it as it is
  }
  return { payload: parsed, functionError: out.FunctionError, statusCode: out.StatusCode };
}

/**
 * The Lambda client is an optional peer dependency: only `celeriac invoke` needs it, so
 * it is loaded here, with the command that installs it when it is missing.
 */
async function loadLambdaSdk(): Promise<typeof LambdaSdk> {
  try {
    return await import("@aws-sdk/client-lambda");
  } catch (error) {
    throw new ConfigurationError(
      `Invoking a function needs the package '@aws-sdk/client-lambda' (npm install @aws-sdk/client-lambda): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
