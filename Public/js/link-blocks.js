// Pieces the console's link panels share (contests and campaigns): a read-only link with a copy button, and the
// big screen's display link block — shown once when made (it is stored only as a hash), or replaced by a new one,
// which cuts the old screen off.
import { el, setNotice } from './dom.js';
import { t } from './i18n.js';
import { copyText } from './copy.js';

export function copyRow(value, testid) {
  const input = el('input', { type: 'text', readonly: true, value: value, 'data-testid': testid });
  input.value = value;
  const status = el('p', { class: 'copy-status', role: 'status' });
  const button = el('button', { type: 'button', class: 'btn' }, t('invite.copy'));
  button.addEventListener('click', async () => {
    const copied = await copyText(input);
    setNotice(status, t(copied ? 'invite.copied' : 'invite.copyManually'), copied ? 'success' : null);
  });
  return [el('span', { class: 'copy-row' }, input, button), status];
}

// displayLink: the link just made, or null; renew(): resolves to the view with a new link, then shown by
// onRenewed(fresh); failures go to `status`.
export function displayBlock(displayLink, status, renew, onRenewed) {
  const block = el('div', { class: 'link-block', 'data-testid': 'display-block' }, el('h3', null, t('links.display')));
  if (displayLink) {
    block.appendChild(el('p', { class: 'notice is-success' }, t('links.displayOnce')));
    block.appendChild(el('label', { class: 'field' }, el('span', null, t('links.displayLink')), copyRow(displayLink, 'display-link')));
    block.appendChild(el('p', null, el('a', { class: 'btn', href: displayLink, target: '_blank', rel: 'noopener', 'data-testid': 'open-display' }, t('links.openDisplay'))));
  } else {
    block.appendChild(el('p', { class: 'hint' }, t('links.displayLost')));
  }
  const button = el('button', { type: 'button', class: 'btn', 'data-testid': 'new-display-link' }, t('links.newDisplay'));
  button.addEventListener('click', async () => {
    if (!window.confirm(t('links.confirmNewDisplay'))) return;
    button.disabled = true;
    try {
      onRenewed(await renew());
    } catch (error) {
      button.disabled = false;
      setNotice(status, t('links.newDisplayFailed', { message: error.message }), 'error');
    }
  });
  block.appendChild(button);
  return block;
}
