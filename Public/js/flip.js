// A ranked list that moves instead of jumping: rows are kept by key and reused, put in their new order, and
// each slides from where it was to where it is now (FLIP: first, last, invert, play). The eye follows who
// went up and who went down, which is what a leaderboard on a hall's screen is for.

// items: the rows in order; keyOf(item) → string; make() → a new row node; fill(node, item) → draws it.
export function renderList(list, items, keyOf, make, fill) {
  const old = {};
  const first = {};
  Array.prototype.forEach.call(list.children, (node) => {
    const key = node.getAttribute('data-key');
    old[key] = node;
    first[key] = node.getBoundingClientRect().top;
  });
  const nodes = items.map((item) => {
    const key = String(keyOf(item));
    let node = old[key];
    if (node) {
      delete old[key];
    } else {
      node = make();
      node.setAttribute('data-key', key);
      node.classList.add('is-entering');
    }
    fill(node, item);
    return node;
  });
  Object.keys(old).forEach((key) => list.removeChild(old[key]));
  nodes.forEach((node) => list.appendChild(node));
  nodes.forEach((node) => {
    const was = first[node.getAttribute('data-key')];
    if (was === undefined) return;
    const delta = was - node.getBoundingClientRect().top;
    if (!delta) return;
    node.style.transition = 'none';
    node.style.transform = 'translateY(' + delta + 'px)';
  });
  // Commit the inverted positions before letting them go, or the browser merges both into no move at all.
  void list.offsetHeight;
  requestAnimationFrame(() => {
    nodes.forEach((node) => {
      node.style.transition = '';
      node.style.transform = '';
      node.classList.remove('is-entering');
    });
  });
}
