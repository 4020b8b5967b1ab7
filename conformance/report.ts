import type { CheckResult } from './js/client-check';

/** One response held to the spec (from `check_exchanges.py`). */
export interface SpecResult {
  readonly client: string;
  readonly route: string;
  readonly status: number;
  readonly problems: readonly string[];
}

/** The clients in report order: the SDK column and the spec column of each. */
export const CLIENTS = ['js-sdk', 'python-sdk'] as const;

interface Cell {
  passed: number;
  failed: number;
}

/** Counts per route and column; a route nobody exercised shows as "-". */
function tally(routes: readonly string[], checks: readonly CheckResult[], spec: readonly SpecResult[]): Map<string, Map<string, Cell>> {
  const table = new Map<string, Map<string, Cell>>();
  const cell = (route: string, column: string): Cell => {
    if (!table.has(route)) table.set(route, new Map());
    const row = table.get(route)!;
    if (!row.has(column)) row.set(column, { passed: 0, failed: 0 });
    return row.get(column)!;
  };
  for (const route of routes) table.set(route, new Map());
  for (const check of checks) {
    for (const route of check.routes) cell(route, check.client)[check.ok ? 'passed' : 'failed'] += 1;
  }
  for (const result of spec) cell(result.route, `spec:${result.client}`)[result.problems.length === 0 ? 'passed' : 'failed'] += 1;
  return table;
}

function show(cell: Cell | undefined): string {
  if (!cell) return '-';
  return cell.failed === 0 ? `pass ${cell.passed}` : `FAIL ${cell.failed}/${cell.passed + cell.failed}`;
}

/**
 * The readable report: a route x client table (SDK checks, and responses held to the spec per
 * client), then every failure in full, then one closing count line.
 */
export function renderReport(routes: readonly string[], checks: readonly CheckResult[], spec: readonly SpecResult[]): { text: string; failed: number; passed: number } {
  const table = tally(routes, checks, spec);
  const columns = CLIENTS.flatMap((client) => [client, `spec:${client}`]);
  const width = Math.max(...[...table.keys()].map((route) => route.length), 5) + 2;
  const lines = [`${'route'.padEnd(width)}${columns.map((column) => column.padEnd(18)).join('')}`];
  for (const route of [...table.keys()].sort()) {
    const row = table.get(route)!;
    lines.push(`${route.padEnd(width)}${columns.map((column) => show(row.get(column)).padEnd(18)).join('')}`);
  }
  lines.push('', 'SDK checks:');
  for (const check of checks) {
    lines.push(`  ${check.ok ? 'pass' : 'FAIL'}  [${check.client}] ${check.check} (${check.ms} ms): ${check.detail}`);
  }
  const specFailures = spec.filter((result) => result.problems.length > 0);
  if (specFailures.length > 0) {
    lines.push('', 'Responses that break the spec:');
    for (const result of specFailures) {
      lines.push(`  FAIL  [${result.client}] ${result.route} ${result.status}: ${result.problems.join('; ')}`);
    }
  }
  const unexercised = [...table.entries()].filter(([, row]) => row.size === 0).map(([route]) => route);
  if (unexercised.length > 0) lines.push('', `Served but not exercised by any client: ${unexercised.join(', ')}`);
  const failed = checks.filter((check) => !check.ok).length + specFailures.length;
  const passed = checks.length + spec.length - failed;
  lines.push('', `${spec.length} responses held to the spec, ${checks.length} SDK checks`);
  lines.push(`conformance: ${passed} passed, ${failed} failed`);
  return { text: lines.join('\n'), failed, passed };
}
