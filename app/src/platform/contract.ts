import contract from "../contract.json";

/**
 * The request header that carries an API key. Declared once in src/contract.json, which the platform reads too:
 * the CDN keys its API cache on it and the WAF logs redact it, so the edge and the app cannot disagree.
 */
export const CREDENTIAL_HEADER: string = contract.credentialHeader.toLowerCase();
