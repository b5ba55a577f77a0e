// Chinese by default, English on request; the choice is kept in localStorage for every page.
//
// Static text: an element with data-i18n="key" gets t(key) as its text; data-i18n-attr="placeholder:key;
// aria-label:key2" sets attributes. The HTML carries the Chinese text already, so nothing flashes in the
// default language. Script-made text calls t(key, {name: value}) and re-renders on onLanguageChange.
import zh from './lang/zh.js';

const STORAGE_KEY = 'dengao.lang';
const HTML_LANG = { zh: 'zh-CN', en: 'en' };
// Chinese comes with every page; another language is fetched only when it is chosen (a phone on a crowded hall
// Wi-Fi should not download a dictionary it does not read). Until it arrives the page stays Chinese, then
// switches as if its button had been pressed.
const DICTIONARIES = { zh: zh };
const LOADERS = { en: () => import('./lang/en.js') };
const listeners = [];

function stored() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return HTML_LANG[value] ? value : 'zh';
  } catch (error) {
    return 'zh'; // storage disabled (some private modes): stay Chinese
  }
}

let current = 'zh';

export function lang() {
  return current;
}

// t('roster.pageInfo', {page: 1, pages: 2, total: 28}) → "第 1 / 2 页，共 28 人". An unknown key shows
// itself, so a gap is visible rather than blank. Plural forms: see PLURAL below.
export function t(key, params) {
  const dictionary = DICTIONARIES[current];
  let text = dictionary[key];
  if (text === undefined) text = zh[key];
  if (text === undefined) return key;
  text = text.replace(PLURAL, (match, name, one, other) => {
    const value = params ? params[name] : undefined;
    if (value === undefined || value === null) return other;
    return plurals().select(Number(value)) === 'one' ? one : other;
  });
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (match, name) =>
      (params[name] === undefined || params[name] === null ? match : String(params[name])));
  }
  return text;
}

// "{count|question|questions}": the form the number `count` takes in the page's language ("1 question",
// "2 questions"). Chinese has one form and never uses it; a form may hold placeholders ("{count|this error|these
// {count} errors}").
const PLURAL = /\{(\w+)\|((?:[^|{}]|\{\w+\})*)\|((?:[^|{}]|\{\w+\})*)\}/g;
const pluralRules = {};

function plurals() {
  if (!pluralRules[current]) {
    try {
      pluralRules[current] = new Intl.PluralRules(HTML_LANG[current]);
    } catch (error) {
      // an old browser without Intl.PluralRules: English's rule, the only one the dictionaries need
      pluralRules[current] = { select: (n) => (n === 1 ? 'one' : 'other') };
    }
  }
  return pluralRules[current];
}

export function hasKey(key) {
  return zh[key] !== undefined;
}

export function applyTranslations(root) {
  const scope = root || document;
  document.documentElement.lang = HTML_LANG[current];
  Array.prototype.forEach.call(scope.querySelectorAll('[data-i18n]'), (node) => {
    node.textContent = t(node.getAttribute('data-i18n'));
  });
  Array.prototype.forEach.call(scope.querySelectorAll('[data-i18n-attr]'), (node) => {
    node.getAttribute('data-i18n-attr').split(';').forEach((pair) => {
      const parts = pair.split(':');
      if (parts.length === 2) node.setAttribute(parts[0].trim(), t(parts[1].trim()));
    });
  });
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

// Switches the page to `value` once its dictionary is here; resolves when it has switched (or stayed, if the
// dictionary could not be fetched: the page keeps working in the language it has).
export function setLang(value) {
  if (!HTML_LANG[value] || value === current) return Promise.resolve();
  const ready = DICTIONARIES[value]
    ? Promise.resolve()
    : LOADERS[value]().then((module) => { DICTIONARIES[value] = module.default; });
  return ready.then(() => {
    current = value;
    try {
      window.localStorage.setItem(STORAGE_KEY, value);
    } catch (error) {
      // not kept across pages, but this page still switches
    }
    applyTranslations();
    listeners.forEach((listener) => listener(value));
  }, () => {});
}

// Two buttons, 中文 | English, each named in its own language so anyone can find theirs.
export function languageSwitch() {
  const group = document.createElement('div');
  group.className = 'lang-switch';
  group.setAttribute('role', 'group');
  group.setAttribute('data-i18n-attr', 'aria-label:lang.label');
  group.setAttribute('aria-label', t('lang.label'));
  [['zh', '中文'], ['en', 'English']].forEach((pair) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'lang-option';
    button.setAttribute('data-lang', pair[0]);
    button.setAttribute('lang', HTML_LANG[pair[0]]);
    button.textContent = pair[1];
    button.addEventListener('click', () => setLang(pair[0]));
    group.appendChild(button);
  });
  const mark = () => {
    Array.prototype.forEach.call(group.children, (button) => {
      button.setAttribute('aria-pressed', button.getAttribute('data-lang') === current ? 'true' : 'false');
    });
  };
  mark();
  onLanguageChange(mark);
  return group;
}

// The language this phone chose last time: fetched now, switched to once it is here (by then the page's own code
// has run and listens for the change).
setLang(stored());
