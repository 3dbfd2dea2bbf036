// The Lightning-only rule (spec §5.3) as a byte-counting state machine. The relay shows it every
// chunk before forwarding it. It knows the BOLT 8 handshake's shape, not its cryptography:
//
//   client → server  act one   50 bytes: version 0, then a 0x02/0x03 compressed point prefix
//   server → client  act two   50 bytes: the same shape
//   client → server  act three 66 bytes: version 0 (the rest is ciphertext)
//
// Until then each side may only send what the handshake allows at that moment: the client
// nothing beyond act one before act two was relayed, the server nothing before act one and
// nothing beyond act two before act three was relayed. Afterwards bytes flow freely.

export const ACT_ONE_LEN = 50;
export const ACT_TWO_LEN = 50;
export const ACT_THREE_LEN = 66;
const CLIENT_HANDSHAKE_LEN = ACT_ONE_LEN + ACT_THREE_LEN;

export type GateVerdict = 'ok' | 'violation';

function pointPrefix(b: number): boolean {
  return b === 0x02 || b === 0x03;
}

export class HandshakeGate {
  private client = 0;
  private server = 0;

  /** Bytes seen from the client, capped at the handshake's length (afterwards no longer counted). */
  get clientBytes(): number {
    return this.client;
  }
  get serverBytes(): number {
    return this.server;
  }
  get actOneDone(): boolean {
    return this.client >= ACT_ONE_LEN;
  }
  get actTwoDone(): boolean {
    return this.server >= ACT_TWO_LEN;
  }
  get complete(): boolean {
    return this.client >= CLIENT_HANDSHAKE_LEN && this.server >= ACT_TWO_LEN;
  }

  /** Checks a chunk from the client at the current stream offset, and advances it. */
  fromClient(chunk: Uint8Array): GateVerdict {
    if (this.complete) return 'ok';
    for (let i = 0; i < chunk.length && this.client < CLIENT_HANDSHAKE_LEN; i++, this.client++) {
      const off = this.client;
      const b = chunk[i]!;
      if (off >= ACT_ONE_LEN && !this.actTwoDone) return 'violation'; // act three before act two
      if ((off === 0 || off === ACT_ONE_LEN) && b !== 0) return 'violation'; // version bytes
      if (off === 1 && !pointPrefix(b)) return 'violation';
    }
    return 'ok';
  }

  /** Checks a chunk from the server at the current stream offset, and advances it. */
  fromServer(chunk: Uint8Array): GateVerdict {
    if (this.complete) return 'ok';
    if (chunk.length > 0 && !this.actOneDone) return 'violation'; // a responder never speaks first
    for (let i = 0; i < chunk.length; i++) {
      if (this.server >= ACT_TWO_LEN) return 'violation'; // more than act two before act three
      const off = this.server++;
      const b = chunk[i]!;
      if (off === 0 && b !== 0) return 'violation';
      if (off === 1 && !pointPrefix(b)) return 'violation';
    }
    return 'ok';
  }
}
