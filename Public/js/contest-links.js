// The links of one contest, as the console shows them: the join link with its QR code (for players), the
// display link (for the big screen: shown once when made, stored only as a hash, so a lost one is replaced
// by a new one, which cuts the old screen off), and the way to the host page.
import * as api from './api.js';
import { el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { copyRow, displayBlock } from './link-blocks.js';

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

  const display = displayBlock(view.displayLink, status, () => api.newDisplayLink(contest.id), (fresh) => {
    renderContestLinks(container, fresh, opts);
    if (opts.onView) opts.onView(fresh);
  });

  replaceChildren(container,
    opts.withHost ? el('p', { class: 'host-go' },
      el('a', { class: 'btn btn-primary', href: '/host.html?contest=' + encodeURIComponent(contest.id), 'data-testid': 'host-link' }, t('links.host'))) : null,
    el('div', { class: 'link-blocks' }, join, display),
    status);
}
