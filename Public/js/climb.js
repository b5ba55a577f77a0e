// The member's answer-climbing page (climb.html#campaign=ID), on the phone: the mountain (the ladder of levels,
// where the member stands, the next level, attempts left today, ranks and the branch), and the attempt at a
// level — one question at a time, right or wrong with the key and the explanation after each answer, and the
// result with a review at the end. Without #campaign= it lists the member's campaigns.
//
// Plain HTTP, one small request at a time. The server keeps time and decides what is late; this page only
// counts down from the time it is told, and keeps counting whatever the network does (the server's clock does not
// stop for it). Phones lose the network: a request that did not get through is sent again as it was, by itself
// with growing pauses (1, 2, 4, 8, then every 10 s) or at once on 重新发送 or when the phone is back online — the
// server makes a repeat harmless — and the member is told how long the question still has. A refusal that says the page is behind ("late",
// "already-answered", "attempt-over") makes it ask for the attempt again and show what the server says.
// A reload finds the attempt under way (me.currentAttempt) and resumes it on the same question.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t, hasKey } from './i18n.js';
import { startMemberPage, showView } from './member-page.js';
import { createCountdown } from './countdown.js';
import { params } from './contest-text.js';
import { unitPath } from './format.js';
import {
  branchRows, clockText, dayText, feedbackScreen, levelFacts, mountain, percent, questionScreen, resultScreen,
  standingRows, waitScreen,
} from './climb-screens.js';

const state = {
  id: null,            // the campaign, from #campaign=
  member: null,        // GET /api/me's member, for the line above the title
  me: null,            // GET /api/climb/:id
  attempt: null,       // the AttemptState last received
  feedback: null,      // the Graded of the answer just given, shown until 下一题
  note: null,          // the previous question's Graded when this page never showed it
  shown: {},           // "seq:index" of the graded questions this page has shown
  sent: null,          // the answer on its way: { index, picks | truth | text }
  selected: [],
  draft: '',
  timedOut: null,      // the question index whose countdown ran out here, or 'attempt'
  pending: null,       // the request under way: 'load' | 'start' | 'answer' | 'next' | 'abandon'
  retrying: null,      // the request that did not get through and is sent again by itself (or on 重新发送)
  failures: 0,         // network failures in a row, for the pause before the next try
  view: 'loading',
};

const countdown = createCountdown(renderTimer);
let timerTotal = null;

// ---- requests ------------------------------------------------------------------------------------------

// Refusals that mean the page is behind the server: ask for the attempt again and show what it says.
const BEHIND = ['late', 'already-answered', 'attempt-over', 'not-this-question', 'not-served'];
// Refusals about starting: the mountain again, with the reason.
const MOUNTAIN = ['campaign-closed', 'no-attempts-left', 'summit', 'pool-too-small', 'no-attempt'];

function isNetwork(error) {
  return error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504;
}

function refusalText(error) {
  const key = 'climb.error.' + String(error.code || '').replace(/-([a-z])/g, (m, c) => c.toUpperCase());
  return error.code && hasKey(key) ? t(key) : error.message;
}

// Runs one request; on a network failure offers it again, as it was.
async function send(kind, task) {
  if (state.pending) return;
  state.pending = kind;
  hideRetry();
  render();
  try {
    await task();
    state.pending = null;
    state.failures = 0;
  } catch (error) {
    state.pending = null;
    failed(error, kind, task);
  }
  render();
}

function failed(error, kind, task) {
  if (error.status === 401) {
    countdown.set(null);
    state.view = 'signed-out';
    showView('signed-out');
    return;
  }
  if (isNetwork(error)) {
    state.retrying = kind;
    state.failures += 1;
    retryReason = error.code === 'not-saved' ? 'climb.notSaved' : 'climb.network';
    showRetry(t(retryReason), () => send(kind, task));
    scheduleRetry();
    return;
  }
  if (error.code === 'not-in-campaign') {
    stop('climb.notInTitle', refusalText(error), { href: '/me.html', key: 'climb.toMe' });
    return;
  }
  if (error.status === 403) {
    // An organizer's session: the console is their place.
    stop('climb.staffTitle', t('climb.staffText'), { href: '/campaigns.html', key: 'climb.toConsole' });
    return;
  }
  if (error.status === 404 && !error.code) {
    stop('climb.notFoundTitle', t('climb.notFound'), { href: '/climb.html', key: 'climb.allCampaigns' });
    return;
  }
  if (BEHIND.indexOf(error.code) >= 0 && state.attempt) {
    toast(refusalText(error));
    const seq = state.attempt.seq;
    state.sent = null;
    setTimeout(() => send('next', () => refreshAttempt(seq)), 0);
    return;
  }
  if (MOUNTAIN.indexOf(error.code) >= 0) {
    toast(refusalText(error));
    setTimeout(() => send('load', loadCampaign), 0);
    return;
  }
  if (error.code === 'malformed-answer') {
    // Nothing was recorded: the question is still open, its clock still running.
    state.sent = null;
    resumeTimer();
    toast(refusalText(error));
    return;
  }
  if (state.view === 'loading') {
    stop('me.errorTitle', t('me.error', { message: error.message }), null, () => send('load', loadCampaign));
    return;
  }
  toast(error.message);
}

// ---- the flow ----------------------------------------------------------------------------------------------

async function loadCampaign() {
  const results = await Promise.all([api.climbMe(state.id), state.member ? null : api.getMe().catch(() => null)]);
  state.me = results[0];
  if (results[1]) state.member = results[1].member;
  if (state.me.currentAttempt) {
    const attempt = await api.getAttempt(state.id, state.me.currentAttempt);
    setAttempt(attempt);
    return;
  }
  state.attempt = null;
  state.feedback = null;
  countdown.set(null);
  state.view = 'mountain';
}

async function refreshAttempt(seq) {
  const attempt = await api.getAttempt(state.id, seq);
  state.feedback = null;
  setAttempt(attempt);
}

function markShown(attempt, graded) {
  state.shown[attempt.seq + ':' + graded.index] = true;
}

// The attempt as the server says it is now.
function setAttempt(attempt) {
  const before = state.attempt;
  const q = attempt.question;
  const sameQuestion = before && before.seq === attempt.seq && before.question && q && before.question.index === q.index;
  if (!sameQuestion) {
    state.selected = [];
    state.draft = '';
    state.sent = null;
    if (state.timedOut !== 'attempt' || attempt.seq !== (before && before.seq)) state.timedOut = null;
  }
  state.attempt = attempt;
  if (state.feedback) markShown(attempt, state.feedback);
  // A question this page never showed the outcome of (time ran out, a reload): a note above the next one.
  if (q && !sameQuestion) {
    const previous = (attempt.graded || []).filter((g) => g.index === q.index - 1)[0];
    state.note = previous && !state.shown[attempt.seq + ':' + previous.index] ? previous : null;
    if (previous) markShown(attempt, previous);
  } else if (!q) {
    state.note = null;
  }
  if (attempt.status !== 'answering') {
    (attempt.graded || []).forEach((g) => markShown(attempt, g));
    state.view = state.feedback ? 'attempt' : 'result';
    if (!state.feedback) afterAttempt();
  } else {
    state.view = 'attempt';
  }
  startTimer();
}

// The mountain as it is after the attempt: the rank, what is left today, the next level.
function afterAttempt() {
  countdown.set(null);
  api.climbMe(state.id).then((me) => {
    state.me = me;
    if (state.view === 'result') render();
  }, () => {});
}

function levelInfo(number) {
  const levels = state.me ? state.me.campaign.levels : [];
  return levels.filter((level) => level.level === number)[0] || null;
}

function perLevel(attempt) {
  const level = levelInfo(attempt.level);
  if (level) return level.timeLimitKind === 'perLevel';
  return !!(attempt.question && !attempt.question.timeLimitMs);
}

// The countdown: the question's while one is on show; between questions, the whole level's when the level is
// timed as a whole (its clock does not stop for reading an explanation).
function startTimer() {
  const a = state.attempt;
  if (!a || a.status !== 'answering' || state.view !== 'attempt' || state.timedOut !== null) {
    countdown.set(null);
    return;
  }
  let remaining = null;
  if (a.question) remaining = a.question.remainingMs;
  else if (perLevel(a)) remaining = a.remainingMs;
  if (remaining === null) {
    countdown.set(null);
    return;
  }
  const level = levelInfo(a.level);
  const limit = a.question && a.question.timeLimitMs ? a.question.timeLimitMs : level ? level.timeLimitSeconds * 1000 : 0;
  timerTotal = Math.max(limit, remaining);
  countdown.set(remaining, timerTotal, true);
}

function resumeTimer() {
  const left = countdown.remaining();
  if (left !== null && left !== undefined) countdown.set(left, timerTotal, true);
}

let timedOutAt = 0;

function timeUp() {
  const a = state.attempt;
  countdown.set(null);
  timedOutAt = Date.now();
  state.timedOut = a.question && a.question.timeLimitMs ? a.question.index : 'attempt';
  if (!a.question) state.feedback = null;
  render();
  if (state.timedOut !== 'attempt') showRunOutKey(a.seq, state.timedOut);
}

// Once the server has seen the question's time run out (after its grace second), its key and explanation, read
// without putting the next question on show: reading them must not cost the next question's time.
function showRunOutKey(seq, index) {
  setTimeout(async () => {
    if (!state.attempt || state.attempt.seq !== seq || state.timedOut !== index || state.pending) return;
    try {
      const attempt = await api.getAttempt(state.id, seq, false);
      const graded = (attempt.graded || []).filter((g) => g.index === index)[0];
      if (!graded || !state.attempt || state.attempt.seq !== seq || state.timedOut !== index || state.pending) return;
      state.feedback = graded;
      setAttempt(attempt);
      render();
    } catch (error) {
      // The "时间到" screen stays; 下一题 still goes on.
    }
  }, 1500);
}

const actions = {
  start() {
    send('start', async () => {
      state.feedback = null;
      state.note = null;
      setAttempt(await api.startAttempt(state.id));
    });
  },
  answer(answer) {
    const a = state.attempt;
    if (!a || !a.question || state.pending) return;
    const body = Object.assign({ index: a.question.index }, answer);
    const seq = a.seq;
    state.sent = body;
    // The countdown keeps running while the answer travels (and while it waits to be sent again): the server's
    // deadline does not move for the network, and the member must see what is left.
    send('answer', async () => {
      const reply = await api.answerAttempt(state.id, seq, body);
      state.feedback = reply.graded;
      state.note = null;
      setAttempt(reply.attempt);
    });
  },
  toggle(position) {
    const at = state.selected.indexOf(position);
    if (at >= 0) state.selected.splice(at, 1);
    else state.selected.push(position);
    render();
  },
  submitPicks() {
    if (state.selected.length) actions.answer({ picks: state.selected.slice().sort((x, y) => x - y) });
  },
  draft(text) {
    state.draft = text;
  },
  text(value) {
    const text = value.trim();
    if (!text) {
      toast(t('play.fillEmpty'));
      return;
    }
    actions.answer({ text: text });
  },
  next() {
    const a = state.attempt;
    if (!a) return;
    if (a.status !== 'answering') {
      // The last answer's feedback was on show: now the result.
      state.feedback = null;
      state.view = 'result';
      afterAttempt();
      render();
      return;
    }
    // Right after a countdown ran out here, give the server its grace second to see it too.
    const wait = state.timedOut !== null ? Math.max(0, timedOutAt + 1500 - Date.now()) : 0;
    send('next', async () => {
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      await refreshAttempt(a.seq);
    });
  },
  abandon() {
    const a = state.attempt;
    if (!a || !window.confirm(t('climb.confirmAbandon'))) return;
    send('abandon', async () => {
      state.feedback = null;
      setAttempt(await api.abandonAttempt(state.id, a.seq));
    });
  },
  backToMountain() {
    send('load', loadCampaign);
  },
};

// ---- rendering --------------------------------------------------------------------------------------------

let toastTimer = null;

function toast(text) {
  const node = byId('toast');
  setNotice(node, text, 'error');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => setNotice(node, ''), 6000);
}

let retryAction = null;
let retryReason = 'climb.network';
let retryTimer = null;
let retryAt = null;     // Date.now() of the next automatic try
let retryTicker = null; // rewrites the retry box's seconds once a second (the countdown stops at zero)

function showRetry(text, action) {
  retryAction = action;
  byId('retry-text').textContent = text;
  byId('retry-box').hidden = false;
  clearInterval(retryTicker);
  retryTicker = setInterval(renderRetryText, 1000);
  if (state.view === 'loading') byId('loading-text').textContent = t('climb.loadFailed');
}

function hideRetry() {
  retryAction = null;
  state.retrying = null;
  clearTimeout(retryTimer);
  clearInterval(retryTicker);
  retryTimer = null;
  retryTicker = null;
  retryAt = null;
  byId('retry-box').hidden = true;
}

// The next automatic try, after a pause that doubles with each failure in a row (1, 2, 4, 8, then 10 s); the retry
// box says when, and how long the question has left.
function scheduleRetry() {
  const delay = Math.min(10000, 1000 * Math.pow(2, state.failures - 1));
  clearTimeout(retryTimer);
  retryAt = Date.now() + delay;
  retryTimer = setTimeout(retryNow, delay);
  renderRetryText();
}

function retryNow() {
  clearTimeout(retryTimer);
  retryTimer = null;
  retryAt = null;
  if (retryAction) retryAction();
}

function renderRetryText() {
  if (byId('retry-box').hidden) return;
  const parts = [t(retryReason)];
  const left = countdown.remaining();
  const a = state.attempt;
  if (state.view === 'attempt' && a && a.status === 'answering' && left !== null && left !== undefined) {
    parts.push(left > 0 ? t('climb.timeLeft', { seconds: Math.ceil(left / 1000) }) : t('climb.timeOverWaiting'));
  }
  if (retryAt !== null) parts.push(t('climb.retryIn', { seconds: Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)) }));
  byId('retry-text').textContent = parts.join(t('punct.sentenceGap'));
}

function stop(titleKey, text, link, retry) {
  countdown.set(null);
  state.view = 'stopped';
  byId('stopped-title').textContent = t(titleKey);
  byId('stopped-text').textContent = text;
  const anchor = byId('stopped-link');
  anchor.hidden = !link;
  if (link) {
    anchor.href = link.href;
    anchor.textContent = t(link.key);
  }
  const button = byId('stopped-retry');
  button.hidden = !retry;
  button.onclick = retry || null;
}

function renderTimer(remaining, total) {
  const a = state.attempt;
  const shown = remaining !== null && remaining !== undefined && state.view === 'attempt' && !!a && a.status === 'answering';
  byId('question-head').hidden = !(a && a.question) && !shown;
  byId('q-timer').textContent = shown ? clockText(remaining) : '';
  byId('q-timer').classList.toggle('is-urgent', shown && remaining <= 5000);
  byId('timer-bar').hidden = !shown;
  byId('timer-fill').style.width = shown && total ? Math.max(0, Math.min(100, (remaining / total) * 100)) + '%' : '0';
  if (shown && remaining <= 0 && !state.pending && state.timedOut === null && byId('retry-box').hidden) timeUp();
  renderRetryText();
}

function renderMountainView() {
  const me = state.me;
  const c = me.campaign;
  document.title = t('climb.pageTitleNamed', { title: c.title });
  const m = state.member;
  byId('climber').textContent = m ? m.name + (m.unit ? ' · ' + unitPath(m.unit) : '') : '';
  byId('campaign-title').textContent = c.title;
  byId('campaign-dates').textContent = t('climb.dates', { start: dayText(c.startDate), end: dayText(c.endDate) });
  byId('my-height').textContent = String(me.height);
  byId('height-of').textContent = t('climb.heightOf', { count: me.levelCount });

  const drawn = mountain(me);
  const list = byId('mountain');
  list.classList.toggle('is-compact', drawn.compact);
  replaceChildren(list, drawn.items);

  const next = me.nextLevel;
  const start = byId('start');
  const note = byId('start-note');
  byId('next-card').classList.toggle('is-summit', !next);
  if (next) {
    byId('next-title').textContent = t('climb.nextLevel', { title: next.title });
    replaceChildren(byId('next-facts'), levelFacts(next).map((text) => el('li', null, text)));
  } else {
    byId('next-title').textContent = t('climb.summitTitle');
    replaceChildren(byId('next-facts'), el('li', null, t('climb.summitText', { count: me.levelCount })));
  }
  let blocked = '';
  if (!next) blocked = '';
  else if (!me.open) blocked = me.today < c.startDate ? t('climb.notYet', { start: dayText(c.startDate) }) : t('climb.ended', { end: dayText(c.endDate) });
  else if (me.attemptsLeft <= 0 && !me.currentAttempt) blocked = t('climb.noneLeftToday');
  setNotice(note, blocked, blocked ? 'error' : null);
  start.hidden = !next;
  start.disabled = !!blocked || !!state.pending;
  start.textContent = t(me.currentAttempt ? 'climb.resume' : state.pending === 'start' ? 'climb.starting' : 'climb.start');
  byId('attempts-line').textContent = next
    ? t('climb.attemptsLeft', { left: Math.max(0, me.attemptsLeft), total: c.attemptsPerDay }) : '';

  replaceChildren(byId('standing'), standingRows(me));
  const branchCard = byId('branch-card');
  branchCard.hidden = !me.branch;
  if (me.branch) {
    byId('branch-name').textContent = me.branch.name;
    replaceChildren(byId('branch-facts'), branchRows(me));
    byId('branch-rate-fill').style.width = percent(me.branch.participationRate);
  }
}

function renderAttemptView() {
  const a = state.attempt;
  const level = levelInfo(a.level);
  byId('attempt-level').textContent = a.levelTitle || t('climb.levelN', { level: a.level });
  byId('attempt-progress').textContent = t('climb.needLine', { needed: a.correctNeeded, count: a.questionCount });
  byId('attempt-correct').textContent = String(a.correct);
  const q = a.question;
  byId('question-head').hidden = !q && countdown.remaining() === null;
  byId('q-meta').textContent = q ? t('play.questionOf', { number: q.index + 1, total: a.questionCount })
    : t('climb.answeredOf', { answered: a.answered, total: a.questionCount });
  if (level) byId('q-meta').title = levelFacts(level).join(' · ');

  const focused = document.activeElement && document.activeElement.id === 'fill-input';
  const screen = byId('screen');
  let content;
  if (state.feedback) content = feedbackScreen(state, actions);
  else if (q && state.timedOut !== 'attempt') content = questionScreen(state, actions);
  else content = waitScreen(state, actions);
  screen.setAttribute('data-phase', state.feedback ? 'feedback' : q ? 'question' : 'between');
  replaceChildren(screen, content);
  if (focused) {
    const input = byId('fill-input');
    if (input && !input.disabled) input.focus();
  }
  renderTimer(countdown.remaining(), timerTotal);
}

function renderList(campaigns) {
  replaceChildren(byId('campaign-list'), campaigns.map((c) =>
    el('li', null, el('a', { class: 'campaign-link', href: '#campaign=' + c.id, 'data-campaign': c.id },
      el('b', null, c.title), el('span', null, t('climb.dates', { start: dayText(c.startDate), end: dayText(c.endDate) })),
      el('span', { class: 'campaign-go' }, t('me.climbGo'))))));
  byId('campaign-none').hidden = campaigns.length > 0;
}

let lastView = null;

function render() {
  switch (state.view) {
    case 'mountain':
      if (state.me) renderMountainView();
      break;
    case 'attempt':
      if (state.attempt) renderAttemptView();
      break;
    case 'result':
      if (state.attempt) replaceChildren(byId('result'), resultScreen(state, actions));
      break;
    default:
      break;
  }
  if (state.view !== 'list' && state.view !== 'loading' && state.view !== 'signed-out') {
    showView(state.view);
    if (state.view !== lastView) window.scrollTo(0, 0);
    lastView = state.view;
  }
  document.body.setAttribute('data-pending', state.pending || '');
}

// ---- start --------------------------------------------------------------------------------------------

async function showList() {
  state.view = 'list';
  showView('loading');
  let campaigns;
  try {
    campaigns = await api.myCampaigns();
    state.failures = 0;
  } catch (error) {
    if (error.status === 401) {
      showView('signed-out');
      return;
    }
    if (isNetwork(error)) {
      state.failures += 1;
      retryReason = 'climb.network';
      showRetry(t('climb.network'), () => {
        hideRetry();
        showList();
      });
      scheduleRetry();
      return;
    }
    failed(error, 'load', showList);
    render();
    return;
  }
  if (campaigns.length === 1) {
    location.replace('#campaign=' + campaigns[0].id);
    return;
  }
  renderList(campaigns);
  document.title = t('climb.pageTitle');
  showView('list');
}

function open() {
  const id = parseInt(params(location.hash).campaign || '', 10);
  hideRetry();
  state.attempt = null;
  state.feedback = null;
  state.me = null;
  countdown.set(null);
  if (!(id > 0)) {
    state.id = null;
    showList();
    return;
  }
  state.id = id;
  state.view = 'loading';
  byId('loading-text').textContent = t('climb.loading');
  showView('loading');
  send('load', loadCampaign);
}

function main() {
  startMemberPage();
  api.setUnauthorizedHandler(() => {}); // no login page for members: the signed-out view says what to do
  onLanguageChange(() => {
    render();
    if (state.view === 'list' && !state.id) showList();
  });
  byId('start').addEventListener('click', actions.start);
  // Back online: try at once rather than wait out the pause.
  window.addEventListener('online', () => { if (retryAction) retryNow(); });
  byId('retry').addEventListener('click', () => {
    if (retryAction) retryNow();
  });
  window.addEventListener('hashchange', open);
  open();
}

main();
