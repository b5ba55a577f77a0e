// The console's needs surveys (需求调研): build one (from scratch or the training-needs template) for a unit,
// list them, close one, and read its results live — reach per unit, a chart per question, the free text.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startConsole, showPageError, clearPageError } from './shell.js';
import { barChart } from './charts.js';
import { loadCategories, currentCategories, renderCategoryChoices, chosenCategories } from './member-categories.js';

const KINDS = ['single', 'multiple', 'rating', 'ranking', 'text'];
const state = { account: null, surveys: [], units: [], template: null, questions: [], openId: null, results: null };

function percent(rate) {
  return (rate * 100).toFixed(1) + '%';
}

// ---- the builder ------------------------------------------------------------------------------------

function lines(text) {
  return text.split('\n').map((line) => line.trim()).filter((line) => line);
}

function blankQuestion(kind) {
  return { kind: kind || 'single', prompt: '', options: [], topics: [], scale: 5, picks: 3, maxLength: 500, required: true };
}

// The question editor keeps its own plain objects; the wire form is made from them on submit.
function questionEditor(question, index) {
  const kind = el('select', { 'data-field': 'kind', 'aria-label': t('surveys.kind') },
    KINDS.map((name) => el('option', { value: name, selected: question.kind === name }, t('surveys.kind.' + name))));
  kind.addEventListener('change', () => { question.kind = kind.value; renderBuilder(); });
  const prompt = el('input', { type: 'text', value: question.prompt, maxlength: 500, 'data-field': 'prompt', 'aria-label': t('surveys.prompt'), placeholder: t('surveys.prompt') });
  prompt.addEventListener('input', () => { question.prompt = prompt.value; });
  const fields = [];
  if (question.kind === 'single' || question.kind === 'multiple' || question.kind === 'ranking') {
    const key = question.kind === 'ranking' ? 'topics' : 'options';
    const list = el('textarea', { rows: 4, 'data-field': key, 'aria-label': t('surveys.' + key), placeholder: t('surveys.' + key) });
    list.value = (question[key] || []).join('\n');
    list.addEventListener('input', () => { question[key] = lines(list.value); });
    fields.push(list);
  }
  if (question.kind === 'ranking') {
    const picks = el('input', { type: 'number', min: 1, max: 20, value: question.picks, 'data-field': 'picks', 'aria-label': t('surveys.picks') });
    picks.addEventListener('input', () => { question.picks = Number(picks.value); });
    fields.push(el('label', { class: 'inline' }, t('surveys.picks'), picks));
  }
  if (question.kind === 'rating') {
    const scale = el('input', { type: 'number', min: 2, max: 10, value: question.scale, 'data-field': 'scale', 'aria-label': t('surveys.scale') });
    scale.addEventListener('input', () => { question.scale = Number(scale.value); });
    fields.push(el('label', { class: 'inline' }, t('surveys.scale'), scale));
  }
  const required = el('input', { type: 'checkbox', checked: question.required !== false, 'data-field': 'required' });
  required.addEventListener('change', () => { question.required = required.checked; });
  const remove = el('button', { type: 'button', class: 'btn btn-small' }, t('surveys.remove'));
  remove.addEventListener('click', () => { state.questions.splice(index, 1); renderBuilder(); });
  return el('li', { class: 'builder-question', 'data-index': index },
    el('div', { class: 'builder-row' }, kind, prompt), fields,
    el('div', { class: 'builder-row' }, el('label', { class: 'inline' }, required, t('surveys.required')), remove));
}

function renderBuilder() {
  replaceChildren(byId('builder-questions'), state.questions.map(questionEditor));
}

function wireQuestion(question) {
  const wire = { kind: question.kind, prompt: question.prompt.trim(), required: question.required !== false };
  if (question.kind === 'single') wire.options = question.options;
  if (question.kind === 'multiple') wire.options = question.options;
  if (question.kind === 'rating') wire.scale = question.scale;
  if (question.kind === 'ranking') { wire.topics = question.topics; wire.picks = question.picks; }
  if (question.kind === 'text') wire.maxLength = question.maxLength || 500;
  return wire;
}

function useTemplate() {
  const template = state.template;
  if (!template) return;
  byId('builder-title').value = template.title;
  byId('builder-intro').value = template.introduction || '';
  byId('builder-anonymous').checked = !!template.anonymous;
  state.questions = template.questions.map((question) => Object.assign(blankQuestion(question.kind), question));
  renderBuilder();
}

async function createSurvey(event) {
  event.preventDefault();
  const status = byId('builder-status');
  const owner = byId('builder-owner').value;
  const settings = {
    title: byId('builder-title').value,
    introduction: byId('builder-intro').value,
    anonymous: byId('builder-anonymous').checked,
    questions: state.questions.map(wireQuestion),
  };
  const targeted = chosenCategories(byId('builder-member-categories'));
  if (targeted.length) {
    settings.memberCategoryIds = currentCategories().filter((c) => targeted.indexOf(c.name) >= 0).map((c) => c.id);
  }
  const button = byId('create-survey');
  button.disabled = true;
  try {
    const survey = await api.createSurvey(owner ? Number(owner) : null, settings);
    setNotice(status, t('surveys.created', { title: survey.settings.title }), 'success');
    await loadSurveys();
    await openResults(survey.id);
  } catch (error) {
    // The server lists every field out of bounds, located ("第2题：…").
    setNotice(status, error.message, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- the list and the results -----------------------------------------------------------------------

function unitName(id) {
  if (id === null || id === undefined) return t('surveys.wholeOrganization');
  const unit = state.units.find((u) => u.id === id);
  return unit ? unit.path : String(id);
}

// "发往单位 · 面向：离退休党员" for a survey sent to member categories.
function audience(survey) {
  const ids = survey.settings.memberCategoryIds || [];
  if (!ids.length) return unitName(survey.ownerUnitId);
  const names = ids.map((id) => (currentCategories().find((c) => c.id === id) || { name: '#' + id }).name);
  return unitName(survey.ownerUnitId) + ' · ' + t('surveys.forCategories', { names: names.join(t('punct.enumeration')) });
}

function renderList() {
  replaceChildren(byId('survey-rows'), state.surveys.map((survey) => {
    const open = el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'results' }, t('surveys.results'));
    open.addEventListener('click', () => openResults(survey.id));
    const close = survey.closedAt ? null : el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'close' }, t('surveys.close'));
    if (close) close.addEventListener('click', () => closeSurvey(survey));
    return el('tr', { 'data-survey': survey.id },
      el('td', null, survey.settings.title, survey.settings.anonymous ? el('span', { class: 'hint' }, ' · ' + t('surveys.anonymousShort')) : null),
      el('td', { 'data-testid': 'survey-audience' }, audience(survey)),
      el('td', { 'data-testid': 'response-count' }, String(survey.responseCount)),
      el('td', null, t(survey.closedAt ? 'surveys.closed' : 'surveys.open')),
      el('td', { class: 'row-actions' }, open, close));
  }));
  byId('no-surveys').hidden = state.surveys.length > 0;
}

function questionFigure(question, index) {
  const title = (index + 1) + '. ' + question.prompt;
  const total = Math.max(question.answered, 1);
  if (question.kind === 'text') {
    return el('section', { class: 'question-result', 'data-kind': 'text' }, el('h3', null, title),
      el('p', { class: 'hint' }, t('surveys.textCount', { count: question.textCount })),
      el('ul', { class: 'text-answers' }, (question.texts || []).map((text) => el('li', null, text))));
  }
  let rows;
  if (question.kind === 'ranking') {
    rows = question.order.map((topic) => ({ label: question.labels[topic], value: question.points[topic] }));
  } else {
    rows = question.labels.map((label, position) => ({
      label: question.kind === 'rating' ? t('surveys.points', { value: label }) : label, value: question.counts[position],
    }));
  }
  const note = question.kind === 'rating' && question.mean !== null && question.mean !== undefined
    ? t('surveys.mean', { mean: question.mean.toFixed(2), count: question.answered })
    : question.kind === 'ranking' ? t('surveys.pointsNote', { count: question.answered })
      : t('surveys.answered', { count: question.answered });
  return el('section', { class: 'question-result', 'data-kind': question.kind }, el('h3', null, title), el('p', { class: 'hint' }, note),
    barChart(title, rows, {
      labelWidth: 220,
      format: question.kind === 'ranking' ? (value) => String(value) : (value) => value + '（' + percent(value / total) + '）',
    }));
}

function renderResults() {
  const results = state.results;
  const panel = byId('results');
  panel.hidden = !results;
  if (!results) return;
  const survey = results.survey;
  byId('results-title').textContent = survey.settings.title;
  byId('results-summary').textContent = t('surveys.summary', {
    respondents: results.respondents, roster: results.roster, rate: percent(results.rate),
  });
  byId('export-xlsx').setAttribute('href', '/api/surveys/' + survey.id + '/export?format=xlsx');
  byId('export-csv').setAttribute('href', '/api/surveys/' + survey.id + '/export?format=csv&sheet=' + encodeURIComponent('答卷'));
  replaceChildren(byId('reach-rows'), results.units.map((row) =>
    el('tr', { 'data-unit': row.unitId },
      el('td', { class: 'depth-' + Math.min(row.depth, 4) }, row.name),
      el('td', null, String(row.roster)), el('td', null, String(row.responded)), el('td', null, percent(row.rate)))));
  replaceChildren(byId('question-results'), results.questions.map(questionFigure));
}

async function openResults(id) {
  state.openId = id;
  try {
    state.results = await api.surveyResults(id);
    clearPageError();
  } catch (error) {
    showPageError(error, 'surveys.resultsFailed');
  }
  renderResults();
}

async function closeSurvey(survey) {
  if (!window.confirm(t('surveys.confirmClose', { title: survey.settings.title }))) return;
  try {
    await api.closeSurvey(survey.id);
    await loadSurveys();
  } catch (error) {
    showPageError(error);
  }
}

async function loadSurveys() {
  state.surveys = await api.surveys();
  renderList();
}

function renderOwners() {
  const select = byId('builder-owner');
  const options = state.units.map((unit) => el('option', { value: unit.id }, unit.path));
  if (state.account.role === 'admin') options.unshift(el('option', { value: '' }, t('surveys.wholeOrganization')));
  replaceChildren(select, options);
}

async function main() {
  state.account = await startConsole('surveys');
  byId('survey-builder').addEventListener('submit', createSurvey);
  byId('add-question').addEventListener('click', () => { state.questions.push(blankQuestion()); renderBuilder(); });
  byId('use-template').addEventListener('click', useTemplate);
  onLanguageChange(() => { renderList(); renderResults(); renderOwners(); });
  try {
    const [units, templates] = await Promise.all([api.listUnits(), api.surveyTemplates()]);
    state.units = units;
    state.template = (templates.find((entry) => entry.name === 'training-needs') || {}).settings || null;
    renderOwners();
    await loadCategories();
    renderCategoryChoices(byId('builder-member-categories'), []);
    await loadSurveys();
  } catch (error) {
    showPageError(error);
  }
  // Live: the open results follow new responses.
  window.setInterval(() => {
    if (state.openId !== null && !document.hidden) openResults(state.openId);
  }, 10000);
}

main();
