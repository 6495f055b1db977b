import { BudgetExceededError } from './errors.js';

/**
 * A time budget for synchronous work, checked between its steps: in one thread nothing else
 * can stop a step that runs long, so the work stops itself at the next check. What it may
 * overrun by is the cost of one step, which is linear in the input (`npm run bench`).
 */
export class Deadline {
  private readonly endsAt: number;

  constructor(
    /** What the work is on: a URL or an id, for the error. */
    private readonly subject: string,
    private readonly budgetMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.endsAt = clock() + budgetMs;
  }

  /** Throws BudgetExceededError when the budget is spent, before `step` begins. */
  check(step: string): void {
    if (this.clock() > this.endsAt)
      throw new BudgetExceededError(this.subject, step, this.budgetMs);
  }
}
