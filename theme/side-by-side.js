// A Rust listing and its Python twin (`<div class="side-by-side" style="--pair-cols: N">`,
// written by the `{{#listing}}` preprocessor) are laid out by CSS alone (theme/course.css):
// stacked by default, in two columns where a column holds the pair's longest line, so nothing
// moves once the page is shown. Code in a pair wraps rather than being clipped; this script
// only makes a wrapped line keep its indentation. It splits each program into one element per
// line, `<span class="pair-line" style="--indent: N">`, N being the line's leading spaces;
// the CSS hangs the line's continuation under that indentation. The text itself is unchanged
// (each line's newline stays in it, the spans are inline-blocks), so the copy button, the
// runner and search see the same program, and a line that does not wrap looks the same.
// It runs as soon as it is loaded (mdBook loads it after highlighting the code), before the
// page has finished loading; theme/head.hbs loads it a second time, deferred and
// render-blocking, so that nothing is drawn before the lines are split (the second run
// finds them split and does nothing).
(function () {
    'use strict';

    function isBoring(el) {
        return el.nodeType === 1 && el.classList.contains('boring');
    }

    function split(code) {
        if (code.querySelector('.pair-line')) {
            return; // done already (a page restored from the cache)
        }
        var lines = [];
        var line = null;
        var path = []; // copies of the elements the current text sits in, outermost first
        function open() {
            line = document.createElement('span');
            line.className = 'pair-line';
            lines.push(line);
            var parent = line;
            path = path.map(function (el) {
                var copy = el.cloneNode(false);
                parent.appendChild(copy);
                parent = copy;
                return copy;
            });
        }
        function here() {
            return path.length ? path[path.length - 1] : line;
        }
        function walk(node) {
            Array.prototype.slice.call(node.childNodes).forEach(function (child) {
                if (child.nodeType === 3) {
                    var parts = child.data.split('\n');
                    parts.forEach(function (part, i) {
                        if (i > 0) {
                            here().appendChild(document.createTextNode('\n'));
                            open();
                        }
                        if (part) {
                            here().appendChild(document.createTextNode(part));
                        }
                    });
                } else if (child.nodeType === 1) {
                    var copy = child.cloneNode(false);
                    here().appendChild(copy);
                    path.push(copy);
                    walk(child);
                    path.pop();
                }
            });
        }
        open();
        walk(code);
        if (lines.length > 1 && line.textContent === '') {
            lines.pop(); // nothing after the last newline
        }
        var whole = document.createDocumentFragment();
        lines.forEach(function (l) {
            var text = l.textContent;
            var indent = text.length - text.replace(/^ +/, '').length;
            l.style.setProperty('--indent', String(indent));
            // A line hidden by mdBook (`# ` lines of a Rust listing) hides with its newline.
            var shown = Array.prototype.filter.call(l.querySelectorAll('*'), isBoring)
                .reduce(function (n, b) { return n - b.textContent.length; }, text.length);
            if (shown === 0 && text.length > 0) {
                l.classList.add('pair-boring');
            }
            whole.appendChild(l);
        });
        if (whole.textContent !== code.textContent) {
            return; // never change the program a reader sees or copies
        }
        code.replaceChildren(whole);
    }

    function start() {
        document.querySelectorAll('.side-by-side pre > code').forEach(split);
        document.documentElement.dataset.sideBySide = 'ready';
    }

    start();
})();
