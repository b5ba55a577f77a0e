// The invitation link's landing: https://host/invite#TOKEN. Sends the token to the server once, removes it
// from the address bar and the history, and goes to the member's page. An invalid or revoked link gets a
// plain Chinese explanation and who to ask.
import * as api from './api.js';
import { byId, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startMemberPage, showView } from './member-page.js';

function tokenFromAddress() {
  let token = location.hash.replace(/^#/, '');
  if (!token) {
    const match = /[?&]token=([^&#]*)/.exec(location.search);
    token = match ? match[1] : '';
  }
  try {
    token = decodeURIComponent(token);
  } catch (error) {
    // keep it as it is
  }
  // WeChat and some mail apps append punctuation or whitespace when they linkify a link.
  return token.replace(/^[\s/]+|[\s。，,.;；)）]+$/g, '');
}

let failure = null;
// Only a phone already signed in as a member has a page to go back to; for anyone else 打开我的页面 led to
// 您尚未登录 and its advice to open the invitation link — the very link that had just failed.
let member = false;

function showFailure() {
  if (!failure) return;
  let text;
  if (failure === 'missing') text = t('invite.missing');
  else if (failure.status === 404 || failure.status === 400 || failure.status === 410) text = t('invite.invalid');
  else if (failure.status === 429) text = t('invite.tooMany');
  else text = t('invite.error', { message: failure.message });
  setNotice(byId('invite-error'), text, 'error');
  byId('invite-to-me').hidden = !member;
  byId('invite-error').setAttribute('data-status', failure === 'missing' ? 'missing' : String(failure.status));
  showView('failed');
}

async function main() {
  startMemberPage();
  onLanguageChange(showFailure);
  showView('working');
  const token = tokenFromAddress();
  // The token must not stay in the address bar, the history or a screenshot of the page.
  if (history.replaceState) history.replaceState(null, '', location.pathname);
  if (!token) {
    failure = 'missing';
    showFailure();
    return;
  }
  // A session already on this phone (another member's, an organizer's) gives the CSRF token to send.
  try {
    member = (await api.getSession(true)).kind === 'member';
  } catch (error) {
    // not signed in: the usual case
  }
  try {
    await api.redeemInvitation(token);
  } catch (error) {
    failure = error;
    showFailure();
    return;
  }
  location.replace('/me.html');
}

main();
