/** The parts of a resolved SDK v3 client config that say where it sends requests. */
export interface EndpointConfig {
  readonly endpoint?:
    | (() => Promise<{ protocol: string; hostname: string; port?: number; path: string }>)
    | undefined;
  readonly region: string | (() => Promise<string>);
}

/**
 * Where a client sends its requests, for banners: the endpoint given to the client, else
 * the service's endpoint variable of the SDK's standard chain (`AWS_ENDPOINT_URL_SQS`,
 * `AWS_ENDPOINT_URL_DYNAMODB`), else `AWS_ENDPOINT_URL`, else `AWS (<region>)`.
 *
 * @example
 * await describeEndpoint(sqsClient.config, "SQS"); // "http://127.0.0.1:9324" or "AWS (us-east-1)"
 */
export async function describeEndpoint(
  config: EndpointConfig,
  service: "SQS" | "DYNAMODB",
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  if (config.endpoint) {
    const { protocol, hostname, port, path } = await config.endpoint();
    const tail = path === "/" ? "" : path;
    return `${protocol}//${hostname}${port === undefined ? "" : `:${port}`}${tail}`;
  }
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== "true") {
    const configured = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
    if (configured) return configured;
  }
  const region = typeof config.region === "string" ? config.region : await config.region();
  return `AWS (${region})`;
}
