/** SQS's largest message body, in bytes (1 MiB), and the broker's default `maxMessageBytes`. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
