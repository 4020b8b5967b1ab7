import { CliError, parseCliOptions } from '../../../emulator/src/cli-options';

describe('emulator command line', () => {
  it('defaults to free ports, no faults, plain HTTP and an empty account', () => {
    expect(parseCliOptions([])).toMatchObject({ help: false, port: 0, notifyPort: 0, faultProfile: 'none', https: false, childTombstones: false });
    expect(parseCliOptions([]).entries).toBeUndefined();
  });

  it('takes port, seed, a generated tree, a fault profile and HTTPS', () => {
    const options = parseCliOptions(['--port', '8443', '--seed', 's', '--entries', '1000000', '--tree-seed', 't', '--faults', 'hostile', '--https', '--cert-file', '/tmp/c.pem']);
    expect(options).toMatchObject({ port: 8443, seed: 's', entries: 1_000_000, treeSeed: 't', faultProfile: 'hostile', https: true, certFile: '/tmp/c.pem' });
  });

  it.each([
    [['--port', '70000'], '--port must be a whole number from 0 to 65535, got "70000"'],
    [['--entries=-5'], '--entries must be a whole number'],
    [['--entries', '3000000'], '--entries must be a whole number from 0 to 2000000'],
    [['--faults', 'chaos'], '--faults must be one of none, flaky, slow, hostile, got "chaos"'],
    [['--through', '3'], '--through needs --history'],
    [['--tree-seed', 'x'], '--tree-seed needs --entries'],
    [['--entries', '5', '--history', 'h.jsonl'], '--entries and --history cannot be combined'],
    [['--cert-file', 'c.pem'], '--cert-file needs --https'],
    [['--prot', '1'], "Unknown option '--prot'"],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(CliError);
    expect(() => parseCliOptions(argv)).toThrow(message);
  });
});
