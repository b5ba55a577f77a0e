// The outcome box of a file import (question bank or roster): a message, then every located error of a
// rejected file so its author can fix them all in one pass, then the warnings that did not stop the import.
import { byId, el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { formatBytes } from './format.js';

function issueItem(issue) {
  return el('li', null,
    issue.location ? el('span', { class: 'issue-location' }, issue.location) : null,
    issue.location ? ': ' : '',
    issue.message);
}

function showIssues(list, title, issues) {
  replaceChildren(list, issues.map(issueItem));
  list.hidden = issues.length === 0;
  if (title) title.hidden = issues.length === 0;
}

// ids: { box, message, errors, warnings, warningsTitle } — element ids of the box and its parts.
// An upload's progress as the pending message of a result box: bytes sent with a bar, then the phase the
// server is in once the whole file is sent (the import itself is one request, so "processing" is all it can say).
export function progressMessage(label, progress) {
  if (progress.phase === 'processing') {
    return [el('span', null, label), el('span', { class: 'upload-phase', 'data-phase': 'processing' }, t('upload.processing'))];
  }
  const percent = progress.total ? Math.floor((100 * progress.sent) / progress.total) : 0;
  return [
    el('span', null, label),
    el('span', { class: 'upload-phase', 'data-phase': 'sending', 'data-sent': String(progress.sent) },
      t('upload.sending', { sent: formatBytes(progress.sent), total: formatBytes(progress.total), percent: percent })),
    el('progress', { class: 'upload-progress', max: String(progress.total || 1), value: String(progress.sent) }),
  ];
}

export function createResultBox(ids) {
  const box = byId(ids.box);
  return {
    // state: 'pending' | 'success' | 'rejected' | 'error' | 'invalid-input' (kept in data-state for tests)
    show(state, message, errors, warnings) {
      box.hidden = false;
      box.setAttribute('data-state', state);
      box.classList.toggle('is-success', state === 'success');
      box.classList.toggle('is-error', state !== 'success' && state !== 'pending');
      replaceChildren(byId(ids.message), message);
      showIssues(byId(ids.errors), null, errors || []);
      showIssues(byId(ids.warnings), byId(ids.warningsTitle), warnings || []);
    },
    hide() {
      box.hidden = true;
      box.removeAttribute('data-state');
    },
  };
}
