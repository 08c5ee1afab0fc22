import sys
import threading

# Module globals are shared by every thread, like statics.
lookups = 0
lookups_lock = threading.Lock()

_capitals = None
_capitals_lock = threading.Lock()


def capitals():
    # Build on first use, once, even when threads race (functools.cache
    # does not promise that: two threads that miss at the same time both
    # run the function).
    global _capitals
    with _capitals_lock:
        if _capitals is None:
            print("building the table of capitals (once)")
            _capitals = {"France": "Paris", "Japan": "Tokyo", "Peru": "Lima"}
    return _capitals


def capital(country):
    global lookups
    with lookups_lock:
        lookups += 1
    return capitals().get(country, "unknown")


def visit(results, i, greeting, name, country):
    city = capital(country)
    results[i] = f"{greeting} {name}: the capital of {country} is {city}"


if __name__ == "__main__":
    # A plain global: nothing stops a later line from rebinding it.
    greeting = "Bonjour" if "--fr" in sys.argv else "Hello"

    visitors = ["Ana", "Bo", "Chen"]
    countries = ["France", "Japan", "Peru"]
    results = [None] * len(visitors)
    threads = [
        threading.Thread(
            target=visit, args=(results, i, greeting, name, country)
        )
        for i, (name, country) in enumerate(zip(visitors, countries))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for line in results:
        print(line)
    print(f"lookups: {lookups}")
