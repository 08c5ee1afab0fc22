import queue
import threading


def within(bound, body):
    answers = queue.Queue()

    def run():
        try:
            answers.put(("ok", body()))
        except Exception:
            answers.put(("panicked", None))

    # A daemon thread: a body that hangs must not keep the process alive.
    threading.Thread(target=run, daemon=True).start()
    try:
        kind, answer = answers.get(timeout=bound)
    except queue.Empty:
        return f"Err(still running after {bound} s)"
    return f"Ok({answer})" if kind == "ok" else "Err(panicked)"


def fail():
    raise AssertionError("a failing assertion")


print("a body that answers:", within(10, lambda: 6 * 7))
never = threading.Event()  # nobody sets it
print("a body that hangs:  ", within(0.2, never.wait))
print("a body that panics: ", within(10, fail))
# The stuck daemon thread still waits; it ends with the process.
