export default {
  app: { name: 'Gongzhi', skip: 'Skip to main content' },
  nav: { home: 'Home', newAppeal: 'Report a problem', myData: 'My data', queue: 'Appeal queue', dashboard: 'Rates', signOut: 'Sign out', back: 'Back' },
  elder: { mode: 'Elder mode', readAloud: 'Read this page aloud', stop: 'Stop reading' },
  lang: { switchTo: '中文', label: 'Switch language' },
  signIn: {
    title: 'Sign in', phone: 'Phone number', password: 'Password', totp: 'Authenticator code (staff)', totpHint: 'Villagers leave this empty',
    submit: 'Sign in', phoneRequired: 'Enter your phone number', passwordRequired: 'Enter your password', failed: 'Sign-in failed',
  },
  home: {
    hello: 'Hello, {name}', openAppeals: 'My appeals', none: 'You have no open appeals', needsAnswer: 'Waiting for your rating',
    noneToRate: 'Nothing waits for your answer', rateNow: 'Rate it', newAppeal: 'Report a problem', answerDue: 'Due {time}',
    overdue: 'Overdue', allAppeals: 'All appeals',
  },
  state: {
    submitted: 'Submitted', accepted: 'Accepted', in_progress: 'In progress', answered: 'Answered, please rate', reopened: 'Reopened',
    closed: 'Closed', rejected: 'Rejected', contested: 'Contested', withdrawn: 'Withdrawn', escalated: 'Escalated',
  },
  action: {
    submit: 'Submitted', accept: 'Accept', start: 'Start work', answer: 'Answer', transfer: 'Transfer', reject: 'Reject', rate: 'Rated',
    reopen: 'Reopened', withdraw: 'Withdraw', contest: 'Contest', note: 'Note', escalate: 'Escalated (overdue)', join: 'Joined',
    uphold: 'Uphold', overturn: 'Overturn', visit: 'Follow-up visit', photo: 'Photo',
  },
  newAppeal: {
    title: 'Report a problem', step1: 'Step 1: what is it about?', step2: 'Step 2: tell us what happened', step3: 'Step 3: send',
    text: 'What happened', textPlaceholder: 'Where is it, and what happened? (the microphone on your keyboard can type for you)', photo: 'Add a photo (optional)',
    similar: 'Others already reported the same problem; it is being handled', similarHint: 'You can join instead of reporting it again', join: 'Join', joined: 'Joined: {n} people follow it',
    noSimilar: 'No one reported this yet: please send it', submit: 'Send my appeal', submitted: 'Sent', textRequired: 'Please say what happened',
    draftKept: 'Draft kept on this phone', draftRestored: 'Your unsent draft was restored', offline: 'No connection: the draft is kept and will be sent when the connection returns',
    sentFromDraft: 'Your draft was sent when the connection returned', changeCategory: 'Choose another category', supporters: '{n} people follow it',
  },
  appeal: {
    title: 'Appeal', timeline: 'What happened so far', content: 'What was reported', category: 'Category', state: 'State', submittedAt: 'Submitted',
    answerDue: 'Due', rateTitle: 'How was the answer?', satisfied: 'Satisfied', basically_satisfied: 'Mostly satisfied', dissatisfied: 'Not satisfied',
    solved: 'The problem is solved', ratingNote: 'Anything to add (optional)', sendRating: 'Send my rating', rated: 'Rating sent', ratingRequired: 'Choose how satisfied you are',
    reopenHint: '"Not satisfied" sends the appeal back to be handled again', yourRating: 'Your rating', capacity: { submitter: 'You', staff: 'Staff', system: 'System', helper: 'Helper' },
    contestTitle: 'Disagree with the rejection? Contest it', withdrawTitle: 'Solved by itself? Withdraw it', ownNote: 'Note (optional)',
    notFound: 'No such appeal',
  },
  myData: {
    title: 'My data', held: 'What the platform holds about me', reads: 'Who read my data', consents: 'My helper consents', none: 'Nothing yet',
    purpose: 'Purpose', reader: 'Reader', revoke: 'Revoke', revoked: 'Revoked', printable: 'Open the printable page', helper: 'Helper',
    validUntil: 'Valid until', status: 'Status', account: 'Account', name: 'Name', phone: 'Phone', village: 'Village', household: 'Household',
  },
  staff: {
    queue: 'Appeal queue', filterState: 'State', filterAll: 'All', open: 'To do', dueSoon: 'Due soon', overdueOnly: 'Overdue',
    due: 'Due', noItems: 'No appeals match', note: 'Note', notePlaceholder: 'For the villager (required to answer or reject)',
    internal: 'Internal note (the villager never sees it)', addNote: 'Add note', unit: 'Transfer to (e.g. township:420114001)', done: 'Done: {action}',
    version: 'Version', village: 'Village', refresh: 'Refresh',
  },
  dashboard: {
    title: 'Rates', groupBy: 'Group by', village: 'Village', township: 'Township', county: 'County', unit: 'Handling unit',
    response: 'Response', resolution: 'Resolution', satisfaction: 'Satisfaction', sample: 'sample {n}', noData: 'No data yet',
    chart: 'The three rates', table: 'Table', group: 'Group', filed: 'Filed', lastDays: 'Last 90 days',
  },
  common: { loading: 'Loading…', retry: 'Retry', error: 'Something went wrong', save: 'Save', cancel: 'Cancel', confirm: 'OK', yes: 'Yes', no: 'No', minutes: 'minutes' },
  category: { choose: 'Choose a category' },
};
