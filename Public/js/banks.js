// The question-bank page: keeps track of the selected bank, version, filters and page, and wires the
// list, browser, upload and delete together.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { renderBankList, markSelected } from './bank-list.js';
import { renderQuestions, pageCount, pageInfoText } from './questions.js';
import { createFilters } from './filters.js';
import { initUpload } from './upload.js';
import { formatTime } from './format.js';

const PER_PAGE = 20;
const EXPORT_FORMATS = ['xlsx', 'csv', 'json', 'gift', 'text'];

const state = {
  banks: [],
  selected: null,     // bank name
  detail: null,       // { bank, versions } from GET /api/banks/{name}
  version: '',        // '' means the latest
  page: 1,
  lastResult: null,   // the last question page shown, for the pager
};

// Each question request gets a ticket; answers to superseded requests (fast typing, quick clicks) are dropped.
let ticket = 0;

const filters = createFilters(() => {
  state.page = 1;
  loadQuestions();
});

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
    setNotice(byId('bank-status'), '题库列表加载失败：' + error.message, 'error');
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
  setNotice(empty, errorMessage || '请选择一个题库浏览题目。', errorMessage ? 'error' : null);
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
    showNoBank('题库「' + name + '」加载失败：' + error.message);
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
  byId('bank-meta').textContent = '最新第 ' + latest.version + ' 版 · ' + latest.questionCount + ' 题 · 来源 ' +
    (latest.sourceName || latest.sourceFormat || '未知') + ' · 导入于 ' + formatTime(latest.importedAt);
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
      '第 ' + version.version + ' 版' + (isLatest ? '（最新）' : '') + ' · ' + version.questionCount + ' 题 · ' +
      formatTime(version.importedAt));
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
    setNotice(status, '题目加载失败：' + error.message, 'error');
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
  if (!window.confirm('确定删除题库「' + name + '」及其全部 ' + count + ' 个版本吗？此操作无法撤销。')) return;
  const button = byId('delete-bank');
  button.disabled = true;
  try {
    await api.deleteBank(name);
    state.selected = null;
    setNotice(byId('bank-status'), '已删除题库「' + name + '」。', 'success');
    await loadBanks(null);
  } catch (error) {
    setNotice(byId('browser-status'), '删除失败：' + error.message, 'error');
  } finally {
    button.disabled = false;
  }
}

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

initUpload((result) => {
  setNotice(byId('bank-status'), '');
  state.selected = null; // reselect so the new version and counts are shown
  loadBanks(result.bank);
});

loadBanks(readSelectionFromUrl());
