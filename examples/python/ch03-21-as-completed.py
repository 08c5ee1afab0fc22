import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def work(job_id):
    """A job whose length depends on its id: the later, the quicker."""
    time.sleep(0.01 * (4 - job_id))
    return job_id * job_id


if __name__ == "__main__":
    with ThreadPoolExecutor() as pool:
        futures = {pool.submit(work, i): i for i in range(1, 4)}
        # In the order the jobs finish, not the order they started:
        for future in as_completed(futures):
            job_id = futures[future]
            print(f"job {job_id} finished: {future.result()}")
    print("all jobs finished")
