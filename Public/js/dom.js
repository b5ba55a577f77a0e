// Tiny DOM helpers. Data from the server only ever enters the page as text nodes, so a question that
// contains "<script>" shows up as those characters instead of running.

export function byId(id) {
  return document.getElementById(id);
}

// el('li', { class: 'x', 'data-bank': name, style: { width: '40%' } }, 'text', childNode, [more, children])
// `style` is an object of CSS properties set through the CSSOM: the Content-Security-Policy refuses style
// attributes (`style-src 'self'`), not styles set from script.
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  const attrs = attributes || {};
  Object.keys(attrs).forEach((name) => {
    const value = attrs[name];
    if (value === false || value === null || value === undefined) return;
    if (name === 'style') {
      Object.keys(value).forEach((property) => { node.style[property] = value[property]; });
      return;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  });
  append(node, children);
  return node;
}

function append(node, children) {
  children.forEach((child) => {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === 'object') node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  });
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function replaceChildren(node, ...children) {
  clear(node);
  append(node, children);
}

// Shows a message in a .notice element; an empty text hides it (see theme.css .notice:empty).
export function setNotice(node, text, kind) {
  node.textContent = text || '';
  node.classList.toggle('is-error', kind === 'error');
  node.classList.toggle('is-success', kind === 'success');
}
