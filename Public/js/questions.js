// Renders one page of questions: options lettered A–H with the correct ones marked, answers and 解析.
import { el, replaceChildren } from './dom.js';
import { typeLabel, stars, optionLetter } from './format.js';

function head(question) {
  return el('div', { class: 'q-head' },
    el('span', { class: 'q-number' }, '第 ' + question.number + ' 题'),
    el('span', { class: 'badge badge-' + question.type }, typeLabel(question.type)),
    el('span', { class: 'q-difficulty', title: '难度 ' + question.difficulty + ' / 5' },
      stars(question.difficulty),
      el('span', { class: 'visually-hidden' }, '难度 ' + question.difficulty)),
    question.category ? el('span', { class: 'q-category' }, question.category) : null,
    question.tags && question.tags.length
      ? el('ul', { class: 'q-tags', 'aria-label': '标签' }, question.tags.map((tag) => el('li', null, tag)))
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
      isCorrect ? el('span', { class: 'option-mark' }, '✓ 正确') : null);
  }));
}

function answer(question) {
  if (question.type === 'fill') {
    const accepted = question.answer.split('|').filter((text) => text !== '');
    const label = accepted.length > 1 ? '答案（任一即可）：' : '答案：';
    return el('p', { class: 'q-answer' }, label, el('b', null, accepted.join(' / ')));
  }
  if (question.type === 'truefalse') {
    const mark = question.answer === '对' ? '✓ ' : question.answer === '错' ? '✗ ' : '';
    return el('p', { class: 'q-answer' }, '答案：', el('b', null, mark + question.answer));
  }
  return el('p', { class: 'q-answer' }, '答案：', el('b', null, question.answer));
}

function explanation(question) {
  if (!question.explanation) return null;
  return el('p', { class: 'q-explanation' },
    el('span', { class: 'q-explanation-label' }, '解析：'), question.explanation);
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
    replaceChildren(listNode, el('li', { class: 'empty' }, '没有符合条件的题目。'));
    return;
  }
  replaceChildren(listNode, questions.map(questionItem));
}

export function pageCount(result) {
  return Math.max(1, Math.ceil(result.total / result.perPage));
}

export function pageInfoText(result) {
  return '第 ' + result.page + ' / ' + pageCount(result) + ' 页，共 ' + result.total + ' 题';
}
