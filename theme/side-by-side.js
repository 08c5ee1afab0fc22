// A Rust listing and its Python twin (`<div class="side-by-side">`, written by the
// `{{#listing}}` preprocessor) are laid out so that neither program is clipped: two columns
// where both fit (theme/course.css makes the grid on wide pages), else the Python program below
// the Rust one (`stacked`), and where even one column is too narrow (a phone), long lines wrap
// (`wrapped`). Measured on the real blocks, at load and whenever the page's width changes.
(function () {
    'use strict';

    function overflows(pair) {
        return Array.prototype.some.call(pair.querySelectorAll('pre > code'), function (code) {
            return code.scrollWidth > code.clientWidth + 1;
        });
    }

    function layout() {
        document.querySelectorAll('.side-by-side').forEach(function (pair) {
            pair.classList.remove('stacked', 'wrapped');
            if (overflows(pair)) {
                pair.classList.add('stacked');
            }
            if (overflows(pair)) {
                pair.classList.add('wrapped');
            }
        });
        document.documentElement.dataset.sideBySide = 'ready';
    }

    var pending = false;
    function schedule() {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                layout();
            });
        }
    }

    function start() {
        layout();
        var content = document.querySelector('.content');
        if (content && window.ResizeObserver) {
            new ResizeObserver(schedule).observe(content);
        } else {
            window.addEventListener('resize', schedule);
        }
        // Fonts change the width of a line once they arrive.
        if (document.fonts && document.fonts.ready) {
            document.fonts.ready.then(schedule);
        }
    }

    if (document.readyState === 'complete') {
        start();
    } else {
        window.addEventListener('load', start);
    }
})();
