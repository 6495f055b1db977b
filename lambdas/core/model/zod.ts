/**
 * The schema library as the code imports it: `import * as z from '…/model/zod.js'`. It is
 * zod/mini (functions such as `z.optional(s)` and checks such as `.check(z.minLength(1))`
 * instead of methods), which bundles only what a schema uses: classic zod's methods came to
 * about 100 KB in every Lambda bundle, against a 1 MB budget. Its English messages are loaded
 * here once ("Too small: expected number to be >=1"), as classic zod does by default.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
