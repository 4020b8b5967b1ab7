import { z } from 'zod';
import { TEAM_SCOPES, USER_SCOPES } from './scopes';
import type { AppRegistration } from './token-store';

/** The app every emulator starts with, so tests can run an OAuth flow without registering one. */
export const DEFAULT_APP = {
  appKey: 'emulator-test-app',
  appSecret: 'emulator-test-secret',
  redirectUris: ['http://localhost/oauth/callback', 'http://127.0.0.1/oauth/callback'],
};

const KNOWN_SCOPES = new Set([...USER_SCOPES, ...TEAM_SCOPES]);

/** What registering an app takes (control interface and `DropboxEmulator.registerApp`). */
export const AppInput = z
  .object({
    appKey: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'app keys are 3 to 64 letters, digits, "_" or "-"'),
    appSecret: z.string().min(8),
    redirectUris: z.array(z.string().url()).default([]),
    /** Full Dropbox, or an App folder ("sandbox") app. */
    permission: z.enum(['full_dropbox', 'app_folder']).default('full_dropbox'),
    /** A team-linked (Business API) app: its tokens act for the whole team of the approving admin. */
    teamLinked: z.boolean().default(false),
    /** Scopes the app may request; every user scope (and, when team-linked, every team scope) by default. */
    scopes: z
      .array(z.string())
      .refine((scopes) => scopes.every((scope) => KNOWN_SCOPES.has(scope)), { message: 'unknown scope' })
      .optional(),
  })
  .strict();
export type AppInput = z.input<typeof AppInput>;

/** A registered app as the OAuth endpoints see it. */
export interface RegisteredApp extends AppRegistration {
  readonly appSecret: string;
  readonly redirectUris: readonly string[];
  readonly teamLinked: boolean;
  readonly scopes: ReadonlySet<string>;
}

/** The apps known to the emulator, by app key (`client_id`). */
export class AppRegistry {
  private readonly apps = new Map<string, RegisteredApp>();

  constructor() {
    this.register(DEFAULT_APP);
  }

  /** Registers (or replaces) an app. Throws a `ZodError` naming every bad field. */
  register(input: AppInput): RegisteredApp {
    const parsed = AppInput.parse(input);
    const scopes = parsed.scopes ?? (parsed.teamLinked ? [...USER_SCOPES, ...TEAM_SCOPES] : USER_SCOPES);
    const app: RegisteredApp = {
      appKey: parsed.appKey,
      appSecret: parsed.appSecret,
      redirectUris: parsed.redirectUris,
      appFolder: parsed.permission === 'app_folder',
      teamLinked: parsed.teamLinked,
      scopes: new Set(scopes),
    };
    this.apps.set(app.appKey, app);
    return app;
  }

  get(appKey: string): RegisteredApp | undefined {
    return this.apps.get(appKey);
  }
}
