/** Which year's timeline page is also the story's timeline page. */
export interface TimelineYears {
  /**
   * Records `year` as the story's latest timeline year unless a later one is recorded; true
   * when `year` is (now) the latest.
   */
  claimLatestTimelineYear(storyId: string, year: number): Promise<boolean>;
}
