import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

# Job 1 and main meet there: job 1 ends only after main has used two
# results, which makes "while the slow one runs" certain.
used_two = threading.Barrier(2)


def work(job_id):
    """A job whose length depends on its id: the later, the quicker."""
    time.sleep(0.01 * (4 - job_id))
    if job_id == 1:
        used_two.wait()
    return job_id * job_id


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=3) as pool:  # one per job
        futures = {pool.submit(work, i): i for i in range(1, 4)}
        # In the order the jobs finish, not the order they started:
        for n, future in enumerate(as_completed(futures)):
            job_id = futures[future]
            print(f"job {job_id} finished: {future.result()}")
            if n == 1:
                used_two.wait()  # two results used: job 1 may end
    print("all jobs finished")
