import { CeleriacError } from "./celeriac-error.js";

/** A value could not be sent because it is not JSON. */
export class SerializationError extends CeleriacError {}
