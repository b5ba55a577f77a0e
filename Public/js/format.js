// How API values are shown, in the current language.
import { t } from './i18n.js';

export const TYPE_ORDER = ['single', 'multiple', 'truefalse', 'fill'];

export function typeLabel(type) {
  const key = 'type.' + type;
  const label = t(key);
  return label === key ? type : label;
}

function pad(number) {
  return number < 10 ? '0' + number : String(number);
}

// Local time as "2026-11-21 19:00"; toLocaleString differs between phones, this does not.
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (isNaN(date.getTime())) return iso;
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

// A unit's path for people: "机关党委 / 第一党支部".
export function unitPath(unit) {
  if (!unit) return t('unit.wholeOrg');
  return (unit.path || unit.name || '').split('/').join(' / ');
}

// A byte count for people: "850 KB", "12.4 MB".
export function formatBytes(bytes) {
  if (bytes < 1024 * 1024) return Math.max(0, Math.round(bytes / 1024)) + ' KB';
  return (bytes / (1024 * 1024)).toFixed(1) + ' MB';
}
