// BOLT 8 transport: handshake, cipher states with key rotation, frame reader, stream session.
export { NoiseError, type NoiseErrorCode } from './errors.js';
export { hkdf2 } from './hkdf.js';
export { encryptWithAD, decryptWithAD, nonceBytes } from './aead.js';
export { CipherState, ROTATE_AT_NONCE } from './cipher-state.js';
export {
  InitiatorHandshake,
  ResponderHandshake,
  generateSecret,
  ACT_ONE_LENGTH,
  ACT_TWO_LENGTH,
  ACT_THREE_LENGTH,
  type HandshakeResult,
  type InitiatorOptions,
  type ResponderOptions,
} from './handshake.js';
export {
  MessageEncryptor,
  FrameReader,
  MAX_MESSAGE_LENGTH,
  MAX_FRAME_LENGTH,
  HEADER_LENGTH,
  TAG_LENGTH,
  DEFAULT_MAX_BUFFERED,
  type FrameReaderOptions,
} from './transport.js';
export { NoiseSession, type NoiseOutput, type NoiseState } from './session.js';
