import { describe, expect, it } from 'vitest';
import {
  confirmSubscriptionWebUrl,
  digestWebUrl,
  subscribeWebUrl,
  timelineWebUrl,
  webRouteOf,
} from '../../lambdas/core/7-web/web-routes.js';

const STORY = 's400-turkey';

describe('the web function’s addresses', () => {
  it('builds the web copy’s and the timeline’s URLs below the Function URL', () => {
    for (const base of ['https://abc.lambda-url.eu-west-1.on.aws/', 'http://127.0.0.1:8080']) {
      const origin = base.replace(/\/$/, '');
      expect(digestWebUrl(base, STORY, '2019-W29')).toBe(`${origin}/digests/${STORY}/2019-W29`);
      expect(timelineWebUrl(base, STORY)).toBe(`${origin}/timeline/${STORY}`);
    }
  });

  it('reads back what it builds', () => {
    const base = 'https://abc.lambda-url.eu-west-1.on.aws/';
    expect(webRouteOf(new URL(digestWebUrl(base, STORY, '2019-W29')).pathname, STORY)).toEqual({
      kind: 'digest',
      week: '2019-W29',
    });
    expect(webRouteOf(new URL(timelineWebUrl(base, STORY)).pathname, STORY)).toEqual({
      kind: 'timeline',
    });
    expect(webRouteOf(new URL(timelineWebUrl(base, STORY, 2019)).pathname, STORY)).toEqual({
      kind: 'timeline',
      year: 2019,
    });
    expect(webRouteOf('/unsubscribe', STORY)).toEqual({ kind: 'unsubscribe' });
    expect(webRouteOf(new URL(subscribeWebUrl(base, STORY)).pathname, STORY)).toEqual({
      kind: 'subscribe',
    });
    expect(webRouteOf(new URL(confirmSubscriptionWebUrl(base, STORY)).pathname, STORY)).toEqual({
      kind: 'confirmSubscription',
    });
  });

  it('finds nothing for another story, a week that does not exist or anything malformed', () => {
    for (const path of [
      '/',
      '/digests/other-story/2019-W29',
      '/digests/s400-turkey/2019-W54',
      '/digests/s400-turkey/2019-W00',
      '/digests/s400-turkey/2019-W53', // 2019 has 52 ISO weeks
      '/digests/s400-turkey/2019-w29',
      '/digests/s400-turkey/2019-W29.html',
      '/digests/s400-turkey/2019-W29/',
      '/digests/s400-turkey/../../raw/x',
      '/digests/s400-turkey/%2e%2e%2fraw',
      '/digests/s400-turkey',
      '/digests//2019-W29',
      '/DIGESTS/s400-turkey/2019-W29',
      '/timeline/other-story',
      '/timeline/s400-turkey/',
      '/timeline/s400-turkey/2019-W29',
      '/timeline/s400-turkey/1800',
      '/timeline/s400-turkey/20190',
      '/timeline',
      '/unsubscribe/',
      '/subscribe',
      '/subscribe/other-story',
      '/subscribe/s400-turkey/',
      '/subscribe/s400-turkey/confirm/',
      '/subscribe/s400-turkey/other',
    ]) {
      expect([path, webRouteOf(path, STORY)]).toEqual([path, { kind: 'notFound' }]);
    }
    expect(webRouteOf('/digests/s400-turkey/2020-W53', STORY)).toEqual({
      kind: 'digest',
      week: '2020-W53',
    });
  });
});
