import { readFileSync, writeFileSync } from 'node:fs';
import type { Fixture } from '../fixture';

/** One client check's outcome, as both client suites report it. */
export interface CheckResult {
  readonly client: string;
  readonly check: string;
  readonly routes: readonly string[];
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

/** A named check of one client against the routes it exercises; returns a short detail or throws. */
export interface ClientCheck {
  readonly name: string;
  readonly routes: readonly string[];
  run(): Promise<string | void>;
}

/** Fails a check with `message` unless `condition` holds. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Runs `call`, which must reject; returns the rejection for further checks. */
export async function expectRejection(call: () => Promise<unknown>, what: string): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${what}, but the call succeeded`);
}

/** Runs every check in order (they share one emulator), each failure contained to its check. */
export async function runChecks(client: string, checks: readonly ClientCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const started = Date.now();
    try {
      const detail = await check.run();
      results.push({ client, check: check.name, routes: check.routes, ok: true, detail: detail ?? 'ok', ms: Date.now() - started });
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
      results.push({ client, check: check.name, routes: check.routes, ok: false, detail, ms: Date.now() - started });
    }
  }
  return results;
}

/** POSTs a control action to the emulator (JSON in and out); a non-200 fails the check. */
export async function control(fixture: Fixture, action: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${fixture.controlUrl}/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`control ${action} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Reads the fixture named on the command line and writes the results where asked. */
export async function runSuiteFromArgs(client: string, build: (fixture: Fixture) => readonly ClientCheck[]): Promise<void> {
  const [fixtureFile, resultsFile] = process.argv.slice(2);
  if (!fixtureFile || !resultsFile) throw new Error('usage: <suite> <fixture.json> <results.json>');
  const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as Fixture;
  const results = await runChecks(client, build(fixture));
  writeFileSync(resultsFile, JSON.stringify({ results }));
}
