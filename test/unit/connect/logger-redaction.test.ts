import { createLogger } from '../../../src/logger';

describe('logger redaction', () => {
  it('censors OAuth secrets and authorization headers wherever a log call passes them', () => {
    const lines: string[] = [];
    const logger = createLogger('info', 'test', { write: (line: string) => lines.push(line) });
    const secrets = {
      refresh_token: 'canary-refresh',
      access_token: 'canary-access',
      code: 'canary-code',
      code_verifier: 'canary-verifier',
      client_secret: 'canary-secret',
      appSecret: 'canary-app-secret',
      refreshToken: 'canary-refresh-2',
    };
    logger.info({ ...secrets, headers: { authorization: 'Bearer canary-header' } }, 'top level');
    logger.info({ grant: secrets, req: { headers: { authorization: 'Bearer canary-nested' } } }, 'nested');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/canary/);
    expect(JSON.parse(lines[1]!)).toMatchObject({ grant: { code: '[redacted]', code_verifier: '[redacted]' }, req: { headers: { authorization: '[redacted]' } } });
  });
});
