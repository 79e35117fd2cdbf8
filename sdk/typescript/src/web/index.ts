/**
 * `callingbox/web`: a small browser client for web calls (telephony.md → Browser calls).
 *
 * @example
 * import { startWebCall } from 'callingbox/web';
 * const call = await startWebCall({ url, token, onCaption: (c) => show(c.role, c.text) });
 * call.hangup();
 */
export { startWebCall, type Caption, type StartWebCallOptions, type WebCallSession } from './web-call.js';
export { FRAME_SAMPLES, Pcm16Encoder, pcm16LeToFloat32, WIRE_RATE_HZ } from './pcm.js';
