import { localAwsTarget } from "../support/emulators.js";
import { describeDuplicates } from "./duplicates.suite.js";

describeDuplicates("fauxqs + dynalite", localAwsTarget);
