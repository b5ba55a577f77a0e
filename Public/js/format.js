// How API values are shown in Chinese.

export const TYPE_LABELS = { single: '单选', multiple: '多选', truefalse: '判断', fill: '填空' };
export const TYPE_ORDER = ['single', 'multiple', 'truefalse', 'fill'];

export function typeLabel(type) {
  return TYPE_LABELS[type] || type;
}

function pad(number) {
  return number < 10 ? '0' + number : String(number);
}

// Local time as "2026-11-21 19:00"; toLocaleString differs between phones, this does not.
export function formatTime(iso) {
  const date = new Date(iso);
  if (isNaN(date.getTime())) return iso || '';
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) +
    ' ' + pad(date.getHours()) + ':' + pad(date.getMinutes());
}

export function stars(difficulty) {
  const filled = Math.max(0, Math.min(5, difficulty || 0));
  return '★'.repeat(filled) + '☆'.repeat(5 - filled);
}

export function optionLetter(index) {
  return String.fromCharCode(65 + index);
}

// A filename without its last extension: "党史.题库.xlsx" → "党史.题库".
export function baseName(fileName) {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}
