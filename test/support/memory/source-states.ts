import type { SourceState, SourceStates } from '../../../lambdas/core/ports/source-states.js';

export class MemorySourceStates implements SourceStates {
  readonly states = new Map<string, SourceState>();

  async getSourceState(storyId: string, sourceId: string): Promise<SourceState | undefined> {
    return this.states.get(`${storyId}/${sourceId}`);
  }

  async putSourceState(state: SourceState): Promise<void> {
    this.states.set(`${state.storyId}/${state.sourceId}`, state);
  }
}
