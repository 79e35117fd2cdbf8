/**
 * Binds the UDP socket of an RTP session on an even port from a range (RFC 3550 §11: RTP on an
 * even port, RTCP on the next odd one), trying ports from a random start so concurrent calls
 * rarely collide.
 */
import dgram from 'node:dgram';
import { TransportError } from '../transport-error.ts';

/** Where RTP sockets bind. `minPort: 0` picks any free even port. */
export interface RtpPortRange {
  readonly host: string;
  readonly minPort: number;
  readonly maxPort: number;
}

function tryBind(host: string, port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    const onError = (): void => {
      s.close();
      resolve(undefined);
    };
    s.once('error', onError);
    s.bind(port, host, () => {
      s.off('error', onError);
      resolve(s);
    });
  });
}

/** Binds a socket on a free even port of the range, or throws `TransportError('bind')`. */
export async function bindRtpSocket(range: RtpPortRange, signal?: AbortSignal): Promise<dgram.Socket> {
  if (range.minPort === 0) {
    for (let i = 0; i < 50; i++) {
      signal?.throwIfAborted();
      const s = await tryBind(range.host, 0);
      if (s && s.address().port % 2 === 0) return s;
      s?.close();
    }
    throw new TransportError('no free even UDP port for RTP', 'bind', { retryable: true });
  }
  const first = range.minPort + (range.minPort % 2);
  const count = Math.floor((range.maxPort - first) / 2) + 1;
  if (count <= 0) throw new TransportError(`empty RTP port range ${range.minPort}-${range.maxPort}`, 'bind');
  const offset = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    signal?.throwIfAborted();
    const port = first + ((offset + i) % count) * 2;
    const s = await tryBind(range.host, port);
    if (s) return s;
  }
  throw new TransportError(`every RTP port in ${range.minPort}-${range.maxPort} is busy`, 'bind', { retryable: true });
}
