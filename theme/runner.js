// The local runner: on the book served by `cargo xtask serve`, Run (and Edit, Reset, Stop)
// buttons that run each listing on the reader's own machine.
//
// `cargo xtask serve` prints the book's address with a secret and the runner's port:
// http://127.0.0.1:PORT/?token=SECRET&runner=PORT2. This script keeps both in sessionStorage
// (this tab only, gone when it closes), takes them out of the address bar, and asks the runner
// whether it answers to that secret. Only then does it add its buttons: the book built for
// static hosting, or an old secret, leaves every page as it is. Once it has decided, it says so
// on <html data-runner="on|off"> (the browser tests wait for that, not for a while).
(function () {
  'use strict';
  // Framed by another page, the buttons could be disguised and clicked (clickjacking): no runner.
  if (window.top !== window.self) { document.documentElement.dataset.runner = 'off'; return; }

  var KEY = 'course-runner';

  function settings() {
    var params = new URLSearchParams(window.location.search);
    if (params.has('token') || params.has('runner')) {
      var token = params.get('token') || '';
      var port = params.get('runner') || '';
      if (/^[0-9a-f]{64}$/.test(token) && /^[0-9]{1,5}$/.test(port)) {
        try {
          sessionStorage.setItem(KEY, JSON.stringify({ token: token, port: port }));
        } catch (e) { /* storage refused: this page only */ }
      }
      params.delete('token');
      params.delete('runner');
      var query = params.toString();
      history.replaceState(history.state, '',
        window.location.pathname + (query ? '?' + query : '') + window.location.hash);
      if (/^[0-9a-f]{64}$/.test(token) && /^[0-9]{1,5}$/.test(port)) {
        return { token: token, port: port };
      }
    }
    try {
      var saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
      if (saved && /^[0-9a-f]{64}$/.test(saved.token) && /^[0-9]{1,5}$/.test(saved.port)) {
        return saved;
      }
    } catch (e) { /* nothing saved */ }
    return null;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function button(label, className, title) {
    var b = element('button', 'runner-button ' + className, label);
    b.type = 'button';
    b.title = title;
    return b;
  }

  // The listing's file, as the copy button copies it: the visible lines only.
  function sourceOf(code) {
    var copy = code.cloneNode(true);
    copy.querySelectorAll('.boring').forEach(function (b) { b.remove(); });
    return copy.textContent.replace(/\n+$/, '') + '\n';
  }

  function seconds(millis) {
    return millis < 1000 ? millis + ' ms' : (millis / 1000).toFixed(2) + ' s';
  }

  function attach(runner, pre, name, python) {
    var code = pre.querySelector('code');
    if (!code) return;
    var original = sourceOf(code);
    var editor = null;
    var controller = null;

    var bar = element('div', 'runner-bar');
    bar.dataset.example = name;
    bar.dataset.python = String(python);
    var run = button('▶ Run', 'runner-run',
      'Run ' + (python ? 'examples/python/' + name + '.py with python3' : 'this program') +
      ' on your machine');
    var edit = python ? null : button('✎ Edit', 'runner-edit',
      'Change the code, then run it (Ctrl+Enter)');
    var reset = python ? null : button('↺ Reset', 'runner-reset', 'Back to the file as it is');
    var stop = button('■ Stop', 'runner-stop', 'Stop the program');
    var output = element('pre', 'runner-output');
    output.dataset.example = name;
    output.dataset.python = String(python);
    stop.hidden = true;
    output.hidden = true;
    bar.appendChild(run);
    if (edit) bar.appendChild(edit);
    if (reset) { reset.hidden = true; bar.appendChild(reset); }
    bar.appendChild(stop);
    pre.classList.add('runner-active');
    pre.after(bar);
    bar.after(output);

    // What the program prints, then one status line, always last.
    function show(kind, text) {
      if (!text) return;
      output.insertBefore(element('span', 'runner-' + kind, text),
        output.querySelector('.runner-status'));
    }

    function statusLine(text, className) {
      var line = output.querySelector('.runner-status');
      if (!line) {
        line = element('span', 'runner-status');
        output.appendChild(line);
      }
      line.className = 'runner-status ' + (className || '');
      line.textContent = text;
    }

    function event(e) {
      if (e.kind === 'stdout' || e.kind === 'stderr' || e.kind === 'compiler' || e.kind === 'note') {
        show(e.kind, e.kind === 'note' ? '[' + e.text + ']\n' : e.text);
      } else if (e.kind === 'status') {
        statusLine(e.text + '…', 'runner-busy');
      } else if (e.kind === 'exit') {
        var what = e.phase === 'compile' ? 'not run: ' + e.message : e.message;
        statusLine(what + ' · ' + seconds(e.millis), e.success ? 'runner-ok' : 'runner-failed');
      }
    }

    function finish() {
      run.disabled = false;
      stop.hidden = true;
      controller = null;
      output.dataset.state = 'done';
    }

    function start(body) {
      controller = new AbortController();
      var mine = controller;
      output.textContent = '';
      output.hidden = false;
      output.dataset.state = 'running';
      run.disabled = true;
      stop.hidden = false;
      statusLine('running…', 'runner-busy');
      fetch(runner.base + '/api/run', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Course-Token': runner.token },
        body: JSON.stringify(body),
        cache: 'no-store',
        signal: mine.signal,
      }).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            statusLine(text || ('the runner said ' + response.status), 'runner-failed');
          });
        }
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) return;
            buffer += decoder.decode(chunk.value, { stream: true });
            var end;
            while ((end = buffer.indexOf('\n')) >= 0) {
              var line = buffer.slice(0, end);
              buffer = buffer.slice(end + 1);
              if (line) event(JSON.parse(line));
            }
            return pump();
          });
        }
        return pump();
      }).catch(function (err) {
        if (mine.signal.aborted) {
          statusLine('stopped', 'runner-failed');
        } else {
          statusLine('the runner did not answer (' + err.message + ')', 'runner-failed');
        }
      }).finally(finish);
    }

    run.addEventListener('click', function () {
      var body = { example: name };
      if (python) body.python = true;
      else if (editor && editor.value !== original) body.code = editor.value;
      start(body);
    });
    stop.addEventListener('click', function () {
      if (controller) controller.abort(); // the runner then kills the program's process group
    });
    if (edit) {
      edit.addEventListener('click', function () {
        if (editor) return;
        editor = element('textarea', 'runner-editor');
        editor.value = original;
        editor.spellcheck = false;
        editor.rows = original.split('\n').length + 1;
        editor.setAttribute('aria-label', 'examples/' + name + '.rs, editable');
        editor.addEventListener('keydown', function (e) {
          // Keys typed here are for the editor: mdBook's page shortcuts (arrows turn the
          // page, `?` shows help, `s` searches) listen on the document, and must not see them.
          e.stopPropagation();
          // Tab indents; Escape leaves the editor, so the keyboard can move on; Ctrl+Enter
          // runs.
          if (e.key === 'Escape') {
            editor.blur();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            if (!run.disabled) run.click();
          } else if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            editor.setRangeText('    ', editor.selectionStart, editor.selectionEnd, 'end');
          }
        });
        pre.style.display = 'none';
        pre.after(editor);
        edit.hidden = true;
        reset.hidden = false;
        editor.focus();
      });
      reset.addEventListener('click', function () {
        if (!editor) return;
        editor.remove();
        editor = null;
        pre.style.display = '';
        edit.hidden = false;
        reset.hidden = true;
      });
    }
  }

  function decorate(runner, status) {
    var pattern = /^Filename: examples\/(python\/)?([A-Za-z0-9_-]+)\.(rs|py)$/;
    document.querySelectorAll('main .filename').forEach(function (caption) {
      var m = pattern.exec(caption.textContent.trim());
      if (!m) return;
      var python = m[1] !== undefined;
      if (python !== (m[3] === 'py')) return;
      if (python && !status.python) return;
      var holder = caption.parentElement && caption.parentElement.tagName === 'P'
        ? caption.parentElement : caption;
      var pre = holder.nextElementSibling;
      if (!pre || pre.tagName !== 'PRE') return;
      attach(runner, pre, m[2], python);
    });
    document.documentElement.classList.add('runner-on');
    decided('on');
  }

  function decided(state) {
    document.documentElement.dataset.runner = state;
  }

  function init() {
    var s = settings();
    if (!s) {
      decided('off');
      return;
    }
    var runner = { token: s.token, base: 'http://127.0.0.1:' + s.port };
    fetch(runner.base + '/api/status', {
      headers: { 'X-Course-Token': runner.token },
      cache: 'no-store',
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (status) {
      if (status) {
        decorate(runner, status);
      } else {
        decided('off');
      }
    }).catch(function () {
      decided('off'); // no runner: the page stays as it is
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
