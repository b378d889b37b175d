import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";

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
  client: LambdaClient = new LambdaClient({}),
): Promise<InvocationResult> {
  const out = await client.send(
    new InvokeCommand({
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
