/**
 * Python's `email.policy`: the policies that say how messages are parsed
 * and written. `compat32` (Python 3.2's email package, the default of
 * `Message` and the parsers) is here; each is an immutable object whose
 * `clone({ ... })` makes a changed copy.
 *
 * @module
 */
export { Compat32, compat32, type HeaderValue, Policy, type PolicyOptions } from "./_policybase.js";
