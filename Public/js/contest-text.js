// How a live contest's values read in the current language: round kinds, phases, rank changes, and the
// server's error codes in plain words (the server's own message, Chinese with English in brackets, is the
// fallback for a code this page does not know).
import { t, hasKey } from './i18n.js';

export function kindLabel(kind) {
  return hasKey('contest.kind.' + kind) ? t('contest.kind.' + kind) : kind;
}

// A round's title with its kind, for every page that names a round: "必答（必答）" and "必答题（必答）" say it
// twice, so the kind is added only when the title does not name it (and alone when there is no title).
export function roundName(title, kind) {
  const label = kindLabel(kind);
  if (!title) return label;
  return title.indexOf(label) >= 0 ? title : t('contest.roundWithKind', { title: title, kind: label });
}

export function roundLabel(question) {
  return roundName(question.roundTitle || '', question.kind);
}

export function phaseLabel(phase, paused) {
  if (paused) return t('contest.phase.paused');
  return hasKey('contest.phase.' + phase) ? t('contest.phase.' + phase) : phase;
}

// "a-b-c" → "aBC": the dictionaries' keys are words and dots only.
function camel(code) {
  return String(code || '').replace(/-([a-z])/g, (match, letter) => letter.toUpperCase());
}

export function errorText(error) {
  const key = 'contest.error.' + camel(error.code);
  return hasKey(key) ? t(key) : (error.message || error.code || '');
}

// ▲2, ▼1, or — for no move; nothing for a newcomer.
export function changeText(change) {
  if (change === undefined || change === null) return '';
  if (change > 0) return '▲' + change;
  if (change < 0) return '▼' + (-change);
  return '—';
}

export function changeClass(change) {
  if (change === undefined || change === null) return 'is-new';
  return change > 0 ? 'is-up' : change < 0 ? 'is-down' : 'is-same';
}

// Points with a sign, for what one question brought: +850, −100, 0.
export function signed(points) {
  if (points > 0) return '+' + points;
  if (points < 0) return '−' + (-points);
  return '0';
}

// The fragment or query as a map: "#contest=3&token=abc" → { contest: '3', token: 'abc' }.
export function params(text) {
  const result = {};
  String(text || '').replace(/^[#?]/, '').split('&').forEach((pair) => {
    if (!pair) return;
    const at = pair.indexOf('=');
    const name = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? '' : pair.slice(at + 1);
    try {
      result[decodeURIComponent(name)] = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch (error) {
      result[name] = value;
    }
  });
  return result;
}
