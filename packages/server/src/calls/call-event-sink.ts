import type { CallsTable, CallStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/** The webhook event types of webhooks.md → Events. */
export type CallEventType = 'call.queued' | 'call.ringing' | 'call.answered' | 'call.completed' | 'call.failed' | 'call.no_answer' | 'call.busy' | 'call.canceled';

/** The event a status change fires (`initiated` fires none). */
export const EVENT_OF_STATUS: Partial<Record<CallStatus, CallEventType>> = {
  queued: 'call.queued',
  ringing: 'call.ringing',
  in_progress: 'call.answered',
  completed: 'call.completed',
  failed: 'call.failed',
  no_answer: 'call.no_answer',
  busy: 'call.busy',
  canceled: 'call.canceled',
};

/**
 * Receives every call event inside the transaction that changed the call's status, so whatever it
 * writes (the webhook outbox) commits or rolls back with the change (webhooks.md → Retries).
 */
export interface CallEventSink {
  emit(tx: Store, call: CallsTable, type: CallEventType): Promise<void>;
}
