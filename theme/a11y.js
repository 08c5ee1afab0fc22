// Accessibility fixes from the theme, without copying mdBook's templates (checked by axe-core
// in browser/tests/a11y.rs):
// - a code block or table that scrolls sideways is reachable by the keyboard (tabindex=0),
//   as a region named after what it holds, so its hidden part can be scrolled into view;
// - mdBook's sidebar toggle, a <label> with aria-label and aria-expanded (which a label may
//   not carry), is given the button role it acts as, and keys to work it;
// - mdBook's menu bar (the book's title, its buttons) is the page's banner landmark, so no
//   content is left outside a landmark.
(function () {
  'use strict';

  function nameOf(block) {
    var pre = block.closest('pre');
    var caption = pre && pre.previousElementSibling;
    if (caption && caption.tagName === 'P') caption = caption.querySelector('.filename');
    if (caption && caption.classList && caption.classList.contains('filename')) {
      return caption.textContent.replace(/^Filename:\s*/, '') + ' (scrolls sideways)';
    }
    if (block.classList.contains('table-wrapper')) return 'Table (scrolls sideways)';
    if (block.classList.contains('language-text')) return 'Output (scrolls sideways)';
    return 'Code (scrolls sideways)';
  }

  // Only a block that does scroll becomes a stop for the Tab key; the test is made again
  // whenever a block changes size (a resize, a pair stacked by side-by-side.js).
  function check(block) {
    var scrolls = block.scrollWidth > block.clientWidth + 1;
    if (scrolls && !block.hasAttribute('tabindex')) {
      block.tabIndex = 0;
      block.setAttribute('role', 'region');
      block.setAttribute('aria-label', nameOf(block));
      block.dataset.a11yScroll = 'on';
    } else if (!scrolls && block.dataset.a11yScroll === 'on') {
      block.removeAttribute('tabindex');
      block.removeAttribute('role');
      block.removeAttribute('aria-label');
      delete block.dataset.a11yScroll;
    }
  }

  function scrollables() {
    var blocks = Array.from(document.querySelectorAll('main pre > code, main .table-wrapper'));
    var observer = window.ResizeObserver
      ? new ResizeObserver(function (entries) {
        entries.forEach(function (e) { check(e.target); });
      })
      : null;
    blocks.forEach(function (b) {
      check(b);
      if (observer) observer.observe(b);
    });
  }

  function sidebarToggle() {
    var toggle = document.getElementById('sidebar-toggle');
    var box = document.getElementById('sidebar-toggle-anchor');
    if (!toggle || !box || toggle.tagName !== 'LABEL') return;
    toggle.setAttribute('role', 'button');
    if (!toggle.hasAttribute('tabindex')) toggle.tabIndex = 0;
    toggle.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle.click(); // as a click on the label: mdBook shows the sidebar, then opens it
      }
    });
  }

  function banner() {
    var bar = document.getElementById('menu-bar');
    if (bar && !bar.closest('main') && !document.querySelector('header, [role="banner"]')) {
      bar.setAttribute('role', 'banner');
    }
  }

  function init() {
    banner();
    sidebarToggle();
    scrollables();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
