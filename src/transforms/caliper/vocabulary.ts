/**
 * IMS Caliper 1.2 terms used by the transformers and by the structural check. Written from the
 * Caliper Analytics 1.2 specification text (event subtypes, their supported actions, entity
 * terms); the IMS JSON schemas are not used.
 */

/** The JSON-LD context of every Caliper 1.2 event, and the envelope `dataVersion`. */
export const CALIPER_CONTEXT = 'http://purl.imsglobal.org/ctx/caliper/v1p2';

/** Event terms the transformers emit. */
export const EVENT_TYPE = {
  event: 'Event',
  navigation: 'NavigationEvent',
  media: 'MediaEvent',
  assessment: 'AssessmentEvent',
  assessmentItem: 'AssessmentItemEvent',
  grade: 'GradeEvent',
} as const;
export type EmittedEventType = (typeof EVENT_TYPE)[keyof typeof EVENT_TYPE];

/** Action terms the transformers emit. */
export const ACTION = {
  activated: 'Activated',
  deactivated: 'Deactivated',
  completed: 'Completed',
  navigatedTo: 'NavigatedTo',
  submitted: 'Submitted',
  graded: 'Graded',
  viewed: 'Viewed',
  started: 'Started',
  resumed: 'Resumed',
  paused: 'Paused',
  ended: 'Ended',
  jumpedTo: 'JumpedTo',
  changedSpeed: 'ChangedSpeed',
  enabledClosedCaptioning: 'EnabledClosedCaptioning',
  disabledClosedCaptioning: 'DisabledClosedCaptioning',
} as const;
export type EmittedAction = (typeof ACTION)[keyof typeof ACTION];

/** Entity terms the transformers emit. `Webpage` is ERB's misspelling, kept for `compat: 'erb'`. */
export const ENTITY_TYPE = {
  person: 'Person',
  session: 'Session',
  courseOffering: 'CourseOffering',
  digitalResource: 'DigitalResource',
  digitalResourceCollection: 'DigitalResourceCollection',
  webPage: 'WebPage',
  erbWebpage: 'Webpage',
  assessment: 'Assessment',
  assessmentItem: 'AssessmentItem',
  attempt: 'Attempt',
  annotation: 'Annotation',
  score: 'Score',
  videoObject: 'VideoObject',
  mediaLocation: 'MediaLocation',
} as const;

/** Blank-node ids ERB gives to the generated score and the media location. */
export const BLANK_SCORE_ID = '_:score';
export const BLANK_MEDIA_LOCATION_ID = '_:MediaLocation';

/** Caliper 1.2 Appendix: the actions vocabulary. The generic `Event` may use any of these. */
export const CALIPER_ACTIONS: ReadonlySet<string> = new Set([
  'Abandoned', 'Accepted', 'Activated', 'Added', 'Archived', 'Attached', 'Bookmarked', 'ChangedResolution',
  'ChangedSize', 'ChangedSpeed', 'ChangedVolume', 'Classified', 'ClosedPopout', 'Commented', 'Completed', 'Copied',
  'Created', 'Deactivated', 'Declined', 'Deleted', 'Described', 'DisabledClosedCaptioning', 'Disliked',
  'Downloaded', 'EnabledClosedCaptioning', 'Ended', 'EnteredFullScreen', 'ExitedFullScreen', 'ForwardedTo',
  'Graded', 'Hid', 'Highlighted', 'Identified', 'JumpedTo', 'Launched', 'Liked', 'Linked', 'LoggedIn',
  'LoggedOut', 'MarkedAsRead', 'MarkedAsUnread', 'Modified', 'Muted', 'NavigatedTo', 'OpenedPopout', 'OptedIn',
  'OptedOut', 'Paused', 'Posted', 'Printed', 'Published', 'Questioned', 'Ranked', 'Recommended', 'Removed',
  'Reset', 'Restarted', 'Restored', 'Resumed', 'Retrieved', 'Returned', 'Reviewed', 'Rewound', 'Saved',
  'Searched', 'Sent', 'Shared', 'Showed', 'Skipped', 'Started', 'Submitted', 'Subscribed', 'Tagged', 'TimedOut',
  'Unmuted', 'Unpublished', 'Unsubscribed', 'Uploaded', 'Used', 'Viewed',
]);

/**
 * Caliper 1.2 event subtypes and the actions each supports (`undefined`: the generic `Event`,
 * which takes any action of the vocabulary). The spec spells one action `MarkedAsUnRead` in the
 * message/thread tables and `MarkedAsUnread` in the vocabulary; both are accepted.
 */
export const EVENT_ACTIONS: ReadonlyMap<string, ReadonlySet<string> | undefined> = new Map<
  string,
  ReadonlySet<string> | undefined
>([
  ['Event', undefined],
  ['AnnotationEvent', new Set(['Bookmarked', 'Highlighted', 'Shared', 'Tagged'])],
  ['AssessmentEvent', new Set(['Started', 'Paused', 'Resumed', 'Restarted', 'Reset', 'Submitted'])],
  ['AssessmentItemEvent', new Set(['Started', 'Skipped', 'Completed'])],
  ['AssignableEvent', new Set(['Activated', 'Deactivated', 'Started', 'Completed', 'Submitted', 'Reviewed'])],
  ['FeedbackEvent', new Set(['Commented', 'Ranked'])],
  ['ForumEvent', new Set(['Subscribed', 'Unsubscribed'])],
  ['GradeEvent', new Set(['Graded'])],
  [
    'MediaEvent',
    new Set([
      'Started', 'Ended', 'Paused', 'Resumed', 'Restarted', 'ForwardedTo', 'JumpedTo', 'ChangedResolution',
      'ChangedSize', 'ChangedSpeed', 'ChangedVolume', 'EnabledClosedCaptioning', 'DisabledClosedCaptioning',
      'EnteredFullScreen', 'ExitedFullScreen', 'Muted', 'Unmuted', 'OpenedPopout', 'ClosedPopout',
    ]),
  ],
  ['MessageEvent', new Set(['MarkedAsRead', 'MarkedAsUnread', 'MarkedAsUnRead', 'Posted'])],
  ['NavigationEvent', new Set(['NavigatedTo'])],
  ['QuestionnaireEvent', new Set(['Started', 'Submitted'])],
  ['QuestionnaireItemEvent', new Set(['Started', 'Skipped', 'Completed'])],
  [
    'ResourceManagementEvent',
    new Set([
      'Archived', 'Copied', 'Created', 'Deleted', 'Described', 'Downloaded', 'Modified', 'Printed', 'Published',
      'Restored', 'Retrieved', 'Saved', 'Unpublished', 'Uploaded',
    ]),
  ],
  ['SearchEvent', new Set(['Searched'])],
  ['SessionEvent', new Set(['LoggedIn', 'LoggedOut', 'TimedOut'])],
  ['SurveyEvent', new Set(['OptedIn', 'OptedOut'])],
  ['SurveyInvitationEvent', new Set(['Accepted', 'Declined', 'Sent'])],
  ['ThreadEvent', new Set(['MarkedAsRead', 'MarkedAsUnread', 'MarkedAsUnRead'])],
  ['ToolLaunchEvent', new Set(['Launched', 'Returned'])],
  ['ToolUseEvent', new Set(['Used'])],
  ['ViewEvent', new Set(['Viewed'])],
]);

/** Caliper 1.2 entity terms (Appendix: entities). */
export const ENTITY_TERMS: ReadonlySet<string> = new Set([
  'Agent', 'AggregateMeasure', 'AggregateMeasureCollection', 'Annotation', 'Assessment', 'AssessmentItem',
  'AssignableDigitalResource', 'Attempt', 'AudioObject', 'BookmarkAnnotation', 'Chapter', 'Collection', 'Comment',
  'CourseOffering', 'CourseSection', 'DateTimeQuestion', 'DateTimeResponse', 'DigitalResource',
  'DigitalResourceCollection', 'Document', 'Entity', 'FillinBlankResponse', 'Forum', 'Frame', 'Group',
  'HighlightAnnotation', 'ImageObject', 'LearningObjective', 'LikertScale', 'Link', 'LtiLink', 'LtiSession',
  'MediaLocation', 'MediaObject', 'Membership', 'Message', 'MultipleChoiceResponse', 'MultipleResponseResponse',
  'MultiselectQuestion', 'MultiselectResponse', 'MultiselectScale', 'NumericScale', 'OpenEndedQuestion',
  'OpenEndedResponse', 'Organization', 'Page', 'Person', 'Query', 'Question', 'Questionnaire', 'QuestionnaireItem',
  'Rating', 'RatingScaleQuestion', 'RatingScaleResponse', 'Response', 'Result', 'Scale', 'Score', 'SearchResponse',
  'SelectTextResponse', 'Session', 'SharedAnnotation', 'SoftwareApplication', 'Survey', 'SurveyInvitation',
  'SystemIdentifier', 'TagAnnotation', 'TextPositionSelector', 'Thread', 'TrueFalseResponse', 'VideoObject',
  'WebPage',
]);

/** Entity terms that are Agents (valid `actor` types). */
export const AGENT_TERMS: ReadonlySet<string> = new Set([
  'Agent', 'Person', 'Organization', 'CourseOffering', 'CourseSection', 'Group', 'SoftwareApplication',
]);

/** Properties a Caliper 1.2 Event may carry; anything else belongs in `extensions`. */
export const EVENT_PROPERTIES: ReadonlySet<string> = new Set([
  '@context', 'id', 'type', 'profile', 'actor', 'action', 'object', 'eventTime', 'edApp', 'generated', 'target',
  'referrer', 'group', 'membership', 'session', 'federatedSession', 'extensions',
]);
