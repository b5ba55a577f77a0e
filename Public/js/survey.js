// A member answering a needs survey (需求调研) on the phone: survey.html#survey=ID. One question after another
// on one page, big touch targets; the server checks every answer and stores the response once.
import * as api from './api.js';
import { byId, el, replaceChildren, setNotice } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startMemberPage, showView } from './member-page.js';

const state = { id: null, survey: null, ranking: {}, error: null };

function surveyId() {
  const match = /survey=(\d+)/.exec(location.hash);
  return match ? match[1] : null;
}

// A ranking is built by tapping topics in order; tapping a ranked topic takes it (and those after it) back.
function rankingControl(index, topics, picks) {
  const order = state.ranking[index] || (state.ranking[index] = []);
  const list = el('div', { class: 'rank-topics', 'data-question': index });
  function draw() {
    replaceChildren(list, topics.map((topic, position) => {
      const rank = order.indexOf(position);
      const button = el('button', {
        type: 'button', class: 'rank-topic' + (rank >= 0 ? ' is-ranked' : ''), 'data-topic': position,
        'aria-pressed': rank >= 0 ? 'true' : 'false',
      }, rank >= 0 ? el('b', { class: 'rank-number' }, String(rank + 1)) : null, topic);
      button.addEventListener('click', () => {
        if (rank >= 0) order.splice(rank);
        else if (order.length < picks) order.push(position);
        draw();
      });
      return button;
    }), el('p', { class: 'hint' }, t('survey.rankHint', { picks: picks, count: order.length })));
  }
  draw();
  return list;
}

function questionItem(question, index) {
  const name = 'q' + index;
  // The number matches the server's 第N题 in its refusals.
  const legend = el('legend', null, el('span', { class: 'q-number' }, (index + 1) + '. '), question.prompt,
    question.required === false ? el('span', { class: 'hint' }, t('survey.optional')) : null);
  let body;
  if (question.kind === 'single' || question.kind === 'multiple') {
    const type = question.kind === 'single' ? 'radio' : 'checkbox';
    body = el('div', { class: 'choices' }, question.options.map((option, position) =>
      el('label', { class: 'choice' }, el('input', { type: type, name: name, value: position }), el('span', null, option))));
    if (question.kind === 'multiple' && question.maxPicks) body.appendChild(el('p', { class: 'hint' }, t('survey.maxPicks', { count: question.maxPicks })));
  } else if (question.kind === 'rating') {
    const scale = question.scale || 5;
    const values = [];
    for (let value = 1; value <= scale; value += 1) values.push(value);
    body = el('div', { class: 'rating' }, values.map((value) =>
      el('label', { class: 'rating-value' }, el('input', { type: 'radio', name: name, value: value }), el('span', null, String(value)))),
    el('p', { class: 'hint' }, t('survey.ratingHint', { scale: scale })));
  } else if (question.kind === 'ranking') {
    body = rankingControl(index, question.topics, question.picks || question.topics.length);
  } else {
    body = el('textarea', { name: name, rows: 4, maxlength: question.maxLength || 500, class: 'survey-text', 'aria-label': question.prompt });
  }
  const missing = el('p', { class: 'q-missing', id: name + '-missing', hidden: true }, t('survey.requiredMark'));
  return el('li', { class: 'survey-question', 'data-kind': question.kind, 'data-index': index },
    el('fieldset', null, legend, body, missing));
}

function answers() {
  const form = byId('survey-questions');
  return state.survey.settings.questions.map((question, index) => {
    const name = 'q' + index;
    if (question.kind === 'single' || question.kind === 'rating') {
      const picked = form.querySelector('input[name="' + name + '"]:checked');
      if (!picked) return null;
      return question.kind === 'single' ? { choice: Number(picked.value) } : { rating: Number(picked.value) };
    }
    if (question.kind === 'multiple') {
      const picked = Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), (input) => Number(input.value));
      return picked.length ? { choices: picked } : null;
    }
    if (question.kind === 'ranking') {
      const order = state.ranking[index] || [];
      return order.length ? { ranking: order.slice() } : null;
    }
    const text = form.querySelector('textarea[name="' + name + '"]').value.trim();
    return text ? { text: text } : null;
  });
}

// Required questions left blank are found here, not by a 422 shown at the foot of a long form while the
// question it names is screens away: each is marked, and the first is scrolled to and focused.
function markMissing(given) {
  const questions = state.survey.settings.questions;
  const missing = [];
  questions.forEach((question, index) => {
    const item = byId('survey-questions').querySelector('.survey-question[data-index="' + index + '"]');
    const blank = question.required !== false && given[index] === null;
    item.classList.toggle('is-missing', blank);
    byId('q' + index + '-missing').hidden = !blank;
    const fieldset = item.querySelector('fieldset');
    if (blank) fieldset.setAttribute('aria-describedby', 'q' + index + '-missing');
    else fieldset.removeAttribute('aria-describedby');
    if (blank) missing.push(index);
  });
  return missing;
}

// Once answered, a marked question loses its mark at once.
function clearAnswered() {
  if (!byId('survey-questions').querySelector('.is-missing')) return;
  const given = answers();
  Array.prototype.forEach.call(byId('survey-questions').querySelectorAll('.is-missing'), (item) => {
    const index = Number(item.getAttribute('data-index'));
    if (given[index] === null) return;
    item.classList.remove('is-missing');
    byId('q' + index + '-missing').hidden = true;
    item.querySelector('fieldset').removeAttribute('aria-describedby');
  });
}

function showMissing(missing) {
  const first = missing[0];
  const prompt = state.survey.settings.questions[first].prompt;
  const key = missing.length === 1 ? 'survey.requiredOne' : 'survey.requiredMany';
  setNotice(byId('survey-error'), t(key, { number: first + 1, prompt: prompt, count: missing.length }), 'error');
  const item = byId('survey-questions').querySelector('.survey-question[data-index="' + first + '"]');
  const target = item.querySelector('input, button, textarea');
  if (target) target.focus({ preventScroll: true });
  item.scrollIntoView({ block: 'center' });
}

function render() {
  if (state.error) {
    setNotice(byId('load-error'), state.error, 'error');
    showView('error');
    return;
  }
  const survey = state.survey;
  if (!survey) return;
  document.title = survey.settings.title;
  if (survey.answered || !survey.open) {
    byId('done-title').textContent = t(survey.answered ? 'survey.alreadyAnswered' : 'survey.closed');
    byId('done-detail').textContent = survey.settings.title;
    showView('done');
    return;
  }
  byId('survey-title').textContent = survey.settings.title;
  byId('survey-intro').textContent = survey.settings.introduction || '';
  byId('survey-anonymous').hidden = !survey.settings.anonymous;
  replaceChildren(byId('survey-questions'), survey.settings.questions.map(questionItem));
  showView('survey');
}

async function submit(event) {
  event.preventDefault();
  const button = byId('survey-submit');
  button.disabled = true;
  setNotice(byId('survey-error'), '');
  const given = answers();
  const missing = markMissing(given);
  if (missing.length) {
    showMissing(missing);
    button.disabled = false;
    return;
  }
  try {
    await api.answerSurvey(state.id, given);
    byId('done-title').textContent = t('survey.thanks');
    byId('done-detail').textContent = state.survey.settings.title;
    showView('done');
  } catch (error) {
    const code = error.code;
    if (code === 'already-answered' || code === 'closed') {
      byId('done-title').textContent = t(code === 'closed' ? 'survey.closed' : 'survey.alreadyAnswered');
      showView('done');
    } else {
      // The server names the question and what is wrong, in the page's language first.
      setNotice(byId('survey-error'), error.message, 'error');
    }
  } finally {
    button.disabled = false;
  }
}

async function load() {
  state.id = surveyId();
  showView('loading');
  if (!state.id) {
    location.replace('/me.html');
    return;
  }
  try {
    state.survey = await api.mySurvey(state.id);
  } catch (error) {
    if (error.status === 401) {
      showView('signed-out');
      return;
    }
    state.error = t('survey.loadFailed', { message: error.message });
  }
  render();
}

function main() {
  startMemberPage();
  api.setUnauthorizedHandler(() => {});
  // The questions are the organizer's words; rebuilding them would drop what the member has picked so far.
  onLanguageChange(() => { if (document.body.getAttribute('data-state') !== 'survey') render(); });
  byId('survey-form').addEventListener('submit', submit);
  byId('survey-questions').addEventListener('change', clearAnswered);
  byId('survey-questions').addEventListener('input', clearAnswered);
  byId('survey-questions').addEventListener('click', clearAnswered);
  window.addEventListener('hashchange', load);
  load();
}

main();
