import { z } from 'zod';
import { ControlError, parseControlBody } from '../control';
import type { DropboxEmulator } from '../server';
import { AppInput } from './apps';

const Email = z.object({ email: z.string().email() }).strict();
const IssueTokens = z
  .object({
    email: z.string().email(),
    appKey: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).optional(),
    accessType: z.enum(['offline', 'online']).optional(),
  })
  .strict();
const AccessTokenOnly = z.object({ accessToken: z.string().min(1) }).strict();
const AnyToken = z.object({ token: z.string().min(1) }).strict();
const RemoveScope = z.object({ token: z.string().min(1), scope: z.string().min(1) }).strict();

type Action = (emulator: DropboxEmulator, body: unknown) => unknown;

/**
 * Control actions about apps and tokens (`/_control/<action>`), by `"<METHOD> <action>"`. Token
 * faults take effect at once and deterministically: the next call with the token sees them.
 */
export const AUTH_CONTROL_ACTIONS: Readonly<Record<string, Action>> = {
  'POST apps': (emulator, body) => {
    const app = emulator.registerApp(parseControlBody(AppInput, body));
    return { appKey: app.appKey, appFolder: app.appFolder, teamLinked: app.teamLinked, scopes: [...app.scopes].sort() };
  },
  'POST oauth/sign-in': (emulator, body) => {
    emulator.signIn(parseControlBody(Email, body).email);
    return { ok: true };
  },
  'POST tokens': (emulator, body) => asControlError(() => emulator.issueTokens(parseControlBody(IssueTokens, body))),
  'POST tokens/expire': (emulator, body) => {
    emulator.expireAccessToken(parseControlBody(AccessTokenOnly, body).accessToken);
    return { ok: true };
  },
  'POST tokens/revoke': (emulator, body) => {
    emulator.revokeTokens(parseControlBody(AnyToken, body).token);
    return { ok: true };
  },
  'POST tokens/remove-scope': (emulator, body) => {
    const { token, scope } = parseControlBody(RemoveScope, body);
    emulator.removeScope(token, scope);
    return { ok: true };
  },
};

function asControlError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof RangeError) throw new ControlError(error.message);
    throw error;
  }
}
