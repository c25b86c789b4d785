// The shipped policy defaults (identical to flows/policy.yaml, in the default time zone), for tests and
// benchmarks: the service reads its policy file through parsePolicy at boot.
import { parsePolicy, type Policy } from '../../src/rent/policy.js';

export const DEFAULT_POLICY: Policy = parsePolicy({});
