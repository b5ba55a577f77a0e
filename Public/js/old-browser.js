// Runs only in browsers without ES modules (`<script nomodule>`), which cannot run the pages: it shows the
// notice the page keeps in its data-old-browser attribute. A file of its own because the Content-Security-Policy
// runs no inline script. ES5 on purpose.
(function () {
  var node = document.querySelector('[data-old-browser]');
  if (node) node.textContent = node.getAttribute('data-old-browser');
})();
