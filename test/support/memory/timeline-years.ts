import type { TimelineYears } from '../../../lambdas/core/ports/timeline-years.js';

export class MemoryTimelineYears implements TimelineYears {
  private readonly latest = new Map<string, number>();

  async claimLatestTimelineYear(storyId: string, year: number): Promise<boolean> {
    if ((this.latest.get(storyId) ?? year) > year) return false;
    this.latest.set(storyId, year);
    return true;
  }
}
