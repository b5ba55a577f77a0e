// Invitation links in bulk, for organizers who hand them out on paper (送学上门): links for every member of a
// unit (or the chosen members) who has none, shown once as a printable A4 sheet of cards — name, branch, QR code —
// and as a CSV download; and revoking them all at once. The links exist only in the answer that made them (the
// server keeps their hashes), so the sheet is printed or saved now or never.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { t } from './i18n.js';
import { unitPath } from './format.js';

// A cell Excel or WPS would run as a formula is kept as text (as the server's own exports do).
function csvField(text) {
  let value = String(text === null || text === undefined ? '' : text);
  if (/^[=+\-@\t\r]/.test(value)) value = "'" + value;
  return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
}

function csv(cards) {
  const rows = [[t('sheet.colUnit'), t('member.name'), t('member.number'), t('sheet.colLink')]]
    .concat(cards.map((card) => [card.unit.split('/').join(' / '), card.name, card.number, card.link]));
  // A BOM and CRLF: what Excel opens without garbling Chinese.
  return '\ufeff' + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function card(invitation) {
  return el('article', { class: 'invite-card', 'data-number': invitation.number },
    el('p', { class: 'invite-card-name' }, invitation.name),
    el('p', { class: 'invite-card-unit' }, invitation.unit.split('/').join(' / ')),
    el('img', { class: 'invite-card-qr', alt: t('sheet.qrAlt', { name: invitation.name }),
      src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(invitation.qr) }),
    el('p', { class: 'invite-card-hint' }, t('sheet.hint')),
    el('p', { class: 'invite-card-link mono' }, invitation.link));
}

// getTarget() → { unit, subunits, numbers (null: the whole unit) }; onChanged() refreshes the member list.
export function initInviteSheet(getTarget, onChanged) {
  const status = byId('bulk-status');
  const sheet = byId('invite-sheet');
  let shown = [];

  function close() {
    shown = [];
    sheet.hidden = true;
    document.body.classList.remove('sheet-open');
    replaceChildren(byId('sheet-cards'));
  }

  function scopeText(target) {
    return target.numbers ? t('sheet.chosen', { count: target.numbers.length })
      : t(target.subunits ? 'sheet.unitWithSub' : 'sheet.unitOnly', { unit: unitPath(target.unit) });
  }

  byId('bulk-invite').addEventListener('click', async () => {
    const target = getTarget();
    if (!target.unit) return;
    if (!window.confirm(t('sheet.confirmCreate', { scope: scopeText(target) }))) return;
    setNotice(status, t('sheet.creating'));
    try {
      const result = await api.bulkInvite(target.unit.id, target.subunits, target.numbers);
      // Nothing new: the sheet on show (and its CSV) keeps the links it holds — they are shown only once.
      if (!result.invitations.length) {
        setNotice(status, t('sheet.noneNew', { already: result.alreadyInvited }), 'success');
        return;
      }
      shown = result.invitations;
      byId('sheet-title').textContent = t('sheet.title', { scope: scopeText(target) });
      byId('sheet-summary').textContent = t('sheet.summary', { count: shown.length, already: result.alreadyInvited });
      replaceChildren(byId('sheet-cards'), shown.map(card));
      sheet.hidden = false;
      document.body.classList.add('sheet-open');
      setNotice(status, t('sheet.created', { count: shown.length, already: result.alreadyInvited }), 'success');
      sheet.scrollIntoView({ block: 'start' });
      onChanged();
    } catch (error) {
      setNotice(status, t('sheet.failed', { message: error.message }), 'error');
    }
  });

  byId('bulk-revoke').addEventListener('click', async () => {
    const target = getTarget();
    if (!target.unit) return;
    if (!window.confirm(t('sheet.confirmRevoke', { scope: scopeText(target) }))) return;
    try {
      const result = await api.bulkRevoke(target.unit.id, target.subunits, target.numbers);
      setNotice(status, t('sheet.revoked', { count: result.revoked }), 'success');
      onChanged();
    } catch (error) {
      setNotice(status, t('sheet.revokeFailed', { message: error.message }), 'error');
    }
  });

  byId('sheet-print').addEventListener('click', () => window.print());
  byId('sheet-download').addEventListener('click', () => {
    const blob = new Blob([csv(shown)], { type: 'text/csv;charset=utf-8' });
    const link = el('a', { href: URL.createObjectURL(blob), download: t('sheet.file') + '.csv' });
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  byId('sheet-close').addEventListener('click', () => {
    if (window.confirm(t('sheet.confirmClose'))) close();
  });
}
