// The links of one campaign, as the console shows them: the member link with its QR code (members who signed
// in with their invitation link open it on their phone), and the display link for the hall's big screen (shown
// once when made, stored only as a hash, so a lost one is replaced by a new one, which cuts the old screen off).
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

// view: { campaign, memberLink, displayLink? }; options: { onView(view): after a new display link }
export function renderCampaignLinks(container, view, options) {
  const opts = options || {};
  const campaign = view.campaign;
  const status = el('p', { class: 'notice', role: 'status', 'data-testid': 'links-status' });

  const member = el('div', { class: 'link-block', 'data-testid': 'member-block' },
    el('h3', null, t('clinks.member')),
    el('label', { class: 'field' }, el('span', null, t('clinks.memberLink')), copyRow(view.memberLink, 'member-link')),
    el('p', { class: 'hint' }, t('clinks.memberHint')),
    el('figure', { class: 'qr' },
      el('img', { src: api.qrUrl(view.memberLink), width: '180', height: '180', alt: t('clinks.qrAlt'), 'data-testid': 'member-qr' }),
      el('figcaption', null,
        el('span', null, t('clinks.qrCaption')),
        el('a', { href: api.qrUrl(view.memberLink), download: t('clinks.qrFile', { id: campaign.id }) + '.svg' }, t('invite.qrDownload')))));

  const display = el('div', { class: 'link-block', 'data-testid': 'display-block' }, el('h3', null, t('links.display')));
  if (view.displayLink) {
    display.appendChild(el('p', { class: 'notice is-success' }, t('links.displayOnce')));
    display.appendChild(el('label', { class: 'field' }, el('span', null, t('links.displayLink')), copyRow(view.displayLink, 'display-link')));
    display.appendChild(el('p', null, el('a', { class: 'btn', href: view.displayLink, target: '_blank', rel: 'noopener', 'data-testid': 'open-display' }, t('links.openDisplay'))));
  } else {
    display.appendChild(el('p', { class: 'hint' }, t('links.displayLost')));
  }
  const renew = el('button', { type: 'button', class: 'btn', 'data-testid': 'new-display-link' }, t('links.newDisplay'));
  renew.addEventListener('click', async () => {
    if (!window.confirm(t('links.confirmNewDisplay'))) return;
    renew.disabled = true;
    try {
      const fresh = await api.newCampaignDisplayLink(campaign.id);
      renderCampaignLinks(container, fresh, opts);
      if (opts.onView) opts.onView(fresh);
    } catch (error) {
      renew.disabled = false;
      setNotice(status, t('links.newDisplayFailed', { message: error.message }), 'error');
    }
  });
  display.appendChild(renew);

  replaceChildren(container, el('div', { class: 'link-blocks' }, member, display), status);
}
