import type { LoadedPlugin } from '../registry.js';
import { aiExtensionsPort } from './openedx-ai-extensions.js';
import { completionAggregatorPort } from './openedx-completion-aggregator.js';

/**
 * Ports of the xAPI transformers other Open edX packages register in ERB. On by default: their
 * event names are the packages' own, so a site that does not emit them is not affected.
 */
export const BUNDLED_PORTS: readonly LoadedPlugin[] = [
  { plugin: completionAggregatorPort, source: 'bundled port' },
  { plugin: aiExtensionsPort, source: 'bundled port' },
];
