// Renders the bank list; banks.js decides what a click does.
import { el, replaceChildren } from './dom.js';
import { TYPE_ORDER, typeLabel, formatTime } from './format.js';

function typeCounts(counts) {
  return el('span', { class: 'type-counts' }, TYPE_ORDER.map((type) =>
    el('span', { 'data-type': type }, typeLabel(type) + ' ', el('b', null, (counts && counts[type]) || 0))));
}

function bankEntry(bank, selectedName) {
  const latest = bank.latest || {};
  const versions = bank.versionCount > 1 ? '（共 ' + bank.versionCount + ' 版）' : '';
  return el('li', null,
    el('button', {
      type: 'button',
      class: 'bank-item',
      'data-bank': bank.name,
      'aria-pressed': bank.name === selectedName ? 'true' : 'false',
    },
      el('span', { class: 'bank-name' }, bank.name),
      el('span', { class: 'bank-facts' },
        '第 ' + latest.version + ' 版' + versions + ' · ' + latest.questionCount + ' 题 · ',
        el('span', { class: 'bank-time' }, '导入于 ' + formatTime(latest.importedAt))),
      typeCounts(bank.countsByType)));
}

export function renderBankList(listNode, banks, selectedName) {
  if (!banks.length) {
    replaceChildren(listNode, el('li', { class: 'empty' }, '还没有题库，请先上传题库文件。'));
    return;
  }
  replaceChildren(listNode, banks.map((bank) => bankEntry(bank, selectedName)));
}

export function markSelected(listNode, selectedName) {
  Array.prototype.forEach.call(listNode.querySelectorAll('[data-bank]'), (button) => {
    button.setAttribute('aria-pressed', button.getAttribute('data-bank') === selectedName ? 'true' : 'false');
  });
}
