// Typed view of ../shared/vectors/bolt08-transport.json (see vectors/README.md) for the noise tests.
import { loadVector } from '../../support/shared.js';

export type TraceOp =
  | { op: 'h' | 'ss' | 're' | 'rs' | 'c' | 't'; value: string }
  | { op: 'hkdf'; salt_ck: string; ikm: string }
  | { op: 'hkdf_output'; ck: string; temp_k1?: string; temp_k2?: string; temp_k3?: string }
  | { op: 'encryptWithAD'; key: string; nonce: string; ad: string; plaintext: string }
  | { op: 'decryptWithAD'; key: string; nonce: string; ad: string; ciphertext: string }
  | { op: 'generate_ephemeral'; e_pub: string; e_priv: string };

export interface Act {
  input?: string;
  output?: string;
  trace?: TraceOp[];
}

export interface HandshakeVector {
  name: string;
  role: 'initiator' | 'responder';
  rs_pub?: string;
  ls_priv: string;
  ls_pub: string;
  e_priv: string;
  e_pub: string;
  acts: { act_one: Act; act_two?: Act; act_three?: Act };
  expected_error: string | null;
  /** A trailing value of the spec's error line, as a string (e.g. the bad version "1"). */
  expected_error_detail?: string;
  result?: { ck: string; sk: string; rk: string };
}

export interface MessageVector {
  ck: string;
  sk: string;
  rk: string;
  plaintext: string;
  encrypt_trace_messages_0_1: { part: string; cleartext: string; nonce: string; key: string; ciphertext_with_mac: string }[];
  key_rotations_sending: { hkdf_salt_ck: string; hkdf_ikm_k: string; new_ck: string; new_k: string; applies_from_message_index: number }[];
  outputs: { message_index: number; output: string }[];
}

export interface Bolt08Vectors {
  initiator_tests: HandshakeVector[];
  responder_tests: HandshakeVector[];
  message_encryption_test: MessageVector;
}

export const BOLT08 = loadVector<Bolt08Vectors>('bolt08-transport.json');
