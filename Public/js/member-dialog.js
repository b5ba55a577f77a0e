// The member dialog of the roster page: add a member, or see and edit one — move between units (the
// server keeps the history), activate/deactivate — and issue or revoke their invitation links.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { t } from './i18n.js';
import { fillUnitSelect, selectedUnitId, findUnit } from './units.js';
import { formatTime, unitPath } from './format.js';
import { copyText } from './copy.js';
import { categoryTimeline } from './history-chart.js';
import { renderCategoryChoices, chosenCategories } from './member-categories.js';

function openDialog(dialog) {
  if (dialog.open) return;
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
}

function closeDialog(dialog) {
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
}

// getIndex() → the units index; onChanged() refreshes the roster table after a save, invite or revoke.
export function createMemberDialog(getIndex, onChanged) {
  const dialog = byId('member-dialog');
  const form = byId('member-form');
  const state = { mode: 'new', member: null, detail: null, shownInvitation: null, changed: false };

  function formStatus(text, kind) {
    setNotice(byId('member-form-status'), text, kind);
  }

  function inviteStatus(text, kind) {
    setNotice(byId('invite-status'), text, kind);
  }

  function fillUnits(selected) {
    fillUnitSelect(byId('member-unit'), getIndex(), { selected: selected });
  }

  function renderInvitations() {
    const invitations = (state.detail && state.detail.invitations) || [];
    if (!invitations.length) {
      replaceChildren(byId('invite-list'), el('li', { class: 'empty-line' }, t('invite.none')));
      return;
    }
    replaceChildren(byId('invite-list'), invitations.map((invitation) => {
      const revoked = !!invitation.revokedAt;
      return el('li', { class: 'invite-item' + (revoked ? ' is-revoked' : ''), 'data-invitation': String(invitation.id), 'data-state': revoked ? 'revoked' : 'active' },
        el('span', { class: 'invite-facts' },
          el('span', { class: 'badge ' + (revoked ? 'badge-muted' : 'badge-ok') }, t(revoked ? 'invite.revoked' : 'invite.active')),
          ' ' + t('invite.createdAt', { time: formatTime(invitation.createdAt) }),
          ' · ' + t('invite.sessions', { count: invitation.sessions || 0 }),
          revoked ? ' · ' + t('invite.revokedAt', { time: formatTime(invitation.revokedAt) }) : ''),
        revoked ? null : el('button', { type: 'button', class: 'btn btn-danger btn-small', 'data-revoke': String(invitation.id) }, t('invite.revoke')));
    }));
  }

  function renderHistory() {
    const history = (state.detail && state.detail.history) || [];
    if (!history.length) {
      replaceChildren(byId('member-history'), el('li', { class: 'empty-line' }, '—'));
      return;
    }
    replaceChildren(byId('member-history'), history.map((entry) => el('li', null,
      el('b', null, unitPath(entry.unit)), ' ',
      t(entry.until ? 'member.period' : 'member.periodOpen', {
        since: formatTime(entry.since), until: formatTime(entry.until),
      }))));
  }

  function renderCategoryHistory() {
    const spans = (state.detail && state.detail.categoryHistory) || [];
    if (!spans.length) {
      replaceChildren(byId('member-category-history'), el('li', { class: 'empty-line' }, '—'));
      return;
    }
    replaceChildren(byId('member-category-history'), spans.map((span) => el('li', null,
      el('b', null, span.category), ' ',
      t(span.until ? 'member.period' : 'member.periodOpen', {
        since: formatTime(span.since), until: formatTime(span.until),
      }))));
  }

  // Contests joined, campaigns climbed and accuracy per category (GET /api/members/:number/history); loaded with
  // the member, a failure shown in place of the list.
  function renderRecord(record, error) {
    const list = byId('member-record');
    if (error) {
      replaceChildren(list, el('li', { class: 'empty-line' }, t('member.recordFailed', { message: error.message })));
      replaceChildren(byId('member-record-chart'));
      byId('member-record-chart').hidden = true;
      return;
    }
    const lines = [];
    record.campaigns.forEach((c) => lines.push(el('li', { 'data-campaign': String(c.campaignId) }, el('b', null, c.title), ' ',
      t('me.historyCampaign', { height: c.height, attempts: c.attempts, correct: c.correct, answered: c.answered }))));
    record.contests.forEach((c) => lines.push(el('li', { 'data-contest': String(c.contestId) }, el('b', null, c.title), ' ',
      t('me.historyContest', { at: c.joinedAt, score: c.score, correct: c.correct, answered: c.answered }))));
    record.categories.forEach((line) => lines.push(el('li', { 'data-category': line.category },
      el('b', null, line.category || t('me.noCategory')), ' ', t('me.historyCategory', { accuracy: line.accuracy.toFixed(0), answered: line.answered }))));
    replaceChildren(list, lines.length ? lines : el('li', { class: 'empty-line' }, t('me.historyEmpty')));
    const timeline = categoryTimeline(record.categories);
    replaceChildren(byId('member-record-chart'), timeline);
    byId('member-record-chart').hidden = !timeline;
  }

  function showExisting() {
    const member = state.member;
    state.mode = 'edit';
    byId('member-dialog-title').textContent = t('member.titleExisting', { name: member.name });
    byId('member-number').value = member.number;
    byId('member-number').readOnly = true;
    byId('member-name').value = member.name;
    byId('member-phone').value = member.phone || '';
    fillUnits(member.unit ? member.unit.id : null);
    byId('member-active-field').hidden = false;
    byId('member-active-check').checked = member.active !== false;
    renderCategoryChoices(byId('member-categories'), member.categories);
    byId('member-extra').hidden = false;
    renderInvitations();
    renderHistory();
    renderCategoryHistory();
  }

  async function reload(number) {
    const [detail, record] = await Promise.all([api.getMember(number), api.memberRecord(number).catch((error) => ({ error: error }))]);
    state.detail = detail;
    state.member = detail.member;
    showExisting();
    renderRecord(record.error ? null : record, record.error);
  }

  function hideIssuedLink() {
    state.shownInvitation = null;
    byId('invite-output').hidden = true;
    byId('invite-link').value = '';
    byId('invite-qr').removeAttribute('src');
    setNotice(byId('invite-copy-status'), '');
  }

  function reset() {
    form.reset();
    formStatus('');
    inviteStatus('');
    hideIssuedLink();
    state.detail = null;
    state.member = null;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const number = byId('member-number').value.trim();
    const name = byId('member-name').value.trim();
    const unitId = selectedUnitId(byId('member-unit'), getIndex());
    const phone = byId('member-phone').value.trim();
    if (!number || !name) {
      formStatus(t('member.required'), 'error');
      return;
    }
    if (unitId === null) {
      formStatus(t('member.unitRequired'), 'error');
      return;
    }
    const save = byId('member-save');
    save.disabled = true;
    try {
      if (state.mode === 'new') {
        const body = { number: number, name: name, unitId: unitId };
        if (phone) body.phone = phone;
        const categories = chosenCategories(byId('member-categories'));
        if (categories.length) body.categories = categories;
        const member = await api.createMember(body);
        state.changed = true;
        await reload(member.number || number);
        // People share names; the same person added twice under two numbers would be counted twice.
        formStatus(member.sameName && member.sameName.length
          ? t('member.createdSameName', { name: name, numbers: member.sameName.join(t('punct.enumeration')) })
          : t('member.created', { name: name }), 'success');
      } else {
        const member = state.member;
        const changes = {};
        if (name !== member.name) changes.name = name;
        // An empty phone removes it (null would mean "leave as it is").
        if (phone !== (member.phone || '')) changes.phone = phone;
        const moved = !member.unit || String(unitId) !== String(member.unit.id);
        if (moved) changes.unitId = unitId;
        const active = byId('member-active-check').checked;
        if (active !== (member.active !== false)) changes.active = active;
        const categories = chosenCategories(byId('member-categories'));
        if (categories.join('\n') !== (member.categories || []).join('\n')) changes.categories = categories;
        if (!Object.keys(changes).length) {
          formStatus(t('member.nothingChanged'), null);
          return;
        }
        await api.updateMember(member.number, changes);
        state.changed = true;
        await reload(member.number);
        const unit = findUnit(getIndex(), unitId);
        formStatus(moved && unit ? t('member.moved', { path: unitPath(unit) }) : t('member.saved'), 'success');
      }
    } catch (error) {
      formStatus(t('member.saveFailed', { message: api.errorMessage(error) }), 'error');
    } finally {
      save.disabled = false;
    }
  });

  byId('invite-issue').addEventListener('click', async () => {
    if (!state.member) return;
    const button = byId('invite-issue');
    button.disabled = true;
    inviteStatus('');
    try {
      const invitation = await api.issueInvitation(state.member.number);
      state.changed = true;
      state.shownInvitation = invitation.id;
      byId('invite-link').value = invitation.link;
      const qr = api.qrUrl(invitation.link);
      byId('invite-qr').src = qr;
      const download = byId('invite-qr-download');
      download.href = qr;
      download.setAttribute('download', t('invite.qrFile', { name: state.member.name }) + '.svg');
      setNotice(byId('invite-copy-status'), '');
      byId('invite-output').hidden = false;
      inviteStatus(t('invite.issued'), 'success');
      await reload(state.member.number);
      byId('invite-link').focus();
      byId('invite-link').select();
    } catch (error) {
      inviteStatus(t('invite.issueFailed', { message: api.errorMessage(error) }), 'error');
    } finally {
      button.disabled = false;
    }
  });

  byId('invite-copy').addEventListener('click', async () => {
    const copied = await copyText(byId('invite-link'));
    const node = byId('invite-copy-status');
    node.setAttribute('data-copied', copied ? 'true' : 'false');
    setNotice(node, t(copied ? 'invite.copied' : 'invite.copyManually'), copied ? 'success' : null);
  });

  byId('invite-list').addEventListener('click', async (event) => {
    const button = event.target.closest('[data-revoke]');
    if (!button || !state.member) return;
    if (!window.confirm(t('invite.confirmRevoke', { name: state.member.name }))) return;
    const id = button.getAttribute('data-revoke');
    button.disabled = true;
    try {
      await api.revokeInvitation(id);
      state.changed = true;
      if (String(state.shownInvitation) === id) hideIssuedLink();
      await reload(state.member.number);
      inviteStatus(t('invite.revokedDone'), 'success');
    } catch (error) {
      button.disabled = false;
      inviteStatus(t('invite.revokeFailed', { message: api.errorMessage(error) }), 'error');
    }
  });

  byId('member-dialog-close').addEventListener('click', () => closeDialog(dialog));
  dialog.addEventListener('close', () => {
    if (state.changed) onChanged();
    state.changed = false;
  });

  return {
    openNew(unitId) {
      reset();
      state.mode = 'new';
      byId('member-dialog-title').textContent = t('member.titleNew');
      byId('member-number').readOnly = false;
      fillUnits(unitId);
      byId('member-active-field').hidden = true;
      renderCategoryChoices(byId('member-categories'), []);
      byId('member-extra').hidden = true;
      openDialog(dialog);
      byId('member-number').focus();
    },

    async openExisting(number, focusInvite) {
      reset();
      state.mode = 'edit';
      try {
        await reload(number);
      } catch (error) {
        return error;
      }
      openDialog(dialog);
      (focusInvite ? byId('invite-issue') : byId('member-name')).focus();
      return null;
    },

    // Re-renders the script-made text after a language switch.
    refresh() {
      if (!dialog.open) return;
      if (state.mode === 'edit' && state.member) {
        showExisting();
      } else {
        byId('member-dialog-title').textContent = t('member.titleNew');
      }
    },
  };
}
