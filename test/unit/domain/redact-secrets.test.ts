import { DropboxBadRequestError, DropboxCredentialError } from '../../../src/domain/errors';
import { redactSecrets } from '../../../src/domain/redact-secrets';
import { classifyDropboxError } from '../../../src/dropbox/classify-error';

const ACCESS = `sl.u.${'AbCdEf0123456789_-'.repeat(8)}`;
const REFRESH = 'x7Kq2vLm9PzR4tYw8NcB1sDf6GhJ3kAe5UoI0pXnMbVcZqWeRtYuIoPl';

describe('redactSecrets', () => {
  it.each([
    ['a quoted Authorization header', `Error in call to API function "files/list_folder": Invalid authorization value in HTTP header "Authorization": "Bearer ${ACCESS}"`, 'Bearer [redacted]'],
    ['a bare Dropbox access token', `token ${ACCESS} expired`, 'token [redacted] expired'],
    ['an OAuth JSON body', `{"access_token": "${ACCESS}", "refresh_token": "${REFRESH}", "expires_in": 14400}`, '"refresh_token": "[redacted]"'],
    ['a form body', `grant_type=refresh_token&refresh_token=${REFRESH}&client_id=app`, 'refresh_token=[redacted]'],
    ['a client secret', 'client_secret=s3cr3tvalue99', 'client_secret=[redacted]'],
    ['a long opaque run', `unexpected ${REFRESH}`, 'unexpected [redacted]'],
  ])('removes %s', (_label, input, expected) => {
    const redacted = redactSecrets(input);
    expect(redacted).toContain(expected);
    expect(redacted).not.toContain(ACCESS.slice(5, 30));
    expect(redacted).not.toContain(REFRESH.slice(0, 20));
  });

  it('leaves ordinary messages alone', () => {
    for (const text of [
      'Dropbox files/list_folder failed with HTTP 503: server error',
      'error code: 409',
      'workspace t-1/ws-2 has no Dropbox connection',
      'path/not_found',
      'workspace acme-corporation-production-tenant-0001/research-and-development-archive has no Dropbox connection',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('applies to every message of the error catalogue and to classified 400 bodies', () => {
    expect(new DropboxCredentialError(`invalid_access_token ${ACCESS}`, 'files/list_folder').message).toBe("Dropbox refused the connection's credentials on files/list_folder: invalid_access_token [redacted]");
    // A damaged token is a credential problem (health: malformed_token); its message keeps no token.
    const malformed = classifyDropboxError('files/list_folder', { status: 400, error: `Invalid authorization value in HTTP header "Authorization": "Bearer ${ACCESS}"` });
    expect(malformed).toBeInstanceOf(DropboxCredentialError);
    expect((malformed as DropboxCredentialError).kind).toBe('malformed_token');
    expect(malformed.message).not.toContain(ACCESS.slice(5, 30));
    // Any other 400 keeps its body as the reason, redacted.
    const classified = classifyDropboxError('files/list_folder', { status: 400, error: `Error in call to API function "files/list_folder": request body: could not decode input as JSON (near "Bearer ${ACCESS}")` });
    expect(classified).toBeInstanceOf(DropboxBadRequestError);
    expect((classified as DropboxBadRequestError).reason).toBe('Error in call to API function "files/list_folder": request body: could not decode input as JSON (near "Bearer [redacted]")');
    expect(classified.message).not.toContain(ACCESS.slice(5, 30));
  });
});
