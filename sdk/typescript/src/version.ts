/** The SDK's version, sent in `User-Agent` where the runtime allows it. Keep in step with package.json. */
export const VERSION = '0.1.0';
