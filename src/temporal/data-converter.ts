import type { DataConverter } from '@temporalio/common';
import { Keyring } from '../crypto/keyring';
import { EncryptionCodec } from './payload-codec';

/**
 * Path of the module exporting `failureConverter`. Pass it to `bundleWorkflowCode` when a bundle is
 * built ahead of time: the sandbox converts workflow failures with the bundled converter.
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter of every Temporal client and worker of this project: payloads encrypted by
 * the keyring's codec, failure messages and stacks encoded into payloads so they are encrypted too.
 * Workers and clients must share it, or one side cannot read what the other wrote.
 */
export function createDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
