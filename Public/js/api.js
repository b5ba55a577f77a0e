// The JSON API client (docs/api.md). Every failure reaches callers as an ApiError carrying the server's
// message and, for a rejected import, its located errors and warnings.
//
// Sessions: the cookie is HttpOnly, so the page never sees it; what the page keeps (in memory only) is the
// session's CSRF token, sent as X-CSRF-Token on every state-changing request. A 401 means "not signed in":
// by default the page goes to the login page and comes back afterwards (see setUnauthorizedHandler).
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : fallbackMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.errors = (body && body.errors) || [];
    this.warnings = (body && body.warnings) || [];
    this.code = (body && body.code) || null; // the refusal's code (campaigns: "late", "no-attempts-left" …)
    this.retryAfter = null; // seconds, from a 429's Retry-After header
  }
}

function fallbackMessage(status) {
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.unauthorized');
  if (status === 403) return t('error.forbidden');
  if (status === 404) return t('error.notFound');
  if (status === 413) return t('error.tooLarge');
  if (status === 429) return t('error.tooMany');
  return t('error.http', { status: status });
}

// Built by hand rather than with URLSearchParams: that encodes spaces as "+", which the server keeps as a
// literal "+", so a bank named "a b" would arrive as "a+b". Empty values are left out.
export function queryString(params) {
  const parts = [];
  Object.keys(params || {}).forEach((key) => {
    const value = params[key];
    if (value === undefined || value === null || value === '') return;
    parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
  });
  return parts.length ? '?' + parts.join('&') : '';
}

// Browsers resolve "." and ".." path segments (even as %2E) before sending, so such banks cannot be
// addressed from a page at all; fail clearly instead of silently hitting another URL.
export function isAddressableName(name) {
  return name !== '.' && name !== '..';
}

function bankPath(name) {
  if (!isAddressableName(name)) throw new ApiError(400, { error: t('banks.unaddressable', { name: name }) });
  return '/api/banks/' + encodeURIComponent(name);
}

function segment(value) {
  const text = String(value);
  if (!isAddressableName(text)) throw new ApiError(400, { error: t('error.badName', { name: text }) });
  return encodeURIComponent(text);
}

// ---- session state ---------------------------------------------------------------------------------

let csrfToken = null;

export function rememberSession(session) {
  csrfToken = (session && session.csrfToken) || null;
}

// Where the login page sends the user back to: this page, with its query and fragment.
export function loginUrl() {
  return '/login.html?next=' + encodeURIComponent(location.pathname + location.search + location.hash);
}

let unauthorizedHandler = () => {
  location.replace(loginUrl());
};

// Pages that must not leave on a 401 (the member pages) install their own handler.
export function setUnauthorizedHandler(handler) {
  unauthorizedHandler = handler;
}

const UNSAFE = { POST: true, PUT: true, PATCH: true, DELETE: true };

function isCsrfRefusal(status, body) {
  return status === 403 && body && typeof body.error === 'string' && /csrf/i.test(body.error);
}

// options: { json, body, headers, csrf: 'auto'|'ifKnown', onUnauthorized: 'handler'|'throw' }
// fetch() cannot report how much of a body has gone out; XMLHttpRequest can. Answers with what request()
// reads of a fetch Response (ok, status, headers.get, json). onProgress({ sent, total, phase }) hears
// 'sending' as bytes leave and 'processing' once the whole body is sent and the server is working on it.
function sendWithProgress(method, url, headers, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    Object.keys(headers).forEach((name) => xhr.setRequestHeader(name, headers[name]));
    const total = body && body.size !== undefined ? body.size : 0;
    xhr.upload.addEventListener('progress', (event) => {
      onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : total, phase: 'sending' });
    });
    xhr.upload.addEventListener('load', () => onProgress({ sent: total, total: total, phase: 'processing' }));
    xhr.addEventListener('load', () => {
      const text = xhr.responseText;
      resolve({
        ok: xhr.status >= 200 && xhr.status < 300,
        status: xhr.status,
        headers: { get: (name) => xhr.getResponseHeader(name) },
        json: () => Promise.resolve().then(() => JSON.parse(text)),
      });
    });
    xhr.addEventListener('error', () => reject(new Error('network')));
    xhr.addEventListener('abort', () => reject(new Error('aborted')));
    onProgress({ sent: 0, total: total, phase: 'sending' });
    xhr.send(body);
  });
}

async function request(method, url, options) {
  const opts = options || {};
  const headers = Object.assign({ Accept: 'application/json' }, opts.headers);
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const unsafe = UNSAFE[method] === true;
  if (unsafe && !csrfToken && opts.csrf !== 'ifKnown') await refreshCsrfToken();

  let attempt = 0;
  for (;;) {
    if (unsafe && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    let response;
    try {
      // credentials: old WebViews default to "omit", and the session lives in a cookie.
      response = opts.onUploadProgress
        ? await sendWithProgress(method, url, headers, body, opts.onUploadProgress)
        : await fetch(url, { method: method, headers: headers, body: body, credentials: 'same-origin' });
    } catch (error) {
      throw new ApiError(0, null);
    }
    const data = await readJson(response);
    if (response.ok) return data;
    // A token from before a sign-in elsewhere in this browser: fetch the current one and try once more.
    if (unsafe && attempt === 0 && isCsrfRefusal(response.status, data) && opts.csrf !== 'ifKnown') {
      attempt += 1;
      csrfToken = null;
      await refreshCsrfToken();
      continue;
    }
    const error = new ApiError(response.status, data);
    if (response.status === 429) {
      const seconds = parseInt(response.headers.get('Retry-After') || '', 10);
      if (!isNaN(seconds)) error.retryAfter = seconds;
    }
    if (response.status === 401 && opts.onUnauthorized !== 'throw') unauthorizedHandler(error);
    throw error;
  }
}

async function readJson(response) {
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    return null; // e.g. a proxy's HTML error page: the status alone has to do
  }
}

async function refreshCsrfToken() {
  const session = await request('GET', '/api/session');
  rememberSession(session);
}

// ---- sessions ---------------------------------------------------------------------------------------

// Resolves to the session ({kind, account|member, csrfToken}); a 401 goes to the handler unless quiet.
export async function getSession(quiet) {
  const session = await request('GET', '/api/session', { onUnauthorized: quiet ? 'throw' : 'handler' });
  rememberSession(session);
  return session;
}

export async function login(username, password) {
  const session = await request('POST', '/api/session', {
    json: { username: username, password: password }, csrf: 'ifKnown', onUnauthorized: 'throw',
  });
  rememberSession(session);
  return session;
}

export async function logout() {
  try {
    await request('DELETE', '/api/session', { onUnauthorized: 'throw' });
  } finally {
    rememberSession(null);
  }
}

export async function redeemInvitation(token) {
  const session = await request('POST', '/api/invitations/redeem', {
    json: { token: token }, csrf: 'ifKnown', onUnauthorized: 'throw',
  });
  rememberSession(session);
  return session;
}

export function getMe() {
  return request('GET', '/api/me');
}

// The same, for a page that works signed out too: a 401 is an answer, not a reason to leave.
export function getMeIfSignedIn() {
  return request('GET', '/api/me', { onUnauthorized: 'throw' });
}

// ---- units ------------------------------------------------------------------------------------------

export async function listUnits() {
  const body = await request('GET', '/api/units');
  return body.units;
}

export function createUnit(parentId, name, code) {
  const json = { parentId: parentId === undefined ? null : parentId, name: name };
  if (code) json.code = code;
  return request('POST', '/api/units', { json: json });
}

export function updateUnit(id, changes) {
  return request('PATCH', '/api/units/' + segment(id), { json: changes });
}

export function deleteUnit(id) {
  return request('DELETE', '/api/units/' + segment(id));
}

// ---- members and roster -----------------------------------------------------------------------------

// query: { q, subunits, active, category (an id), page, pageSize }
export function listMembers(unitId, query) {
  return request('GET', '/api/units/' + segment(unitId) + '/members' + queryString(query));
}

export function getMember(number) {
  return request('GET', '/api/members/' + segment(number));
}

// Invitation links for every active member of a unit (with its sub-units when `subunits`), or of the chosen
// `numbers`, who has none. Resolves to { invitations: [{ id, number, name, unit, link, qr }], alreadyInvited };
// the links are shown this once.
export function bulkInvite(unitId, subunits, numbers) {
  const body = { subunits: !!subunits };
  if (numbers) body.numbers = numbers;
  return request('POST', '/api/units/' + segment(unitId) + '/invitations', { json: body });
}

// Revokes every live invitation of the same selection; resolves to { revoked }.
export function bulkRevoke(unitId, subunits, numbers) {
  const body = { subunits: !!subunits };
  if (numbers) body.numbers = numbers;
  return request('POST', '/api/units/' + segment(unitId) + '/invitations/revoke', { json: body });
}

// The organization's member categories (分层分类): [{ id, name, position, memberCount, largeText }] in list order.
export async function listMemberCategories() {
  const body = await request('GET', '/api/member-categories');
  return body.categories;
}

// Administrators only.
export function createMemberCategory(name, largeText) {
  return request('POST', '/api/member-categories', { json: { name: name, largeText: !!largeText } });
}

// Whether the category's members get their pages in 大字 by default.
export function setMemberCategoryLargeText(id, largeText) {
  return request('PATCH', '/api/member-categories/' + segment(id), { json: { largeText: !!largeText } });
}

export function renameMemberCategory(id, name) {
  return request('PATCH', '/api/member-categories/' + segment(id), { json: { name: name } });
}

export function deleteMemberCategory(id) {
  return request('DELETE', '/api/member-categories/' + segment(id));
}

// The whole list's ids in the new order; answers the list as stored.
export async function reorderMemberCategories(ids) {
  const body = await request('POST', '/api/member-categories/order', { json: { ids: ids } });
  return body.categories;
}

export function createMember(member) {
  return request('POST', '/api/members', { json: member });
}

export function updateMember(number, changes) {
  return request('PATCH', '/api/members/' + segment(number), { json: changes });
}

// options: { unit, createUnits }; resolves to { created, updated, moved, unchanged, unitsCreated, warnings }.
// options.onProgress({ sent, total, phase }): see sendWithProgress.
export function importRoster(file, options) {
  const opts = options || {};
  const url = '/api/roster' + queryString({
    filename: file.name, unit: opts.unit, createUnits: opts.createUnits ? 1 : '',
  });
  return request('POST', url, {
    headers: { 'Content-Type': 'application/octet-stream' },
    body: file,
    onUploadProgress: opts.onProgress,
  });
}

export function issueInvitation(number) {
  return request('POST', '/api/members/' + segment(number) + '/invitations');
}

export function revokeInvitation(id) {
  return request('DELETE', '/api/invitations/' + segment(id));
}

export function qrUrl(text) {
  return '/api/qr' + queryString({ text: text });
}

// ---- accounts ---------------------------------------------------------------------------------------

export async function listAccounts() {
  const body = await request('GET', '/api/accounts');
  return body.accounts;
}

export function createAccount(account) {
  return request('POST', '/api/accounts', { json: account });
}

export function updateAccount(id, changes) {
  return request('PATCH', '/api/accounts/' + segment(id), { json: changes });
}

export function deleteAccount(id) {
  return request('DELETE', '/api/accounts/' + segment(id));
}

// ---- banks ------------------------------------------------------------------------------------------

export async function listBanks() {
  const body = await request('GET', '/api/banks');
  return body.banks;
}

export async function getBank(name) {
  return request('GET', bankPath(name));
}

// filters: { type, category, difficulty, tag, q, version, page, perPage }
export async function getQuestions(name, filters) {
  return request('GET', bankPath(name) + '/questions' + queryString(filters));
}

// Sends the file's bytes as the body; resolves to { bank, version, questionCount, format, warnings }.
// options: { unit (owner unit id), shared }
export function uploadBank(name, file, format, options) {
  const opts = options || {};
  const url = '/api/banks' + queryString({
    name: name, filename: file.name, format: format, unit: opts.unit, shared: opts.shared ? 1 : '',
  });
  return request('POST', url, {
    headers: { 'Content-Type': 'application/octet-stream' },
    body: file,
    onUploadProgress: opts.onProgress,
  });
}

export function updateBank(name, changes) {
  return request('PATCH', bankPath(name), { json: changes });
}

export async function deleteBank(name) {
  return request('DELETE', bankPath(name));
}

export function exportUrl(name, format, version) {
  return bankPath(name) + '/export' + queryString({ format: format, version: version });
}

// ---- live contests ---------------------------------------------------------------------------------

export async function listContests() {
  const body = await request('GET', '/api/contests');
  return body.contests;
}

// settings: ContestSettings as the server decodes it (rounds, each with its draw rule).
// Resolves to { contest, joinLink, displayLink }; the display link is shown this once.
export function createContest(ownerUnitId, settings) {
  return request('POST', '/api/contests', { json: { ownerUnitId: ownerUnitId, settings: settings } });
}

// New settings for a contest nobody joined yet: its questions are drawn again, its PIN and display link stay.
// 409 once someone joined. Resolves to { contest, joinLink }.
export function editContest(id, ownerUnitId, settings) {
  return request('PATCH', '/api/contests/' + segment(id), { json: { ownerUnitId: ownerUnitId, settings: settings } });
}

// Deletes a contest nobody joined yet (409 once someone did).
export function deleteContest(id) {
  return request('DELETE', '/api/contests/' + segment(id));
}

export function getContest(id) {
  return request('GET', '/api/contests/' + segment(id));
}

// A new display token: the old display link stops working. Resolves to { contest, joinLink, displayLink }.
export function newDisplayLink(id) {
  return request('POST', '/api/contests/' + segment(id) + '/display-link');
}

// Public: what a phone needs before joining (title, branches, membersOnly, the member this phone is).
export function joinInfo(pin) {
  return request('GET', '/api/join/' + segment(pin), { onUnauthorized: 'throw' });
}

// ---- answer-climbing campaigns (organizers) ------------------------------------------------------------

export async function listCampaigns() {
  const body = await request('GET', '/api/campaigns');
  return body.campaigns;
}

// settings: CampaignSettings as the server decodes it. Resolves to { campaign, memberLink, displayLink }; the
// display link is shown this once.
export function createCampaign(ownerUnitId, settings) {
  return request('POST', '/api/campaigns', { json: { ownerUnitId: ownerUnitId, settings: settings } });
}

export function getCampaign(id) {
  return request('GET', '/api/campaigns/' + segment(id));
}

// A new display token: the old display link stops working. Resolves to { campaign, memberLink, displayLink }.
export function newCampaignDisplayLink(id) {
  return request('POST', '/api/campaigns/' + segment(id) + '/display-link');
}

export function campaignBoard(id) {
  return request('GET', '/api/campaigns/' + segment(id) + '/board');
}

// The results page's figures: kind is 'contest' or 'campaign' (docs/api.md, "Reports").
// `memberCategory` (optional): only the members holding that member category (分层分类) count.
export function getReport(kind, id, memberCategory) {
  return request('GET', '/api/' + (kind === 'campaign' ? 'campaigns/' : 'contests/') + segment(id) + '/report' +
    queryString({ memberCategory: memberCategory }));
}

// Item analysis and weak categories of a contest or a campaign (题目分析, 薄弱分类).
export function getItemReport(kind, id, memberCategory) {
  return request('GET', '/api/' + (kind === 'campaign' ? 'campaigns/' : 'contests/') + segment(id) + '/items' +
    queryString({ memberCategory: memberCategory }));
}

// The organization's participation (参与统计): query = { unit, from, to, period }; extra adds absent/format/sheet.
export function participationReportUrl(query, extra) {
  return '/api/reports/participation' + queryString(Object.assign({}, query, extra || {}));
}

export function getParticipationReport(query, extra) {
  return request('GET', participationReportUrl(query, extra));
}

// The weak categories of a range of dates (`period` is not read: the range is one whole).
// The participation page's `category` (a member category) narrows the weak categories as `memberCategory`.
export function categoryReportUrl(query, extra) {
  const range = { unit: query.unit, from: query.from, to: query.to, memberCategory: query.category };
  return '/api/reports/categories' + queryString(Object.assign(range, extra || {}));
}

export function getCategoryReport(query) {
  return request('GET', categoryReportUrl(query));
}

// ---- answer-climbing campaigns (members) -------------------------------------------------------------
// A member's phone retries these on a weak network: the server makes every retry safe (a start hands back
// the attempt under way, a second answer is refused with "already-answered").

// A member's record across every activity, for an organizer in scope.
export function memberRecord(number) {
  return request('GET', '/api/members/' + segment(number) + '/history');
}

// The signed-in member's own record across every activity.
export function myHistory() {
  return request('GET', '/api/me/history');
}

export async function myCampaigns() {
  const body = await request('GET', '/api/climb', { onUnauthorized: 'throw' });
  return body.campaigns;
}

export function climbMe(id) {
  return request('GET', '/api/climb/' + segment(id), { onUnauthorized: 'throw' });
}

export function startAttempt(id) {
  return request('POST', '/api/climb/' + segment(id) + '/attempts', { onUnauthorized: 'throw' });
}

// serve false: the attempt as it stands, without putting the next question on show (its clock would start).
export function getAttempt(id, seq, serve) {
  return request('GET', '/api/climb/' + segment(id) + '/attempts/' + segment(seq) + (serve === false ? '?serve=0' : ''),
    { onUnauthorized: 'throw' });
}

// answer: { index, picks | truth | text }; resolves to { graded, attempt }.
export function answerAttempt(id, seq, answer) {
  return request('POST', '/api/climb/' + segment(id) + '/attempts/' + segment(seq) + '/answers',
    { json: answer, onUnauthorized: 'throw' });
}

export function abandonAttempt(id, seq) {
  return request('POST', '/api/climb/' + segment(id) + '/attempts/' + segment(seq) + '/abandon', { onUnauthorized: 'throw' });
}

// The server's message with its located errors, as one line for a status notice.
export function errorMessage(error) {
  const details = (error.errors || []).map((issue) =>
    (issue.location ? issue.location + ': ' : '') + issue.message);
  return details.length ? error.message + t('punct.colon') + details.join(t('punct.semicolon')) : error.message;
}

// ---- needs surveys ----------------------------------------------------------------------------------

export async function mySurveys() {
  const body = await request('GET', '/api/my/surveys', { onUnauthorized: 'throw' });
  return body.surveys;
}

export function mySurvey(id) {
  return request('GET', '/api/my/surveys/' + segment(id), { onUnauthorized: 'throw' });
}

export function answerSurvey(id, answers) {
  return request('POST', '/api/my/surveys/' + segment(id) + '/responses', { json: { answers: answers }, onUnauthorized: 'throw' });
}

export async function surveys() {
  const body = await request('GET', '/api/surveys');
  return body.surveys;
}

export async function surveyTemplates() {
  const body = await request('GET', '/api/survey-templates');
  return body.templates;
}

export async function createSurvey(ownerUnitId, settings) {
  const body = await request('POST', '/api/surveys', { json: { ownerUnitId: ownerUnitId, settings: settings } });
  return body.survey;
}

export async function closeSurvey(id) {
  const body = await request('POST', '/api/surveys/' + segment(id) + '/close');
  return body.survey;
}

export function surveyResults(id) {
  return request('GET', '/api/surveys/' + segment(id) + '/results');
}

// A ladder of the banks' categories in the order members asked for them, then the weakest ones.
export function campaignSeed(banks, wanted, weak, levels) {
  return request('POST', '/api/campaign-seed', { json: { banks: banks, wanted: wanted, weak: weak, levels: levels } });
}

// Every answer of the last 30 days in the organization's zone, by category (the weak-categories report).
export function recentCategoryReport(unit) {
  return request('GET', '/api/reports/categories' + queryString({ unit: unit, days: 30 }));
}
