/** What discovery remembers of one source: its validators for a conditional GET, and its health. */
export interface SourceState {
  readonly storyId: string;
  readonly sourceId: string;
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly lastCheckedAt: string;
  readonly lastSuccessAt?: string;
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

export interface SourceStates {
  getSourceState(storyId: string, sourceId: string): Promise<SourceState | undefined>;
  putSourceState(state: SourceState): Promise<void>;
}
