import { isIP } from 'node:net';
import type { UrlPolicy } from '../core/ports/http.js';
import { forbiddenAddress } from './address-guard.js';

/**
 * The address guard's policy applied to a URL before it is queued: a host written as a
 * loopback, private, link-local or otherwise forbidden address (or `localhost`) is refused at
 * once, with its reason in the backfill's report. Names are not resolved here: one that resolves
 * to such an address is refused by the fetcher's guard, which checks every connection.
 */
export class AddressUrlPolicy implements UrlPolicy {
  constructor(private readonly allowPrivateNetworks: boolean) {}

  refusal(url: string): string | undefined {
    if (this.allowPrivateNetworks) return undefined;
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (host === 'localhost' || host.endsWith('.localhost')) return 'private address';
    return isIP(host) && forbiddenAddress(host) ? 'private address' : undefined;
  }
}
