import asyncio
import contextvars
import logging
import sys

request_id = contextvars.ContextVar("request_id", default=None)


class WithRequest(logging.Filter):
    """Adds the current request, if any, to each record: a poor man's span."""

    def filter(self, record):
        rid = request_id.get()
        record.span = "" if rid is None else f"request{{id={rid}}}: "
        return True


handler = logging.StreamHandler(sys.stdout)
handler.addFilter(WithRequest())
handler.setFormatter(logging.Formatter("%(levelname)5s %(span)s%(message)s"))
log = logging.getLogger("demo")
log.addHandler(handler)
log.setLevel(logging.INFO)


async def handle():
    request_id.set(7)
    log.info("handling the request")
    # A task runs in a copy of the creator's context: the id follows it.
    async def child():
        log.info("created with create_task")

    await asyncio.create_task(child())
    # to_thread copies the context as well; run_in_executor does not: its
    # job runs in the pool thread's own context (on a free-threaded 3.14
    # build, a copy of this one, since to_thread started that thread here).
    await asyncio.to_thread(log.info, "run by to_thread")
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, log.info, "run by run_in_executor")


asyncio.run(handle())
