import { CeleriacError } from "./celeriac-error.js";

/** The app's configuration is wrong or incomplete. */
export class ConfigurationError extends CeleriacError {}

/** A message was sent to a queue (routing key) that the app does not declare. */
export class UnknownQueueError extends CeleriacError {}

/** A message is larger than the queue accepts. Nothing was sent. */
export class MessageTooLargeError extends CeleriacError {}

/** A message body could not be read as a Celeriac task message. */
export class MessageFormatError extends CeleriacError {}

/** A canvas or signature was built or called in a way that cannot work. */
export class CanvasError extends CeleriacError {}

/** Publishing to the broker failed; the error lists what was not sent. */
export class PublishError extends CeleriacError {}
