/**
 * The sockets an adapter has open, so that `idle()` can say when every one of them has closed
 * (STYLE: "no socket, timer, or subprocess outlives its call" — tests assert it).
 */
import type WebSocket from 'ws';

export class SocketTracker {
  private readonly open = new Map<WebSocket, Promise<void>>();

  /** Tracks `ws` until its 'close' event. */
  add(ws: WebSocket): void {
    if (ws.readyState === ws.CLOSED) return;
    this.open.set(
      ws,
      new Promise((resolve) =>
        ws.once('close', () => {
          this.open.delete(ws);
          resolve();
        }),
      ),
    );
  }

  /** Sockets not yet closed. */
  get size(): number {
    return this.open.size;
  }

  /** Resolves once every tracked socket has closed. */
  async idle(): Promise<void> {
    while (this.open.size > 0) await Promise.all([...this.open.values()]);
  }
}
