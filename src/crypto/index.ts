export { BlindIndex } from './blind-index';
export { DecryptionError, FieldCipher } from './field-cipher';
export { Keyring, KeyringError, type KeyringSource } from './keyring';
