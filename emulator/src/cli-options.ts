import { parseArgs } from 'node:util';
import { FAULT_PROFILE_NAMES, FaultProfileName, isFaultProfileName } from './faults';
import { MAX_GENERATED_ENTRIES } from './seed';

/** What `npm run emulator -- …` was asked to do, validated. */
export interface CliOptions {
  readonly help: boolean;
  readonly port: number;
  readonly notifyPort: number;
  /** Seed for ids, revisions, hashes and fault draws. */
  readonly seed?: string;
  /** Generate a tree of this many entries into the demo account. */
  readonly entries?: number;
  /** Seed of the generated tree (default: derived from `seed` and the account). */
  readonly treeSeed?: string;
  readonly history?: string;
  readonly through?: number;
  readonly token?: string;
  readonly pageLimit?: number;
  readonly faultProfile: FaultProfileName;
  readonly https: boolean;
  /** Where to write the self-signed certificate when serving HTTPS. */
  readonly certFile?: string;
  readonly childTombstones: boolean;
  readonly reemitSubtreeOnUnshare: boolean;
}

/** A command line the emulator cannot run; main prints it with the usage and exits 2. */
export class CliError extends Error {}

/** Parses and checks the emulator's command line; every problem is a `CliError` naming the flag. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'notify-port': { type: 'string' },
        seed: { type: 'string' },
        entries: { type: 'string' },
        'tree-seed': { type: 'string' },
        history: { type: 'string' },
        through: { type: 'string' },
        token: { type: 'string' },
        'page-limit': { type: 'string' },
        faults: { type: 'string' },
        https: { type: 'boolean' },
        'cert-file': { type: 'string' },
        'child-tombstones': { type: 'boolean' },
        'reemit-subtree-on-unshare': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const faults = values.faults ?? 'none';
  if (!isFaultProfileName(faults)) throw new CliError(`--faults must be one of ${FAULT_PROFILE_NAMES.join(', ')}, got ${JSON.stringify(faults)}`);
  const options: CliOptions = {
    help: values.help ?? false,
    port: wholeNumber('--port', values.port, 0, 65535) ?? 0,
    notifyPort: wholeNumber('--notify-port', values['notify-port'], 0, 65535) ?? 0,
    seed: values.seed,
    entries: wholeNumber('--entries', values.entries, 0, MAX_GENERATED_ENTRIES),
    treeSeed: values['tree-seed'],
    history: values.history,
    through: wholeNumber('--through', values.through, 1, Number.MAX_SAFE_INTEGER),
    token: values.token,
    pageLimit: wholeNumber('--page-limit', values['page-limit'], 1, 2000),
    faultProfile: faults,
    https: values.https ?? false,
    certFile: values['cert-file'],
    childTombstones: values['child-tombstones'] ?? false,
    reemitSubtreeOnUnshare: values['reemit-subtree-on-unshare'] ?? false,
  };
  if (options.through !== undefined && options.history === undefined) throw new CliError('--through needs --history');
  if (options.treeSeed !== undefined && options.entries === undefined) throw new CliError('--tree-seed needs --entries');
  // A generated tree is loaded into an empty account, so it cannot follow a replayed history.
  if (options.entries !== undefined && options.history !== undefined) throw new CliError('--entries and --history cannot be combined');
  if (options.certFile !== undefined && !options.https) throw new CliError('--cert-file needs --https');
  return options;
}

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}
