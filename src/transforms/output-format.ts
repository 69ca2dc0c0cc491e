// Apart from transform-event.ts, so that the plugin registry can name a format without importing
// the transformers, which import the registry's type through the transform context.
export type OutputFormat = 'xapi' | 'caliper';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['xapi', 'caliper'];
