/**
 * Verification stage (`--verify`, opt-in): after the filters, asks providers whether found keys
 * are live. The only stage that talks to the network; it never runs unless the user asked, and it
 * never puts a secret anywhere but the request to the provider the rule names.
 */
export { baseUrlVariable, classify, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_TIMEOUT_MS, requestUrl, verificationLines, verifyFindings, VerifyError, type VerifyOptions, type VerifyResult } from './verify.js';
