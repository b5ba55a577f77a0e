// The links of one campaign, as the console shows them: the member link with its QR code (members who signed
// in with their invitation link open it on their phone), and the display link for the hall's big screen (shown
// once when made, stored only as a hash, so a lost one is replaced by a new one, which cuts the old screen off).
import * as api from './api.js';
import { el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { copyRow, displayBlock } from './link-blocks.js';

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

  const display = displayBlock(view.displayLink, status, () => api.newCampaignDisplayLink(campaign.id), (fresh) => {
    renderCampaignLinks(container, fresh, opts);
    if (opts.onView) opts.onView(fresh);
  });

  replaceChildren(container, el('div', { class: 'link-blocks' }, member, display), status);
}
