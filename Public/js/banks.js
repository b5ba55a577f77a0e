// The question-bank page: keeps track of the selected bank, version, filters and page, and wires the
// list, browser, upload, sharing and delete together.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, clearPageError } from './shell.js';
import { indexUnits, fillUnitSelect, selectedUnitId } from './units.js';
import { renderBankList, markSelected } from './bank-list.js';
import { renderQuestions, pageCount, pageInfoText } from './questions.js';
import { createFilters } from './filters.js';
import { initUpload } from './upload.js';
import { formatTime, unitPath } from './format.js';

const PER_PAGE = 20;
const EXPORT_FORMATS = ['xlsx', 'csv', 'json', 'gift', 'text'];

const state = {
  account: null,
  units: indexUnits([]),
  banks: [],
  selected: null,     // bank name
  detail: null,       // { bank, versions } from GET /api/banks/{name}
  version: '',        // '' means the latest
  page: 1,
  lastResult: null,   // the last question page shown, for the pager
};

// Each question request gets a ticket; answers to superseded requests (fast typing, quick clicks) are dropped.
let ticket = 0;

let filters = null;

function readSelectionFromUrl() {
  const match = /[?&]bank=([^&]*)/.exec(location.search);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch (error) {
    return null;
  }
}

// Keeps the selected bank in the address so a reload or a shared link opens the same bank.
function writeSelectionToUrl(name) {
  if (!history.replaceState) return;
  const search = name ? '?bank=' + encodeURIComponent(name) : '';
  history.replaceState(null, '', location.pathname + search + location.hash);
}

async function loadBanks(preferred) {
  const list = byId('bank-list');
  list.setAttribute('aria-busy', 'true');
  try {
    state.banks = await api.listBanks();
  } catch (error) {
    setNotice(byId('bank-status'), t('banks.listFailed', { message: error.message }), 'error');
    return;
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
  const names = state.banks.map((bank) => bank.name);
  const wanted = [preferred, state.selected].filter((name) => name && names.indexOf(name) >= 0)[0] ||
    names[0] || null;
  renderBankList(list, state.banks, wanted);
  if (wanted) await selectBank(wanted, false);
  else showNoBank();
}

// Hides the browser, explaining why: nothing is selected, or the selected bank could not be loaded.
function showNoBank(errorMessage) {
  const empty = byId('browser-empty');
  state.detail = null;
  byId('browser-body').hidden = true;
  empty.hidden = false;
  setNotice(empty, errorMessage || t('banks.chooseBank'), errorMessage ? 'error' : null);
  if (!errorMessage) {
    state.selected = null;
    writeSelectionToUrl(null);
  }
}

async function selectBank(name, userChose) {
  const status = byId('browser-status');
  state.selected = name;
  state.version = '';
  state.page = 1;
  markSelected(byId('bank-list'), name);
  writeSelectionToUrl(name);
  filters.reset();
  setNotice(status, '');
  let detail;
  try {
    detail = await api.getBank(name);
  } catch (error) {
    if (state.selected !== name) return;
    showNoBank(t('banks.bankFailed', { name: name, message: error.message }));
    return;
  }
  if (state.selected !== name) return; // another bank was chosen meanwhile
  state.detail = detail;
  byId('browser-empty').hidden = true;
  byId('browser-body').hidden = false;
  showBankHeader();
  // On phones the browser is below the list; bring it into view after a tap.
  if (userChose && window.matchMedia && window.matchMedia('(max-width: 899px)').matches) {
    byId('browser').scrollIntoView();
  }
  await loadQuestions();
}

function showBankHeader() {
  const bank = state.detail.bank;
  const latest = bank.latest || {};
  byId('browser-title').textContent = bank.name;
  byId('bank-meta').textContent = t('banks.meta', {
    version: latest.version, count: latest.questionCount,
    source: latest.sourceName || latest.sourceFormat || t('banks.unknownSource'), time: formatTime(latest.importedAt),
  });
  showOwnership();
  showVersions();
  updateExportLinks();
  filters.setCategories(bank.countsByCategory, state.version === '');
}

function showVersions() {
  const versions = state.detail.versions || [];
  const latest = state.detail.bank.latest || {};
  byId('version-field').hidden = versions.length < 2;
  replaceChildren(byId('version-select'), versions.map((version) => {
    const isLatest = version.version === latest.version;
    return el('option', { value: isLatest ? '' : version.version },
      t(isLatest ? 'banks.versionLatest' : 'banks.versionOption', {
        version: version.version, count: version.questionCount, time: formatTime(version.importedAt),
      }));
  }));
  byId('version-select').value = state.version;
}

function updateExportLinks() {
  EXPORT_FORMATS.forEach((format) => {
    const link = document.querySelector('#export-links [data-export="' + format + '"]');
    link.href = api.exportUrl(state.selected, format, state.version);
  });
}

async function loadQuestions() {
  if (!state.selected) return;
  const mine = ++ticket;
  const list = byId('question-list');
  const status = byId('browser-status');
  list.setAttribute('aria-busy', 'true');
  const query = Object.assign(filters.values(), { version: state.version, page: state.page, perPage: PER_PAGE });
  let result;
  try {
    result = await api.getQuestions(state.selected, query);
  } catch (error) {
    if (mine !== ticket) return;
    list.setAttribute('aria-busy', 'false');
    setNotice(status, t('banks.questionsFailed', { message: error.message }), 'error');
    return;
  }
  if (mine !== ticket) return;
  list.setAttribute('aria-busy', 'false');
  setNotice(status, '');
  state.lastResult = result;
  renderQuestions(list, result.questions);
  byId('page-info').textContent = pageInfoText(result);
  byId('page-prev').disabled = result.page <= 1;
  byId('page-next').disabled = result.page >= pageCount(result);
}

function goToPage(page) {
  state.page = page;
  loadQuestions().then(() => {
    const list = byId('question-list');
    if (list.getBoundingClientRect().top < 0) list.scrollIntoView();
  });
}

async function deleteSelected() {
  const name = state.selected;
  if (!name || !state.detail) return;
  const count = state.detail.bank.versionCount;
  if (!window.confirm(t('banks.confirmDelete', { name: name, count: count }))) return;
  const button = byId('delete-bank');
  button.disabled = true;
  try {
    await api.deleteBank(name);
    state.selected = null;
    setNotice(byId('bank-status'), t('banks.deleted', { name: name }), 'success');
    await loadBanks(null);
  } catch (error) {
    setNotice(byId('browser-status'), t('banks.deleteFailed', { message: error.message }), 'error');
  } finally {
    button.disabled = false;
  }
}

// The selected bank's owner unit, and its 共享 switch for those who may change it.
function summaryOf(name) {
  return state.banks.filter((bank) => bank.name === name)[0] || {};
}

function showOwnership() {
  const bank = Object.assign({}, summaryOf(state.selected), state.detail.bank);
  byId('bank-owner').textContent = t('banks.ownerLine', { unit: unitPath(bank.owner) }) +
    (bank.canEdit === false ? t('banks.readOnlyNote') : '');
  const field = byId('bank-shared-field');
  field.hidden = bank.canEdit === false;
  byId('bank-shared').checked = bank.shared === true;
  byId('delete-bank').hidden = bank.canEdit === false;
}

async function toggleShared() {
  const name = state.selected;
  const box = byId('bank-shared');
  const shared = box.checked;
  box.disabled = true;
  try {
    await api.updateBank(name, { shared: shared });
    setNotice(byId('browser-status'), t(shared ? 'banks.sharedOn' : 'banks.sharedOff', { name: name }), 'success');
    state.banks = await api.listBanks();
    renderBankList(byId('bank-list'), state.banks, state.selected);
    if (state.detail) state.detail.bank.shared = shared;
  } catch (error) {
    box.checked = !shared;
    setNotice(byId('browser-status'), t('banks.shareFailed', { message: api.errorMessage(error) }), 'error');
  } finally {
    box.disabled = false;
  }
}

// The owner picker of the upload form: an organizer's own unit by default; the whole organization
// (no owner) only for administrators.
function fillOwnerPicker() {
  const admin = state.account.role === 'admin';
  const select = byId('upload-unit');
  const current = select.value;
  fillUnitSelect(select, state.units, {
    none: admin ? t('unit.wholeOrg') : null,
    selected: current || (!admin && state.account.unit ? state.account.unit.id : ''),
  });
}

async function loadUnits() {
  try {
    state.units = indexUnits(await api.listUnits());
  } catch (error) {
    state.units = indexUnits([]);
  }
  fillOwnerPicker();
}

function wire() {
  filters = createFilters(() => {
    state.page = 1;
    loadQuestions();
  });
  byId('bank-list').addEventListener('click', (event) => {
    const button = event.target.closest('[data-bank]');
    if (!button) return;
    setNotice(byId('bank-status'), '');
    selectBank(button.getAttribute('data-bank'), true);
  });

  byId('version-select').addEventListener('change', (event) => {
    state.version = event.target.value;
    state.page = 1;
    updateExportLinks();
    filters.setCategories(state.detail.bank.countsByCategory, state.version === '');
    loadQuestions();
  });

  byId('page-prev').addEventListener('click', () => {
    if (state.page > 1) goToPage(state.page - 1);
  });
  byId('page-next').addEventListener('click', () => {
    if (state.lastResult && state.page < pageCount(state.lastResult)) goToPage(state.page + 1);
  });
  byId('delete-bank').addEventListener('click', deleteSelected);
  byId('bank-shared').addEventListener('change', toggleShared);

  initUpload((result) => {
    setNotice(byId('bank-status'), '');
    state.selected = null; // reselect so the new version and counts are shown
    loadBanks(result.bank);
  }, () => {
    const id = selectedUnitId(byId('upload-unit'), state.units);
    return id === null ? '' : id;
  });
}

function rerender() {
  renderBankList(byId('bank-list'), state.banks, state.selected);
  fillOwnerPicker();
  if (state.detail) {
    showBankHeader();
    if (state.lastResult) {
      renderQuestions(byId('question-list'), state.lastResult.questions);
      byId('page-info').textContent = pageInfoText(state.lastResult);
    }
  } else {
    showNoBank();
  }
}

async function main() {
  state.account = await startConsole('banks');
  clearPageError();
  wire();
  onLanguageChange(rerender);
  await loadUnits();
  await loadBanks(readSelectionFromUrl());
}

main();
