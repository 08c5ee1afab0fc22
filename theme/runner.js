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

  // A button whose accessible name says which listing it acts on ("Run ch03-02-panic"):
  // the glyph is hidden from screen readers, the listing's name is read but not shown.
  function button(glyph, word, className, title, listing) {
    var b = element('button', 'runner-button ' + className);
    b.type = 'button';
    b.title = title;
    var icon = element('span', 'runner-glyph', glyph + ' ');
    icon.setAttribute('aria-hidden', 'true');
    b.appendChild(icon);
    b.appendChild(document.createTextNode(word));
    b.appendChild(element('span', 'runner-sr-only', ' ' + listing));
    return b;
  }

  // A button that cannot act now stays focusable (aria-disabled, not disabled): the keyboard's
  // focus never falls back to <body> because the control just used turned itself off.
  function enable(b, on) {
    if (on) b.removeAttribute('aria-disabled');
    else b.setAttribute('aria-disabled', 'true');
  }

  function enabled(b) {
    return b.getAttribute('aria-disabled') !== 'true';
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

  function darkTheme() {
    var html = document.documentElement.classList;
    return html.contains('navy') || html.contains('coal') || html.contains('ayu');
  }

  // The editor for Edit: mdBook's own Ace (shipped with the book for editable playgrounds),
  // with Rust highlighting and line numbers, exactly as tall as the listing it replaces. The
  // element returned has class `runner-editor` and a `value` property (the code), whichever
  // editor is behind it; without Ace, a textarea.
  function makeEditor(pre, original, name, runIt) {
    var height = pre.getBoundingClientRect().height;
    var label = 'Code of examples/' + name + '.rs, editable (Ctrl+Enter runs it, Escape leaves)';
    var holder;
    if (window.ace) {
      holder = element('div', 'runner-editor runner-ace');
      holder.style.height = height + 'px';
      pre.after(holder);
      var ed = window.ace.edit(holder);
      ed.setOptions({
        highlightActiveLine: false,
        showPrintMargin: false,
        showLineNumbers: true,
        showGutter: true,
        fontSize: getComputedStyle(pre.querySelector('code') || pre).fontSize,
        tabSize: 4,
        useSoftTabs: true,
      });
      ed.$blockScrolling = Infinity;
      ed.getSession().setMode('ace/mode/rust');
      ed.setTheme(darkTheme() ? 'ace/theme/tomorrow_night' : 'ace/theme/dawn');
      ed.setValue(original, -1);
      ed.commands.addCommand({
        name: 'courseRun',
        bindKey: { win: 'Ctrl-Enter', mac: 'Command-Enter' },
        exec: runIt,
      });
      ed.commands.addCommand({
        name: 'courseLeave',
        bindKey: { win: 'Esc', mac: 'Esc' },
        exec: function () { ed.blur(); holder.dispatchEvent(new Event('runner-leave')); },
      });
      var input = ed.textInput && ed.textInput.getElement();
      if (input) input.setAttribute('aria-label', label);
      Object.defineProperty(holder, 'value', {
        get: function () { return ed.getValue(); },
        set: function (v) { ed.setValue(String(v), -1); },
      });
      holder.focusEditor = function () { ed.focus(); };
      holder.destroy = function () {
        if (window.editors) {
          var i = window.editors.indexOf(ed);
          if (i >= 0) window.editors.splice(i, 1);
        }
        ed.destroy();
        holder.remove();
      };
      // book.js gives each editor in window.editors the theme the reader picks.
      if (window.editors) window.editors.push(ed);
      ed.resize(true);
    } else {
      holder = element('textarea', 'runner-editor');
      holder.value = original;
      holder.spellcheck = false;
      holder.style.height = height + 'px';
      holder.setAttribute('aria-label', label);
      holder.addEventListener('keydown', function (e) {
        if (e.key === 'Escape') {
          holder.blur();
          holder.dispatchEvent(new Event('runner-leave'));
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          runIt();
        } else if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
          e.preventDefault();
          holder.setRangeText('    ', holder.selectionStart, holder.selectionEnd, 'end');
        }
      });
      pre.after(holder);
      holder.focusEditor = function () { holder.focus(); };
      holder.destroy = function () { holder.remove(); };
    }
    // Keys typed in the editor are the editor's: mdBook's page shortcuts (arrows turn the
    // page, `?` shows help, `s` searches) listen on the document, and must not see them.
    holder.addEventListener('keydown', function (e) { e.stopPropagation(); });
    pre.style.display = 'none';
    return holder;
  }

  var serial = 0;

  function attach(runner, pre, name, python) {
    var code = pre.querySelector('code');
    if (!code) return;
    var original = sourceOf(code);
    var editor = null;
    var controller = null;
    var id = 'runner-' + (++serial);
    var listing = name + (python ? ' (Python)' : '');

    var bar = element('div', 'runner-bar');
    bar.dataset.example = name;
    bar.dataset.python = String(python);
    var run = button('▶', 'Run', 'runner-run',
      'Run ' + (python ? 'examples/python/' + name + '.py with python3' : 'this program') +
      ' on your machine', listing);
    var edit = python ? null : button('✎', 'Edit', 'runner-edit',
      'Change the code, then run it (Ctrl+Enter)', listing);
    var reset = button('↺', 'Reset', 'runner-reset',
      python ? 'Clear your run\'s output' : 'Back to the file as it is, without your run\'s output',
      listing);
    var stop = button('■', 'Stop', 'runner-stop', 'Stop the program', listing);
    enable(reset, false);
    enable(stop, false);
    // Said aloud by screen readers when a run starts and ends (the output itself is not: it
    // can be long; it is in the region below, labelled).
    var live = element('div', 'runner-live runner-sr-only');
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    live.setAttribute('aria-atomic', 'true');
    bar.appendChild(run);
    if (edit) bar.appendChild(edit);
    bar.appendChild(reset);
    bar.appendChild(stop);
    bar.appendChild(live);

    // The run's output, under a label that tells it from the book's recorded output.
    var result = element('div', 'runner-result');
    var caption = element('div', 'runner-caption',
      'Your run, on your machine: examples/' + (python ? 'python/' + name + '.py' : name + '.rs'));
    caption.id = id + '-caption';
    var output = element('pre', 'runner-output');
    output.dataset.example = name;
    output.dataset.python = String(python);
    // A region that scrolls: reachable by the keyboard, named by its caption.
    output.tabIndex = 0;
    output.setAttribute('role', 'region');
    output.setAttribute('aria-labelledby', caption.id);
    result.appendChild(caption);
    result.appendChild(output);
    result.hidden = true;
    pre.classList.add('runner-active');
    pre.after(bar);
    bar.after(result);

    // Output follows what the program prints, unless the reader has scrolled up to read.
    function append(node) {
      var atEnd = output.scrollHeight - output.scrollTop - output.clientHeight < 8;
      output.insertBefore(node, output.querySelector('.runner-status'));
      if (atEnd) output.scrollTop = output.scrollHeight;
    }

    // What the program prints, then one status line, always last.
    function show(kind, text) {
      if (!text) return;
      append(element('span', 'runner-' + kind, text));
    }

    function statusLine(text, className) {
      var line = output.querySelector('.runner-status');
      if (!line) {
        line = element('span', 'runner-status');
        append(line);
      }
      line.className = 'runner-status ' + (className || '');
      line.textContent = text;
      if (className !== 'runner-busy') live.textContent = listing + ': ' + text;
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

    function finish(mine) {
      if (controller !== mine) return; // a Reset already ended this run
      enable(run, true);
      enable(stop, false);
      controller = null;
      output.dataset.state = 'done';
    }

    function start(body) {
      controller = new AbortController();
      var mine = controller;
      output.textContent = '';
      result.hidden = false;
      output.dataset.state = 'running';
      enable(run, false);
      enable(stop, true);
      enable(reset, true);
      live.textContent = 'Running ' + listing;
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
            if (chunk.done || controller !== mine) return;
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
        if (controller !== mine) return;
        if (mine.signal.aborted) {
          statusLine('stopped', 'runner-failed');
        } else {
          statusLine('the runner did not answer (' + err.message + ')', 'runner-failed');
        }
      }).finally(function () { finish(mine); });
    }

    function runIt() {
      if (!enabled(run)) return;
      var body = { example: name };
      if (python) body.python = true;
      else if (editor && editor.value !== original) body.code = editor.value;
      start(body);
    }

    run.addEventListener('click', runIt);
    stop.addEventListener('click', function () {
      if (controller) controller.abort(); // the runner then kills the program's process group
    });
    if (edit) {
      edit.addEventListener('click', function () {
        if (editor) {
          editor.focusEditor();
          return;
        }
        editor = makeEditor(pre, original, name, runIt);
        editor.addEventListener('runner-leave', function () { edit.focus(); });
        enable(edit, false);
        enable(reset, true);
        editor.focusEditor();
      });
    }
    // Reset: the listing as the file has it, and no trace of the reader's runs.
    reset.addEventListener('click', function () {
      if (!enabled(reset)) return;
      if (controller) {
        var running = controller;
        controller = null;
        running.abort();
        enable(run, true);
        enable(stop, false);
      }
      if (editor) {
        editor.destroy();
        editor = null;
        pre.style.display = '';
        if (edit) enable(edit, true);
      }
      output.textContent = '';
      output.dataset.state = 'done';
      result.hidden = true;
      live.textContent = listing + ': reset';
      enable(reset, false);
    });
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
