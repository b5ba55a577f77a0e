// Renders the bank list; banks.js decides what a click does.
import { el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { TYPE_ORDER, typeLabel, formatTime, unitPath } from './format.js';

function typeCounts(counts) {
  return el('span', { class: 'type-counts' }, TYPE_ORDER.map((type) =>
    el('span', { 'data-type': type }, typeLabel(type) + ' ', el('b', null, (counts && counts[type]) || 0))));
}

function ownership(bank) {
  return el('span', { class: 'bank-owner' },
    el('span', { class: 'bank-owner-unit', 'data-owner': bank.owner ? String(bank.owner.id) : '' },
      t('banks.ownerShort', { unit: unitPath(bank.owner) })),
    bank.shared ? el('span', { class: 'badge badge-gold', 'data-shared': 'true' }, t('banks.sharedBadge')) : null,
    bank.canEdit === false ? el('span', { class: 'badge badge-muted', 'data-readonly': 'true' }, t('banks.readOnly')) : null);
}

function bankEntry(bank, selectedName) {
  const latest = bank.latest || {};
  const versions = bank.versionCount > 1 ? t('banks.versionCount', { count: bank.versionCount }) : '';
  return el('li', null,
    el('button', {
      type: 'button',
      class: 'bank-item',
      'data-bank': bank.name,
      'aria-pressed': bank.name === selectedName ? 'true' : 'false',
    },
      el('span', { class: 'bank-name' }, bank.name),
      el('span', { class: 'bank-facts' },
        t('banks.facts', { version: latest.version, versions: versions, count: latest.questionCount }) + ' · ',
        el('span', { class: 'bank-time' }, t('banks.importedAt', { time: formatTime(latest.importedAt) }))),
      ownership(bank),
      typeCounts(bank.countsByType)));
}

export function renderBankList(listNode, banks, selectedName) {
  if (!banks.length) {
    replaceChildren(listNode, el('li', { class: 'empty' }, t('banks.none')));
    return;
  }
  replaceChildren(listNode, banks.map((bank) => bankEntry(bank, selectedName)));
}

export function markSelected(listNode, selectedName) {
  Array.prototype.forEach.call(listNode.querySelectorAll('[data-bank]'), (button) => {
    button.setAttribute('aria-pressed', button.getAttribute('data-bank') === selectedName ? 'true' : 'false');
  });
}
