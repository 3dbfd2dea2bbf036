// Installs the secp256k1 backend before every test file.
import { setSecp256k1Backend } from '../../src/crypto/secp256k1.js';
import { nobleBackend } from './noble-backend.js';

setSecp256k1Backend(nobleBackend);
