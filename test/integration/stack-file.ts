import { join } from 'node:path';

/** Where global setup tells the test files how to reach the stack it started. */
export const STACK_FILE = join(__dirname, '..', '..', '.data', 'test-stack.json');

export interface TestStackInfo {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly mongodbUri: string;
  readonly mongoKind: string;
  readonly bundlePath: string;
}
