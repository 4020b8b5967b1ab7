/**
 * Switches for API behaviour the notes mark as uncertain or as varying on the real service
 * (dropbox-api-notes.md §1.6, §6.5, §6.13). Defaults follow the notes; tests flip them to cover
 * the other behaviour.
 */
export interface SurfaceSwitches {
  /**
   * How a path sent in NFD (decomposed) is looked up. The notes (§1.6, maestral#409/#678) say
   * Dropbox stores NFC and an NFD path is `not_found`; `normalise` treats it as its NFC form.
   * @default "not_found"
   */
  nfdPaths: 'not_found' | 'normalise';
  /** Longpoll behaviour (§4.4, §6.13). */
  longpoll: LongpollSwitches;
  /**
   * Cursors unused for this many seconds answer 409 `reset` on continue and longpoll, as
   * long-unused Dropbox cursors do (§6.3). Cursors are stamped only while this is set. @default undefined (never)
   */
  cursorTtlSeconds?: number;
}

export interface LongpollSwitches {
  /**
   * A change anywhere in the account wakes every longpoll, whatever its cursor's scope, as
   * Dropbox does (dropbox-sdk-java#324). False wakes only on changes the cursor would report.
   * @default true
   */
  falsePositives: boolean;
  /** `backoff` (seconds) added to replies with `changes: false`; none when undefined. */
  backoffSeconds?: number;
  /**
   * Real milliseconds per second of the requested `timeout`, so a test can let a 30 s longpoll
   * time out in 30 ms. Dropbox's extra jitter of up to 90 s is not modelled. @default 1000
   */
  msPerTimeoutSecond: number;
}

export function defaultSurfaceSwitches(): SurfaceSwitches {
  return { nfdPaths: 'not_found', longpoll: { falsePositives: true, msPerTimeoutSecond: 1000 } };
}
