/** Command-line options of the demo (`npm start -- [options]`). */
export interface DemoArgs {
  /** Replay every batch, wait until the Recordset caught up, report, exit. */
  readonly once: boolean;
  readonly help: boolean;
}

export const DEMO_USAGE = `Usage: npm start -- [--once] [--help]

  (no option)  run the demo stack and keep syncing while the emulator replays changes; Ctrl-C stops
  --once       replay every change batch, wait until the Recordset has caught up, print the summary,
               exit 0 only if the Recordset equals the emulator's ground truth
  --help       show this help`;

/** Parses argv (without node and script); throws naming the first unknown argument. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let once = false;
  let help = false;
  for (const arg of argv) {
    if (arg === '--once') once = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)}\n\n${DEMO_USAGE}`);
  }
  return { once, help };
}
