import { describe, expect, it } from 'vitest';
import { Deadline } from '../../lambdas/core/model/deadline.js';
import { BudgetExceededError } from '../../lambdas/core/model/errors.js';

describe('Deadline', () => {
  it('lets steps begin within the budget and stops the first one after it, naming the page and the step', () => {
    let now = 1_000;
    const deadline = new Deadline('https://news.example/a', 50, () => now);
    now += 50;
    expect(() => deadline.check('parsing')).not.toThrow();
    now += 1;
    const error = (() => {
      try {
        deadline.check('reading the article');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({
      message: 'https://news.example/a: over its 50 ms budget before reading the article',
      subject: 'https://news.example/a',
      step: 'reading the article',
    });
  });
});
