import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The failure converter of the worker, its workflow bundle and clients (loaded by path, because the
 * workflow sandbox gets it through the bundle). It moves each failure's message and stack trace into
 * an encoded attribute payload, which the payload codec then encrypts: by default Temporal keeps
 * them as plain text in history. The history shows "Encoded failure" in their place.
 * Must stay importable inside the workflow sandbox: no Node built-ins here.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
