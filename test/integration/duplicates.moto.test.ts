import { describe } from "vitest";
import { motoAvailable, motoTarget } from "../support/emulators.js";
import { describeDuplicates } from "./duplicates.suite.js";

describe.skipIf(!motoAvailable("the duplicate-send tests on moto"))("On moto_server", () => {
  // moto is one Python process shared with the other moto suites: give it time.
  describeDuplicates("moto", () => motoTarget()!, { seconds: 60 });
});
