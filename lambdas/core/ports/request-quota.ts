/** Requests counted per source and time window: the sign-up form's limit on a flood. */
export interface RequestQuota {
  /**
   * Counts one request of `source` (an opaque key, not an address) in the window from
   * `window.start` to `window.end`; answers false, counting nothing, once `limit` requests of
   * that source were counted in it. The count is forgotten some time after the window ends.
   */
  admit(
    storyId: string,
    source: string,
    window: { readonly start: string; readonly end: string },
    limit: number,
  ): Promise<boolean>;
}
