import time


def download(site, millis):
    """Pretends to download a page: the sleep stands in for the network."""
    time.sleep(millis / 1000)
    return f"<html>Welcome to {site}!</html>"


sites = [("rust-lang.org", 150), ("python.org", 50), ("docs.rs", 100)]
start = time.monotonic()
waiting = 0.0  # the time spent inside download(), in seconds

for site, millis in sites:
    asked = time.monotonic()
    page = download(site, millis)  # blocks: the next one waits
    waiting += time.monotonic() - asked
    now = int((time.monotonic() - start) * 1000)
    print(f"[{now:>4} ms] {site}: {len(page)} bytes")

total = time.monotonic() - start
total_ms = int(total * 1000)
sum_ms = sum(millis for _, millis in sites)
print(f"Total: {total_ms} ms, the sum of the waits ({sum_ms} ms).")
busy_us = int((total - waiting) * 1e6)
print(f"Time spent on anything but waiting: {busy_us} µs.")
