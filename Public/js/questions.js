// Renders one page of questions: options lettered A–H with the correct ones marked, answers and 解析.
import { el, replaceChildren } from './dom.js';
import { typeLabel, stars, optionLetter } from './format.js';
import { t } from './i18n.js';

function head(question) {
  return el('div', { class: 'q-head' },
    el('span', { class: 'q-number' }, t('q.number', { number: question.number })),
    el('span', { class: 'badge badge-' + question.type }, typeLabel(question.type)),
    el('span', { class: 'q-difficulty', title: t('q.difficultyTitle', { difficulty: question.difficulty }) },
      stars(question.difficulty),
      el('span', { class: 'visually-hidden' }, t('q.difficulty', { difficulty: question.difficulty }))),
    question.category ? el('span', { class: 'q-category' }, question.category) : null,
    question.tags && question.tags.length
      ? el('ul', { class: 'q-tags', 'aria-label': t('q.tags') }, question.tags.map((tag) => el('li', null, tag)))
      : null);
}

function options(question) {
  if (!question.options || !question.options.length) return null;
  // The answer is written as templates write it ("ABD"); anything that is not a letter is ignored.
  const correct = question.answer.toUpperCase();
  return el('ol', { class: 'q-options' }, question.options.map((text, index) => {
    const letter = optionLetter(index);
    const isCorrect = correct.indexOf(letter) >= 0;
    return el('li', { class: 'option' + (isCorrect ? ' is-correct' : ''), 'data-letter': letter, 'data-correct': isCorrect ? 'true' : 'false' },
      el('span', { class: 'option-letter' }, letter),
      el('span', { class: 'option-text' }, text),
      isCorrect ? el('span', { class: 'option-mark' }, t('q.correct')) : null);
  }));
}

function answer(question) {
  if (question.type === 'fill') {
    const accepted = question.answer.split('|').filter((text) => text !== '');
    const label = accepted.length > 1 ? t('q.answerAny') : t('q.answer');
    return el('p', { class: 'q-answer' }, label, el('b', null, accepted.join(' / ')));
  }
  if (question.type === 'truefalse') {
    const mark = question.answer === '对' ? '✓ ' : question.answer === '错' ? '✗ ' : '';
    return el('p', { class: 'q-answer' }, t('q.answer'), el('b', null, mark + question.answer));
  }
  return el('p', { class: 'q-answer' }, t('q.answer'), el('b', null, question.answer));
}

function explanation(question) {
  if (!question.explanation) return null;
  return el('p', { class: 'q-explanation' },
    el('span', { class: 'q-explanation-label' }, t('q.explanation')), question.explanation);
}

function questionItem(question) {
  return el('li', { class: 'question', 'data-question': question.number, 'data-type': question.type },
    head(question),
    el('p', { class: 'q-stem' }, question.stem),
    options(question),
    answer(question),
    explanation(question));
}

export function renderQuestions(listNode, questions) {
  if (!questions.length) {
    replaceChildren(listNode, el('li', { class: 'empty' }, t('q.noMatch')));
    return;
  }
  replaceChildren(listNode, questions.map(questionItem));
}

export function pageCount(result) {
  return Math.max(1, Math.ceil(result.total / result.perPage));
}

export function pageInfoText(result) {
  return t('q.pageInfo', { page: result.page, pages: pageCount(result), total: result.total });
}
