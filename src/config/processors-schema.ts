import * as z from 'zod';
import type { BackendProcessor } from '../filters/backend-filter.js';
import { compilePythonRegex } from '../filters/python-regex.js';

/**
 * The per-backend processors, written as in ERB's seed `EVENT_TRACKING_BACKENDS`
 * (`{"ENGINE": "…NameWhitelistProcessor", "OPTIONS": {"whitelist": […]}}` or
 * `{"ENGINE": "…RegexFilter", "OPTIONS": {"filter_type": …, "regular_expressions": […]}}`).
 * ENGINE may be the full dotted path or the bare class name.
 */
const WHITELIST_ENGINES = ['eventtracking.processors.whitelist.NameWhitelistProcessor', 'NameWhitelistProcessor'];
const REGEX_ENGINES = ['eventtracking.processors.regex_filter.RegexFilter', 'RegexFilter'];

const whitelistProcessor = z.strictObject({
  ENGINE: z.enum(WHITELIST_ENGINES),
  OPTIONS: z.strictObject({ whitelist: z.array(z.string()) }),
});

const pattern = z.string().superRefine((value, ctx) => {
  const outcome = compilePythonRegex(value);
  if (!outcome.ok) ctx.addIssue({ code: 'custom', message: outcome.message });
});

const regexProcessor = z.strictObject({
  ENGINE: z.enum(REGEX_ENGINES),
  OPTIONS: z.strictObject({
    // event-tracking's default is allowlist.
    filter_type: z.enum(['allowlist', 'blocklist']).default('allowlist'),
    regular_expressions: z.array(pattern),
  }),
});

const processor = z
  .discriminatedUnion('ENGINE', [whitelistProcessor, regexProcessor], {
    error: () => `ENGINE must be one of ${[...WHITELIST_ENGINES, ...REGEX_ENGINES].join(', ')}`,
  })
  .transform((p): BackendProcessor => {
    if ('whitelist' in p.OPTIONS) return { engine: 'NameWhitelistProcessor', whitelist: p.OPTIONS.whitelist };
    return {
      engine: 'RegexFilter',
      filterType: p.OPTIONS.filter_type,
      regularExpressions: p.OPTIONS.regular_expressions,
    };
  });

/** `{xapi?: Processor[], caliper?: Processor[]}`, normalised into `BackendProcessor`s. */
export const backendProcessorsSchema = z.strictObject({
  xapi: z.array(processor).default([]),
  caliper: z.array(processor).default([]),
});
