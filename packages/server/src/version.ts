/** The server's version, reported by `/v1/health` and the webhook User-Agent. */
export const VERSION = '0.1.0';
