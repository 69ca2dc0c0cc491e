// An example transformer plugin: a site that wants the LMS's bookmark events in its LRS.
// Load it with EVENT_ROUTER_PLUGINS=examples/plugins/bookmarks.js (serve, consume, replay --routers)
// or `--plugin examples/plugins/bookmarks.js` (transform, replay). See docs/plugins.md.
import { activity, ACTIVITY, definePlugin, extensions, SkipEventError } from 'edx-event-router/plugin';

/** The site's own IRIs: a verb from the TinCan registry and an extension under the site's domain. */
const BOOKMARKED = { id: 'http://id.tincanapi.com/verb/bookmarked', display: { en: 'bookmarked' } };
const BOOKMARK_ID = 'https://lms.example.com/xapi/extensions/bookmark-id';

/** @type {import('edx-event-router/plugin').XapiTransformer} */
const bookmarkAdded = (run) => {
  const unit = run.view.string('data.component_usage_id');
  // A skip with one of the router's reasons is counted like the built-ins' skips.
  if (unit === undefined) throw new SkipEventError('missing_object_id', 'the bookmark names no component');
  return run.statement({
    verb: BOOKMARKED,
    object: activity(run.iri('xblock', unit), { type: ACTIVITY.module }),
    // The course parent, session id and transformer version, with the site's extension after them.
    context: run.defaultContext(extensions({ [BOOKMARK_ID]: run.view.get('data.bookmark_id') })),
  });
};

export default definePlugin({
  name: 'example-bookmarks',
  xapi: { 'edx.bookmark.added': bookmarkAdded },
});
