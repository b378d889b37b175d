/**
 * The canvas kinds, wired into the base class in this one place: `Signature` cannot
 * import its subclasses (they import it), so what it needs of them (Celery's `|`, and
 * reading any kind from its dict form) is set here. The app and the package entry
 * import this module; a signature works once it has loaded.
 */
import { chainFromJSON } from "./chain.js";
import { chordFromJSON } from "./chord.js";
import { groupFromJSON } from "./group.js";
import { pipe } from "./pipe.js";
import { kinds } from "./registry.js";

kinds.pipe = pipe;
kinds.fromJSON.chain = chainFromJSON;
kinds.fromJSON.group = groupFromJSON;
kinds.fromJSON.chord = chordFromJSON;
