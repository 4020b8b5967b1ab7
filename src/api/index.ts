/** The library API for Fostr (its api and cli): workflow checks and admin control of sync scheduling. */
export * from './workspace-sync-api';
export * from './inputs';
export * from './alerts-api';
export type { CheckResult, CheckOutcome } from '../domain/check';
export { InvalidInputError } from '../domain/errors';
/** The data converter a Client passed to the API must use: payloads and failures are encrypted. */
export { createDataConverter } from '../temporal/data-converter';
