// The links of one contest, as the console shows them: the join link with its QR code (for players), the
// display link (for the big screen: shown once when made, stored only as a hash, so a lost one is replaced
// by a new one, which cuts the old screen off), and the way to the host page.
import * as api from './api.js';
import { el, replaceChildren, setNotice } from './dom.js';
import { t } from './i18n.js';
import { copyText } from './copy.js';

function copyRow(value, testid) {
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

// options: { withHost: show the host button; onView(view): after a new display link }
export function renderContestLinks(container, view, options) {
  const opts = options || {};
  const contest = view.contest;
  const status = el('p', { class: 'notice', role: 'status', 'data-testid': 'links-status' });

  const join = el('div', { class: 'link-block', 'data-testid': 'join-block' },
    el('h3', null, t('links.join')),
    el('label', { class: 'field' }, el('span', null, t('links.joinLink')), copyRow(view.joinLink, 'join-link')),
    el('figure', { class: 'qr' },
      el('img', { src: api.qrUrl(view.joinLink), width: '220', height: '220', alt: t('links.qrAlt'), 'data-testid': 'join-qr' }),
      el('figcaption', null,
        el('span', null, t('links.qrCaption', { pin: contest.pin })),
        el('a', { href: api.qrUrl(view.joinLink), download: t('links.qrFile', { pin: contest.pin }) + '.svg' }, t('invite.qrDownload')))));

  const display = el('div', { class: 'link-block', 'data-testid': 'display-block' }, el('h3', null, t('links.display')));
  if (view.displayLink) {
    display.appendChild(el('p', { class: 'notice is-success' }, t('links.displayOnce')));
    display.appendChild(el('label', { class: 'field' }, el('span', null, t('links.displayLink')), copyRow(view.displayLink, 'display-link')));
    display.appendChild(el('p', null, el('a', { class: 'btn', href: view.displayLink, target: '_blank', rel: 'noopener' }, t('links.openDisplay'))));
  } else {
    display.appendChild(el('p', { class: 'hint' }, t('links.displayLost')));
  }
  const renew = el('button', { type: 'button', class: 'btn', 'data-testid': 'new-display-link' }, t('links.newDisplay'));
  renew.addEventListener('click', async () => {
    if (!window.confirm(t('links.confirmNewDisplay'))) return;
    renew.disabled = true;
    try {
      const fresh = await api.newDisplayLink(contest.id);
      renderContestLinks(container, fresh, opts);
      if (opts.onView) opts.onView(fresh);
    } catch (error) {
      renew.disabled = false;
      setNotice(status, t('links.newDisplayFailed', { message: error.message }), 'error');
    }
  });
  display.appendChild(renew);

  replaceChildren(container,
    opts.withHost ? el('p', { class: 'host-go' },
      el('a', { class: 'btn btn-primary', href: '/host.html?contest=' + encodeURIComponent(contest.id), 'data-testid': 'host-link' }, t('links.host'))) : null,
    el('div', { class: 'link-blocks' }, join, display),
    status);
}
