import { activity, extensions, type Extensions } from '../../xapi/statement.js';
import type { XapiTransformer } from '../../xapi/transformer.js';
import { EN, type VerbName } from '../../xapi/vocabulary.js';
import { definePlugin } from '../api.js';

/** The package's own IRIs (`openedx_ai_extensions/xapi/constants.py`). */
const AI_WORKFLOW_ACTIVITY = 'https://w3id.org/xapi/openedx/activity/ai-workflow';
const AI_EXTENSION = {
  action: 'https://w3id.org/xapi/openedx/extension/ai-workflow-action',
  promptTemplateSlug: 'https://w3id.org/xapi/openedx/extension/prompt-template-slug',
  locationId: 'https://w3id.org/xapi/openedx/extension/location-id',
  usage: 'https://w3id.org/xapi/openedx/extension/ai-usage',
} as const;

/**
 * openedx-ai-extensions 2.9.1 (`openedx_ai_extensions/xapi/transformers.py`): one AI workflow
 * activity per profile and action, `<LMS>/ai_workflow/<profile>__<action>`, named after the
 * profile, with the action, prompt template, location and LLM usage as definition extensions.
 */
function workflow(verb: VerbName): XapiTransformer {
  return (run) => {
    const action = run.view.string('action') ?? 'unknown-action';
    const profile = run.view.string('profile_name') ?? action;
    // Insertion order is the package's: action, then the optional members in this order.
    const members: Extensions = extensions({
      [AI_EXTENSION.action]: action,
      [AI_EXTENSION.promptTemplateSlug]: run.view.get('prompt_template_slug'),
      [AI_EXTENSION.locationId]: run.view.get('location_id'),
      [AI_EXTENSION.usage]: run.view.get('usage'),
    });
    return run.statement({
      verb: run.verb(verb),
      object: activity(run.iri('ai_workflow', `${profile}__${action}`), {
        type: AI_WORKFLOW_ACTIVITY,
        name: { [EN]: profile },
        description: { [EN]: 'AI-powered educational workflow' },
        extensions: members,
      }),
    });
  };
}

export const aiExtensionsPort = definePlugin({
  name: 'openedx-ai-extensions 2.9.1',
  xapi: {
    'openedx.ai.workflow.initialized': workflow('initialized'),
    'openedx.ai.workflow.interacted': workflow('interacted'),
    'openedx.ai.workflow.completed': workflow('completed'),
  },
});
