export { CeleriacError, type CeleriacErrorOptions } from "./celeriac-error.js";
export { decodeError, encodeError, errorRepr, type StoredError } from "./error-codec.js";
export { ResultTooLargeError } from "./result-too-large.js";
export { SerializationError } from "./serialization-error.js";
export {
  ChordError,
  MaxRetriesExceededError,
  NotRegistered,
  Retry,
  TaskError,
  TaskRevokedError,
  TimeoutError,
} from "./task-errors.js";
export {
  CanvasError,
  ConfigurationError,
  MessageFormatError,
  MessageTooLargeError,
  PublishError,
  UnknownQueueError,
} from "./usage-errors.js";
