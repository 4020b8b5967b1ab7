import { rmSync } from 'node:fs';
import type { LocalStack } from '../../src/devstack';
import { STACK_FILE } from './stack-file';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { fostrTestStack?: LocalStack }).fostrTestStack;
  await stack?.stop();
  rmSync(STACK_FILE, { force: true });
}
